import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import type {
  ApplyBufferResultDto,
  BufferRuleDto,
  BuffersDto,
  ListingExplanationDto,
  MappingRowDto,
} from '../../../../shared/dto'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'
import { RuleForm } from './RuleForm'

const t = strings.buffers
const MAX_PRODUCTS = 300

const ruleText = (
  r: BufferRuleDto,
  skuOf: (id: number | null) => string,
  channelName: (id: string | null) => string,
) => {
  const subject =
    r.scope === 'velocity_class' && r.velocityClass
      ? t.velocity[r.velocityClass]
      : r.scope === 'channel'
        ? channelName(r.channelId)
        : r.scope === 'product'
          ? skuOf(r.productId)
          : r.scope === 'product_channel'
            ? `${skuOf(r.productId)} · ${channelName(r.channelId)}`
            : r.scope === 'peak'
              ? `${r.startsOn} → ${r.endsOn}`
              : ''
  return `${t.scopeName[r.scope]}${subject ? ` (${subject})` : ''}: ${r.scope === 'peak' ? '+' : ''}${r.buffer}`
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.001 ? 3 : 1)}%`

export function Buffers() {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const status = useAppStore((s) => s.status)
  const names = useMemo(() => new Map((status?.channels ?? []).map((c) => [c.id, c.name])), [status])
  const channelName = useCallback((cid: string | null) => (cid ? (names.get(cid) ?? cid) : ''), [names])
  const [data, setData] = useState<BuffersDto | null>(null)
  const [listings, setListings] = useState<MappingRowDto[]>([])
  const [pick, setPick] = useState('')
  const [explained, setExplained] = useState<ListingExplanationDto | null | undefined>(undefined)
  const [q, setQ] = useState('')
  // A recommendation that goes below the class default, waiting for the seller's answer.
  const [asking, setAsking] = useState<{ productId: number; result: ApplyBufferResultDto } | null>(null)
  const reload = useCallback(
    () => call('getBuffers', {}).then(setData, (e: unknown) => setError(errorText(e))),
    [setError],
  )
  useEffect(() => {
    void reload()
    call('listMappings', {}).then(
      (m) => {
        const mapped = m.rows.filter((r) => r.productId !== null)
        setListings(mapped)
        const first = mapped[0]
        if (first) setPick(`${first.channelId}\u0000${first.listingId}`)
      },
      () => undefined,
    )
  }, [reload])
  const explain = useCallback(async () => {
    const [channelId, listingId] = pick.split('\u0000')
    if (!channelId || !listingId) return
    try {
      setExplained(await call('explainListing', { channelId, listingId }))
    } catch (e) {
      setError(errorText(e))
    }
  }, [pick, setError])
  const afterChange = async () => {
    await reload()
    if (explained !== undefined) await explain()
  }
  const apply = async (productId: number, confirm: boolean) => {
    try {
      const result = await call('applyRecommendedBuffer', { productId, confirm })
      if (result.status === 'needs_confirmation') {
        setAsking({ productId, result })
        return
      }
      setAsking(null)
      await afterChange()
    } catch (e) {
      setAsking(null)
      setError(errorText(e))
    }
  }
  const skuOf = useMemo(() => {
    const byId = new Map((data?.products ?? []).map((p) => [p.productId, `${p.sku ?? ''} ${p.name}`.trim()]))
    return (id: number | null) => (id === null ? '' : (byId.get(id) ?? `#${id}`))
  }, [data])
  const channels = useMemo(() => [...new Set(listings.map((l) => l.channelId))].sort(), [listings])
  const products = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean)
    return (data?.products ?? [])
      .filter((p) => words.every((w) => `${p.name} ${p.sku ?? ''}`.toLowerCase().includes(w)))
      .slice(0, MAX_PRODUCTS)
  }, [data, q])
  return (
    <section aria-labelledby="buffers-title">
      <h1 id="buffers-title">{t.title}</h1>
      <p className="muted">{t.intro}</p>
      <section className="panel" aria-labelledby={`${id}-explain`}>
        <h2 id={`${id}-explain`}>{t.explainTitle}</h2>
        <div className="inline-form">
          <label>
            {t.explainListing}
            <select aria-label={t.explainListing} value={pick} onChange={(e) => setPick(e.target.value)}>
              {listings.map((l) => (
                <option key={`${l.channelId}/${l.listingId}`} value={`${l.channelId}\u0000${l.listingId}`}>
                  {channelName(l.channelId)} · {l.productSku ?? l.sku ?? l.listingId}{' '}
                  {l.productName ?? l.title}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void explain()} disabled={!pick}>
            {t.explainButton}
          </button>
        </div>
        {explained === undefined ? null : explained === null ? (
          <p className="explanation" role="status" data-testid="explanation">
            {t.explainNone}
          </p>
        ) : (
          <div className="explanation-box" role="status" data-testid="explanation">
            <h3>
              {t.explainHeading(
                explained.channelName ?? explained.channelId,
                [explained.sku, explained.productName].filter(Boolean).join(' ') || explained.listingId,
                explained.quantity,
              )}
            </h3>
            {explained.terms ? (
              <dl className="terms">
                {explained.terms.map((term) => (
                  <div key={term.key} className={`term term-${term.key}`}>
                    <dt>
                      {term.key === 'pending' || term.key === 'buffer'
                        ? `${t.minus} `
                        : term.key === 'published'
                          ? `${t.equals} `
                          : ''}
                      {term.label} <strong>{term.value}</strong>
                    </dt>
                    <dd>
                      {term.words}
                      {term.parts && term.parts.length > 0 ? (
                        <ul>
                          {term.parts.map((p) => (
                            <li key={p}>{p}</li>
                          ))}
                        </ul>
                      ) : null}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : null}
            <p className="muted small-text mono">{explained.explanation}</p>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby={`${id}-rules`}>
        <h2 id={`${id}-rules`}>{t.rulesTitle}</h2>
        {data && data.rules.length === 0 ? <p className="muted">{t.noRules}</p> : null}
        <ul className="rules" data-testid="rules">
          {(data?.rules ?? []).map((r) => (
            <li key={r.id}>
              <span>{ruleText(r, skuOf, channelName)}</span>
              <button
                type="button"
                className="small"
                aria-label={`${t.remove}: ${ruleText(r, skuOf, channelName)}`}
                onClick={() =>
                  void call('deleteBufferRule', { id: r.id }).then(afterChange, (e: unknown) =>
                    setError(errorText(e)),
                  )
                }
              >
                {t.remove}
              </button>
            </li>
          ))}
        </ul>
        {data ? (
          <RuleForm
            channels={channels}
            channelName={channelName}
            products={data.products}
            onSaved={() => void afterChange()}
          />
        ) : null}
      </section>
      <section className="panel" aria-labelledby={`${id}-products`}>
        <h2 id={`${id}-products`}>{t.productsTitle}</h2>
        {data ? (
          <>
            <p className="muted">{t.window(pct(data.targetRisk))}</p>
            <ul className="muted small-text" data-testid="buffer-channels">
              {data.channels.map((c) => (
                <li key={c.channelId}>
                  {t.channelTiming(
                    c.name,
                    Math.round(c.orderDetectionMs / 1000),
                    Math.round(c.pushLatencyMs / 1000),
                    Math.round(c.applyDelayMs / 1000),
                    c.measured,
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <label>
          {t.filter}{' '}
          <input aria-label={t.filter} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                {(
                  [
                    'product',
                    'velocity',
                    'cls',
                    'buffer',
                    'why',
                    'recommended',
                    'risk',
                    'cost',
                    'action',
                  ] as const
                ).map((c) => (
                  <th key={c} scope="col">
                    {t.col[c]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {products.map((p) => (
                <tr key={p.productId}>
                  <th scope="row">
                    <span className="mono">{p.sku ?? `#${p.productId}`}</span> {p.name}
                  </th>
                  <td className="num">{p.salesPerDay.toFixed(1)}</td>
                  <td>{t.velocity[p.velocityClass]}</td>
                  <td className="num">{p.buffer}</td>
                  <td className="muted small-text">
                    {p.bufferWords && p.bufferWords.length > 0 ? (
                      <ul className="plain">
                        {p.bufferWords.map((w) => (
                          <li key={w}>{w}</li>
                        ))}
                      </ul>
                    ) : (
                      p.bufferExplanation
                    )}
                  </td>
                  <td className="small-text" title={p.recommendedExplanation}>
                    {p.listings.map((l) => t.perListing(channelName(l.channelId), l.recommended)).join(' · ')}
                  </td>
                  <td className="num">{pct(p.oversellRisk)}</td>
                  <td className="num">{p.salesCostUnits.toFixed(2)}</td>
                  <td>
                    {p.listings.length === 0 ? (
                      <span className="muted">{t.notListed}</span>
                    ) : p.listings.every((l) => l.buffer === l.recommended) ? (
                      <span className="ok-text">{t.applied}</span>
                    ) : (
                      <button
                        type="button"
                        className="small"
                        aria-label={`${t.apply} → ${p.sku ?? p.name}`}
                        onClick={() => void apply(p.productId, false)}
                      >
                        {t.apply}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <ConfirmDialog
        open={asking !== null}
        title={t.confirmTitle}
        confirm={t.confirmApply}
        cancel={t.confirmCancel}
        danger
        onConfirm={() => {
          if (asking) void apply(asking.productId, true)
        }}
        onCancel={() => setAsking(null)}
      >
        <p data-testid="buffer-confirm">{asking?.result.message}</p>
      </ConfirmDialog>
    </section>
  )
}
