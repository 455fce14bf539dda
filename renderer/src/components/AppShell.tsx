import { useState, type ReactNode } from 'react'
import { strings } from '../strings'
import { useAppStore, type Screen } from '../stores/app-store'
import { ConfirmDialog } from './ConfirmDialog'

const NAV: Screen[] = [
  'dashboard',
  'orders',
  'connections',
  'mapping',
  'buffers',
  'warehouses',
  'log',
  'resync',
  'checklist',
]

/** The status message, unless it only repeats the state's own word ("Not syncing · Not syncing"). */
const extra = (label: string, message: string | undefined) => {
  if (!message) return null
  const a = label.toLowerCase().replace(/[^a-z]/g, '')
  const b = message.toLowerCase().replace(/[^a-z]/g, '')
  return b === a || b.startsWith(a) ? null : message
}

export function AppShell({ children }: { children: ReactNode }) {
  const status = useAppStore((s) => s.status)
  const screen = useAppStore((s) => s.screen)
  const go = useAppStore((s) => s.go)
  const alerts = useAppStore((s) => s.dashboard?.alerts.length ?? 0)
  const setPaused = useAppStore((s) => s.setPaused)
  const setPeakMode = useAppStore((s) => s.setPeakMode)
  const error = useAppStore((s) => s.error)
  const setError = useAppStore((s) => s.setError)
  const [menu, setMenu] = useState(false)
  const [askPause, setAskPause] = useState(false)
  const state = status?.state ?? 'stopped'
  const label = strings.state[state]
  const message = extra(label, status?.message)
  return (
    <div className={`shell${menu ? ' menu-open' : ''}`} data-testid="app-shell">
      <header className="header">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menu}
          aria-controls="app-nav"
          onClick={() => setMenu(!menu)}
        >
          <span aria-hidden="true" className="menu-icon" />
          {strings.header.menu}
        </button>
        <div className="brand">
          <img src="./icon.svg" alt="" width={26} height={26} className="logo" />
          <span>{strings.appName}</span>
        </div>
        <div
          className={`status-pill status-${state}`}
          role="status"
          aria-live="polite"
          data-testid="status-pill"
        >
          <strong>{label}</strong>
          {message ? <span className="status-message"> · {message}</span> : null}
        </div>
        <div className="header-actions">
          <button
            type="button"
            disabled={!status?.engineRunning}
            onClick={() => (status?.paused ? void setPaused(false) : setAskPause(true))}
          >
            {status?.paused ? strings.header.resume : strings.header.pause}
          </button>
          <button
            type="button"
            aria-pressed={status?.peakMode ?? false}
            title={strings.header.peakHint}
            className={status?.peakMode ? 'peak-on' : ''}
            onClick={() => void setPeakMode(!(status?.peakMode ?? false))}
          >
            {status?.peakMode ? strings.header.peakOn : strings.header.peakOff}
          </button>
        </div>
      </header>
      <nav className="nav" id="app-nav" aria-label={strings.navLabel}>
        <span id="nav-alerts" hidden>
          {strings.common.alertsNeedYou(alerts)}
        </span>
        <ul>
          {NAV.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={s === screen ? 'active' : ''}
                aria-current={s === screen ? 'page' : undefined}
                aria-describedby={s === 'dashboard' && alerts > 0 ? 'nav-alerts' : undefined}
                onClick={() => {
                  go(s)
                  setMenu(false)
                }}
              >
                {strings.nav[s]}
                {s === 'dashboard' && alerts > 0 ? (
                  <span className="badge" aria-hidden="true">
                    {alerts}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error ? (
          <div className="banner banner-error" role="alert">
            <span>{error}</span>
            <button type="button" className="link" onClick={() => setError(null)}>
              {strings.common.close}
            </button>
          </div>
        ) : null}
        {children}
      </main>
      <ConfirmDialog
        open={askPause}
        title={strings.header.pauseTitle}
        confirm={strings.header.pauseConfirm}
        cancel={strings.header.pauseCancel}
        danger
        onConfirm={() => {
          setAskPause(false)
          void setPaused(true)
        }}
        onCancel={() => setAskPause(false)}
      >
        <p>{strings.header.pauseBody}</p>
      </ConfirmDialog>
      <LeaveDialog />
    </div>
  )
}

/** Asks before leaving a screen that holds changes not saved (Connections). */
function LeaveDialog() {
  const leaving = useAppStore((s) => s.leaving)
  const unsaved = useAppStore((s) => s.unsaved)
  const confirmLeave = useAppStore((s) => s.confirmLeave)
  const cancelLeave = useAppStore((s) => s.cancelLeave)
  if (!leaving) return null
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="leave-title"
        aria-describedby="leave-body"
        onKeyDown={(e) => {
          if (e.key === 'Escape') cancelLeave()
        }}
      >
        <h2 id="leave-title">{strings.connections.leaveTitle}</h2>
        <p id="leave-body">{unsaved ? strings.connections.leaveBody : null}</p>
        <div className="actions">
          <button type="button" className="primary" autoFocus onClick={cancelLeave}>
            {strings.connections.leaveStay}
          </button>
          <button type="button" onClick={confirmLeave}>
            {strings.connections.leaveGo}
          </button>
        </div>
      </div>
    </div>
  )
}
