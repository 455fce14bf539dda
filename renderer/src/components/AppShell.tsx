import type { ReactNode } from 'react'
import { strings } from '../strings'
import { useAppStore, type Screen } from '../stores/app-store'

const NAV: Screen[] = [
  'dashboard',
  'connections',
  'mapping',
  'buffers',
  'warehouses',
  'log',
  'resync',
  'checklist',
]

export function AppShell({ children }: { children: ReactNode }) {
  const status = useAppStore((s) => s.status)
  const screen = useAppStore((s) => s.screen)
  const go = useAppStore((s) => s.go)
  const setPaused = useAppStore((s) => s.setPaused)
  const setPeakMode = useAppStore((s) => s.setPeakMode)
  const error = useAppStore((s) => s.error)
  const setError = useAppStore((s) => s.setError)
  const state = status?.state ?? 'stopped'
  return (
    <div className="shell" data-testid="app-shell">
      <header className="header">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ▣
          </span>
          <span>{strings.appName}</span>
        </div>
        <div
          className={`status-pill status-${state}`}
          role="status"
          aria-live="polite"
          data-testid="status-pill"
        >
          <strong>{strings.state[state]}</strong>
          {status?.message ? <span className="status-message"> · {status.message}</span> : null}
        </div>
        <div className="header-actions">
          <button
            type="button"
            disabled={!status?.engineRunning}
            onClick={() => void setPaused(!(status?.paused ?? false))}
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
      <nav className="nav" aria-label={strings.navLabel}>
        <ul>
          {NAV.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={s === screen ? 'active' : ''}
                aria-current={s === screen ? 'page' : undefined}
                onClick={() => go(s)}
              >
                {strings.nav[s]}
                {s === 'dashboard' && (status?.openAlerts ?? 0) > 0 ? (
                  <span className="badge">{status?.openAlerts}</span>
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
