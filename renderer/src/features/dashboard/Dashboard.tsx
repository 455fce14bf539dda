import { CHANNEL_LABELS } from '../../../../shared/channel-types'
import type { AlertDto } from '../../../../shared/dto'
import { strings } from '../../strings'
import { useAppStore, type Screen } from '../../stores/app-store'
import { LatencyChart } from './LatencyChart'

const ago = (ms: number | null, now: number) =>
  ms === null ? strings.dashboard.never : strings.common.ago(Math.max(0, (now - ms) / 1000))

const actionOf = (a: AlertDto): { text: string; screen: Screen } => {
  const k = a.kind.toLowerCase()
  if (k.includes('oversell')) return { text: strings.dashboard.alertAction.oversell, screen: 'log' }
  if (k.includes('needs_seller') || k.includes('credential') || k.includes('auth'))
    return { text: strings.dashboard.alertAction.credentials, screen: 'connections' }
  if (k.includes('block')) return { text: strings.dashboard.alertAction.blocked, screen: 'log' }
  return { text: strings.dashboard.alertAction.other, screen: 'log' }
}

export function Dashboard() {
  const status = useAppStore((s) => s.status)
  const alerts = useAppStore((s) => s.alerts)
  const latency = useAppStore((s) => s.latency)
  const go = useAppStore((s) => s.go)
  const now = useAppStore((s) => s.now)
  const channels = status?.channels ?? []
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{strings.dashboard.title}</h1>
      <section aria-labelledby="alerts-title" className="panel">
        <h2 id="alerts-title">{strings.dashboard.alerts}</h2>
        {alerts.length === 0 ? (
          <p className="muted">{strings.dashboard.noAlerts}</p>
        ) : (
          <ul className="alerts" data-testid="alerts">
            {alerts.map((a) => {
              const action = actionOf(a)
              return (
                <li key={a.id} className={`alert alert-${a.severity}`}>
                  <div>
                    <strong>{a.subject}</strong>
                    <p>{a.message}</p>
                    <p className="muted">{action.text}</p>
                  </div>
                  <button type="button" onClick={() => go(action.screen)}>
                    {strings.dashboard.open} {strings.nav[action.screen]}
                  </button>
                </li>
              )
            })}
          </ul>
        )}
      </section>
      {channels.length === 0 ? <p>{strings.dashboard.noChannels}</p> : null}
      <ul className="channel-cards" aria-label={strings.connections.channelsTitle}>
        {channels.map((c) => (
          <li key={c.id} className={`card health-${c.health}`} data-testid={`channel-${c.id}`}>
            <h2>
              {c.name} <small>{CHANNEL_LABELS[c.type]}</small>
            </h2>
            <p className={`health-text health-text-${c.health}`}>
              <strong>{strings.health[c.health]}</strong> · {c.message}
            </p>
            <dl>
              <dt>{strings.dashboard.lastPush}</dt>
              <dd data-testid="last-push">
                {c.lastConfirmedPushAt === null && c.latencyMs !== null
                  ? strings.dashboard.awaitingConfirmation
                  : ago(c.lastConfirmedPushAt, now)}
              </dd>
              <dt>{strings.dashboard.latency}</dt>
              <dd>{c.latencyMs === null ? '–' : strings.common.seconds(c.latencyMs)}</dd>
              <dt>{strings.dashboard.queued}</dt>
              <dd>{c.queued}</dd>
              <dt>{strings.dashboard.blocked}</dt>
              <dd>{c.blocked}</dd>
            </dl>
            {c.blocked > 0 ? (
              <button type="button" className="link" onClick={() => go('log')}>
                {strings.dashboard.fixBlocked}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <LatencyChart points={latency} now={now} />
    </section>
  )
}
