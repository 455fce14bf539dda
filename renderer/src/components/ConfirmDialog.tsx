import { useId, useLayoutEffect, useRef, type ReactNode } from 'react'

interface Props {
  open: boolean
  title: string
  children: ReactNode
  confirm: string
  cancel: string
  danger?: boolean
  onConfirm: () => void
  onCancel: () => void
}

/**
 * A question the seller answers before something that matters happens (pausing sync, setting a listing to
 * 0, saving a selection that counts stock wrongly). A modal <dialog>: focus stays in it, starts on the
 * harmless answer, Escape cancels, and it goes back where it was when the dialog closes.
 *
 * Only an open question is in the page: a closed one is not rendered at all, so neither a screen reader nor
 * a search of the page by label finds a question nobody asked.
 */
export function ConfirmDialog(props: Props) {
  return props.open ? <OpenDialog {...props} /> : null
}

function OpenDialog({ title, children, confirm, cancel, danger = false, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const id = useId()
  // The dialog closing by itself (the browser's close request once Escape has been refused) is a cancel.
  const closing = useRef(false)
  useLayoutEffect(() => {
    const d = ref.current
    if (!d) return
    closing.current = false
    if (!d.open) d.showModal()
    // showModal focuses the first button (the answer that acts): the harmless one is where focus starts.
    cancelRef.current?.focus()
    return () => {
      // Closed before it leaves the page, so focus goes back to what opened it.
      closing.current = true
      if (d.open) d.close()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
      onClose={(e) => {
        // Not when LastUnit closed it (it is leaving the page), nor once it is open again.
        if (!closing.current && !e.currentTarget.open) onCancel()
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
      <div className="actions">
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" ref={cancelRef} onClick={onCancel}>
          {cancel}
        </button>
      </div>
    </dialog>
  )
}
