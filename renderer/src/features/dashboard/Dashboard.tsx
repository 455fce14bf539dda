import { CHANNEL_LABELS } from '../../../../shared/channel-types'
import type { ChannelStatusDto } from '../../../../shared/dto'
import { strings } from '../../strings'
import { useAppStore } from '../../stores/app-store'
import { LatencyChart } from './LatencyChart'
import { ordersSeen } from './orders-seen'

const t = strings.dashboard

const ago = (ms: number | null, now: number) =>
  ms === null ? t.never : strings.common.ago(Math.max(0, (now - ms) / 1000))

/** "Demo eBay", not "Demo eBay eBay": the channel type only when the name does not say it. */
const typeLabel = (c: ChannelStatusDto) => {
  const label = CHANNEL_LABELS[c.type]
  return c.name.toLowerCase().includes(label.toLowerCase()) ? null : label
}

/** The health word, and the message unless it only repeats it. */
const healthLine = (c: ChannelStatusDto) => {
  const word = strings.health[c.health]
  const same = c.message.toLowerCase().startsWith(word.toLowerCase())
  return { word: same ? null : word, message: c.message }
}

export function Dashboard() {
  const status = useAppStore((s) => s.status)
  const dashboard = useAppStore((s) => s.dashboard)
  const latency = useAppStore((s) => s.latency)
  const go = useAppStore((s) => s.go)
  const now = useAppStore((s) => s.now)
  const channels = status?.channels ?? []
  const alerts = dashboard?.alerts ?? []
  const f = dashboard?.figures
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t.title}</h1>
      <section aria-labelledby="alerts-title" className="panel">
        <h2 id="alerts-title">{t.alerts}</h2>
        {alerts.length === 0 ? (
          <p className="muted">{t.noAlerts}</p>
        ) : (
          <ul className="alerts" data-testid="alerts">
            {alerts.map((a) => (
              <li key={a.key} className={`alert alert-${a.severity}`} data-testid="alert">
                <div>
                  <h3 className="alert-title">{a.title}</h3>
                  <p>{a.message}</p>
                  <p className="muted">{a.action}</p>
                </div>
                <button type="button" onClick={() => go(a.screen)}>
                  {t.open} {strings.nav[a.screen]}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {f ? (
        <section aria-labelledby="figures-title" className="figures-section">
          <h2 id="figures-title">{t.figuresTitle}</h2>
          <ul className="figures" data-testid="figures">
            <li className="figure">
              <button type="button" className="figure-link" onClick={() => go('orders')}>
                <span className="figure-label">{t.figures.ordersToday}</span>
                <strong className="figure-value" data-testid="figure-orders">
                  {f.ordersToday}
                </strong>
              </button>
              <p className="muted small-text">{t.figures.ordersTodayHint(f.unitsToday)}</p>
            </li>
            <li className={`figure${f.blocked > 0 ? ' figure-warn' : ''}`}>
              <button type="button" className="figure-link" onClick={() => go('orders')}>
                <span className="figure-label">{t.figures.waiting}</span>
                <strong className="figure-value" data-testid="figure-waiting">
                  {f.waitingForOdoo}
                </strong>
              </button>
              <p className="muted small-text">{t.figures.waitingHint(f.blocked)}</p>
            </li>
            <li className="figure">
              <span className="figure-label">{t.figures.prevented}</span>
              <strong className="figure-value" data-testid="figure-prevented">
                {f.oversellsPrevented}
              </strong>
              <p className="muted small-text">{t.figures.preventedHint}</p>
            </li>
            <li className={`figure${f.oversellsDetected > 0 ? ' figure-bad' : ''}`}>
              <span className="figure-label">{t.figures.detected}</span>
              <strong className="figure-value" data-testid="figure-detected">
                {f.oversellsDetected}
              </strong>
              <p className="muted small-text">{t.figures.detectedHint}</p>
            </li>
          </ul>
        </section>
      ) : null}
      <h2 className="section-title">{t.channelsTitle}</h2>
      {channels.length === 0 ? <p>{t.noChannels}</p> : null}
      <ul className="channel-cards" aria-label={t.channelsTitle}>
        {channels.map((c) => {
          const h = healthLine(c)
          const type = typeLabel(c)
          return (
            <li key={c.id} className={`card health-${c.health}`} data-testid={`channel-${c.id}`}>
              <h3>
                {c.name} {type ? <small>{type}</small> : null}
              </h3>
              <p className={`health-text health-text-${c.health}`}>
                {h.word ? <strong>{h.word}</strong> : null}
                {h.word ? ' · ' : null}
                {h.message}
              </p>
              <dl>
                <dt>{t.lastPush}</dt>
                <dd data-testid="last-push">
                  {c.lastConfirmedPushAt === null && c.latencyMs !== null
                    ? t.awaitingConfirmation
                    : ago(c.lastConfirmedPushAt, now)}
                </dd>
                <dt>{t.latency}</dt>
                <dd>{c.latencyMs === null ? '–' : strings.common.seconds(c.latencyMs)}</dd>
                <dt>{t.ordersSeen}</dt>
                <dd data-testid="orders-seen">{ordersSeen(c)}</dd>
                <dt>{t.queued}</dt>
                <dd>{c.queued}</dd>
                <dt>{t.blocked}</dt>
                <dd>{c.blocked}</dd>
              </dl>
              {c.blocked > 0 ? (
                <button type="button" className="link" onClick={() => go('log')}>
                  {t.fixBlocked}
                </button>
              ) : null}
            </li>
          )
        })}
      </ul>
      <LatencyChart points={latency} now={now} />
    </section>
  )
}
