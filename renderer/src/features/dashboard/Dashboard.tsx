import { CHANNEL_LABELS } from '../../../../shared/channel-types'
import { strings } from '../../strings'
import { useAppStore } from '../../stores/app-store'

const time = (ms: number | null) =>
  ms === null ? strings.dashboard.never : new Date(ms).toLocaleTimeString()

export function Dashboard() {
  const status = useAppStore((s) => s.status)
  const channels = status?.channels ?? []
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{strings.dashboard.title}</h1>
      {channels.length === 0 ? <p>{strings.dashboard.noChannels}</p> : null}
      <ul className="channel-cards">
        {channels.map((c) => (
          <li key={c.id} className={`card health-${c.health}`}>
            <h2>
              {c.name} <small>{CHANNEL_LABELS[c.type]}</small>
            </h2>
            <p>{c.message}</p>
            <dl>
              <dt>{strings.dashboard.lastPush}</dt>
              <dd>{time(c.lastConfirmedPushAt)}</dd>
              <dt>{strings.dashboard.latency}</dt>
              <dd>{c.latencyMs === null ? '–' : `${(c.latencyMs / 1000).toFixed(1)} s`}</dd>
              <dt>{strings.dashboard.queued}</dt>
              <dd>{c.queued}</dd>
              <dt>{strings.dashboard.blocked}</dt>
              <dd>{c.blocked}</dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  )
}
