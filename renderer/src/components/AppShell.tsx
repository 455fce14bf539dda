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
  'checklist',
  'resync',
]

export function AppShell({ children }: { children: ReactNode }) {
  const status = useAppStore((s) => s.status)
  const screen = useAppStore((s) => s.screen)
  const go = useAppStore((s) => s.go)
  const setPaused = useAppStore((s) => s.setPaused)
  const setPeakMode = useAppStore((s) => s.setPeakMode)
  const error = useAppStore((s) => s.error)
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
          {strings.state[state]}
          {status?.message ? <span className="status-message"> · {status.message}</span> : null}
        </div>
        <div className="header-actions">
          <button type="button" onClick={() => void setPaused(!(status?.paused ?? false))}>
            {status?.paused ? strings.header.resume : strings.header.pause}
          </button>
          <button
            type="button"
            aria-pressed={status?.peakMode ?? false}
            onClick={() => void setPeakMode(!(status?.peakMode ?? false))}
          >
            {status?.peakMode ? strings.header.peakOn : strings.header.peakOff}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label="Screens">
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
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error ? (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        ) : null}
        {children}
      </main>
    </div>
  )
}
