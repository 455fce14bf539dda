import { useCallback, useEffect, useId, useState } from 'react'
import type { OrderRowDto, OrderStateDto, OrdersDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { dayStart, errorText, useAppStore } from '../../stores/app-store'

const t = strings.orders
const POLL_MS = 2000
const PAGE = 100
const STATES: OrderStateDto[] = ['pending', 'in_odoo', 'blocked', 'cancelled', 'not_imported']

const when = (ms: number) => {
  const d = new Date(ms)
  const today = new Date()
  return d.toDateString() === today.toDateString()
    ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
}

function Lines({ order }: { order: OrderRowDto }) {
  return (
    <ul className="order-lines">
      {order.lines.map((l) => (
        <li key={l.lineId}>
          <span className="mono">{l.productSku ?? l.sku ?? l.listingId ?? l.lineId}</span>{' '}
          {l.productName ?? <em className="warn-text">{t.notMapped}</em>}{' '}
          <span className="qty">{t.units(l.quantity)}</span>
          {l.cancelledQuantity > 0 ? (
            <span className="muted"> · {t.cancelledUnits(l.cancelledQuantity)}</span>
          ) : null}
          {l.pendingQuantity > 0 ? <span className="muted"> · {t.held(l.pendingQuantity)}</span> : null}
        </li>
      ))}
    </ul>
  )
}

export function Orders() {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const go = useAppStore((s) => s.go)
  const status = useAppStore((s) => s.status)
  const [q, setQ] = useState('')
  const [state, setState] = useState<OrderStateDto | ''>('')
  const [channel, setChannel] = useState('')
  const [limit, setLimit] = useState(PAGE)
  const [data, setData] = useState<OrdersDto | null>(null)
  const load = useCallback(
    () =>
      call('listOrders', {
        limit,
        dayStart: dayStart(),
        ...(q.trim() ? { search: q.trim() } : {}),
        ...(state ? { state } : {}),
        ...(channel ? { channelId: channel } : {}),
      }).then(setData, (e: unknown) => setError(errorText(e))),
    [q, state, channel, limit, setError],
  )
  useEffect(() => {
    void load()
    const timer = setInterval(() => void load(), POLL_MS)
    return () => clearInterval(timer)
  }, [load])
  const rows = data?.rows ?? []
  const filtered = !!(q.trim() || state || channel)
  return (
    <section aria-labelledby="orders-title" className="orders">
      <h1 id="orders-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      {data ? (
        <ul className="figures compact" aria-label={strings.dashboard.figuresTitle}>
          <li className="figure">
            <span className="figure-label">{strings.dashboard.figures.ordersToday}</span>
            <strong className="figure-value">{data.figures.ordersToday}</strong>
          </li>
          <li className={`figure${data.figures.blocked > 0 ? ' figure-warn' : ''}`}>
            <span className="figure-label">{strings.dashboard.figures.waiting}</span>
            <strong className="figure-value">{data.figures.waitingForOdoo}</strong>
            <span className="muted small-text">
              {strings.dashboard.figures.waitingHint(data.figures.blocked)}
            </span>
          </li>
          <li className="figure">
            <span className="figure-label">{strings.dashboard.figures.prevented}</span>
            <strong className="figure-value">{data.figures.oversellsPrevented}</strong>
          </li>
          <li className={`figure${data.figures.oversellsDetected > 0 ? ' figure-bad' : ''}`}>
            <span className="figure-label">{strings.dashboard.figures.detected}</span>
            <strong className="figure-value">{data.figures.oversellsDetected}</strong>
          </li>
        </ul>
      ) : null}
      <div className="filters">
        <label htmlFor={`${id}-q`}>{t.search}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          placeholder={t.searchPlaceholder}
          onChange={(e) => {
            setQ(e.target.value)
            setLimit(PAGE)
          }}
        />
        <label htmlFor={`${id}-st`}>{t.state}</label>
        <select
          id={`${id}-st`}
          value={state}
          onChange={(e) => setState(e.target.value as OrderStateDto | '')}
        >
          <option value="">{t.all}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t.states[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-ch`}>{t.channel}</label>
        <select id={`${id}-ch`} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">{t.all}</option>
          {(status?.channels ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <p className="muted" aria-live="polite" data-testid="orders-count">
        {data ? t.count(rows.length, data.total) : strings.common.loading}
      </p>
      {data && rows.length === 0 ? (
        <p className="empty" data-testid="orders-empty">
          {filtered ? t.noMatch(q.trim()) : t.none}
        </p>
      ) : null}
      {rows.length > 0 ? (
        <div className="table-wrap orders-wrap" tabIndex={0} aria-label={t.title}>
          <table className="table orders-table">
            <thead>
              <tr>
                <th scope="col">{t.col.time}</th>
                <th scope="col" className="col-channel">
                  {t.col.channel}
                </th>
                <th scope="col">{t.col.order}</th>
                <th scope="col">{t.col.lines}</th>
                <th scope="col">{t.col.state}</th>
                <th scope="col" className="col-odoo">
                  {t.col.odoo}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => (
                <tr
                  key={`${o.channelId}/${o.orderId}`}
                  className={`order order-${o.state}`}
                  data-testid="order-row"
                >
                  <td className="nowrap">{when(o.seenAt)}</td>
                  <td>{o.channelName}</td>
                  <th scope="row" className="mono order-id">
                    {o.orderId}
                  </th>
                  <td>
                    <Lines order={o} />
                  </td>
                  <td>
                    <span className={`state-badge state-${o.state}`} data-testid="order-state">
                      {t.states[o.state]}
                    </span>
                    <p className="state-detail">{o.detail}</p>
                    {o.reason ? <p className="state-reason">{o.reason}</p> : null}
                    {o.fix ? (
                      <p className="state-fix">
                        <strong>{t.fix}:</strong> {o.fix}{' '}
                        {o.fixScreen ? (
                          <button type="button" className="small" onClick={() => go(o.fixScreen!)}>
                            {t.open} {strings.nav[o.fixScreen]}
                          </button>
                        ) : null}
                      </p>
                    ) : null}
                  </td>
                  <td className="mono" data-testid="odoo-order">
                    {o.odooOrderName ??
                      (o.odooOrderId !== null ? (
                        `#${o.odooOrderId}`
                      ) : (
                        <span className="muted">{t.notYet}</span>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && data.total > rows.length ? (
        <button type="button" onClick={() => setLimit(limit + PAGE * 2)}>
          {t.more}
        </button>
      ) : null}
    </section>
  )
}
