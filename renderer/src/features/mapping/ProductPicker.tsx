import { useEffect, useId, useMemo, useRef, useState } from 'react'
import type { MappingRowDto, ProductDto } from '../../../../shared/dto'
import { strings } from '../../strings'

const t = strings.mapping
const MAX_SHOWN = 50

export function ProductPicker({
  row,
  products,
  onPick,
  onCancel,
}: {
  row: MappingRowDto
  products: ProductDto[]
  onPick: (productId: number) => void
  onCancel: () => void
}) {
  const id = useId()
  const [q, setQ] = useState(row.sku ?? '')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  const found = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean)
    return products
      .filter((p) => {
        const text = `${p.name} ${p.sku ?? ''} ${p.ean ?? ''} ${p.id}`.toLowerCase()
        return words.every((w) => text.includes(w))
      })
      .slice(0, MAX_SHOWN)
  }, [q, products])
  return (
    <section
      className="panel picker"
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel()
      }}
    >
      <h2 id={`${id}-title`}>{t.pickTitle(row.listingId)}</h2>
      <p className="muted">
        {row.title} {row.sku ? `· SKU ${row.sku}` : ''} {row.ean ? `· EAN ${row.ean}` : ''}
      </p>
      <label htmlFor={`${id}-q`}>{t.productSearch}</label>
      <input id={`${id}-q`} ref={input} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      {found.length === 0 ? <p>{t.noProducts}</p> : null}
      <ul className="pick-list">
        {found.map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => onPick(p.id)}>
              <strong>{p.sku ?? `#${p.id}`}</strong> {p.name} {p.ean ? <small>EAN {p.ean}</small> : null}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onCancel}>
        {t.cancel}
      </button>
    </section>
  )
}
