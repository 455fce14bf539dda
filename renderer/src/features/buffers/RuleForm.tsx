import { useId, useState } from 'react'
import type { ProductBufferDto } from '../../../../shared/dto'
import { call } from '../../lib/api'
import { strings } from '../../strings'
import { errorText, useAppStore } from '../../stores/app-store'

const t = strings.buffers
type Scope = 'global' | 'velocity_class' | 'channel' | 'product' | 'product_channel' | 'peak'
const SCOPES: Scope[] = ['global', 'velocity_class', 'channel', 'product', 'product_channel', 'peak']

export function RuleForm({
  channels,
  channelName,
  products,
  onSaved,
}: {
  channels: string[]
  channelName: (id: string) => string
  products: ProductBufferDto[]
  onSaved: () => void
}) {
  const id = useId()
  const setError = useAppStore((s) => s.setError)
  const [scope, setScope] = useState<Scope>('global')
  const [cls, setCls] = useState<'slow' | 'medium' | 'fast'>('fast')
  const [channel, setChannel] = useState(channels[0] ?? '')
  const [product, setProduct] = useState(products[0]?.productId ?? 0)
  const [buffer, setBuffer] = useState(1)
  const today = new Date().toISOString().slice(0, 10)
  const [startsOn, setStartsOn] = useState(today)
  const [endsOn, setEndsOn] = useState(today)
  const needsChannel = scope === 'channel' || scope === 'product_channel'
  const needsProduct = scope === 'product' || scope === 'product_channel'
  const submit = async () => {
    try {
      await call('saveBufferRule', {
        scope,
        velocityClass: scope === 'velocity_class' ? cls : null,
        channelId: needsChannel ? channel : null,
        productId: needsProduct ? product : null,
        buffer,
        startsOn: scope === 'peak' ? startsOn : null,
        endsOn: scope === 'peak' ? endsOn : null,
        note: null,
      })
      onSaved()
    } catch (e) {
      setError(errorText(e))
    }
  }
  return (
    <form
      className="inline-form"
      aria-label={t.addRule}
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label htmlFor={`${id}-scope`}>
        {t.scope}
        <select
          id={`${id}-scope`}
          aria-label={t.scope}
          value={scope}
          onChange={(e) => setScope(e.target.value as Scope)}
        >
          {SCOPES.map((s) => (
            <option key={s} value={s}>
              {t.scopeName[s]}
            </option>
          ))}
        </select>
      </label>
      {scope === 'velocity_class' ? (
        <label htmlFor={`${id}-cls`}>
          {t.scopeName.velocity_class}
          <select
            id={`${id}-cls`}
            aria-label={t.scopeName.velocity_class}
            value={cls}
            onChange={(e) => setCls(e.target.value as typeof cls)}
          >
            {(['slow', 'medium', 'fast'] as const).map((c) => (
              <option key={c} value={c}>
                {t.velocity[c]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {needsChannel ? (
        <label htmlFor={`${id}-channel`}>
          {t.channel}
          <select
            id={`${id}-channel`}
            aria-label={t.channel}
            value={channel}
            onChange={(e) => setChannel(e.target.value)}
          >
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelName(c)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {needsProduct ? (
        <label htmlFor={`${id}-product`}>
          {t.product}
          <select
            id={`${id}-product`}
            aria-label={t.product}
            value={product}
            onChange={(e) => setProduct(Number(e.target.value))}
          >
            {products.map((p) => (
              <option key={p.productId} value={p.productId}>
                {p.sku ?? `#${p.productId}`} {p.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {scope === 'peak' ? (
        <>
          <label htmlFor={`${id}-from`}>
            {t.startsOn}
            <input
              id={`${id}-from`}
              aria-label={t.startsOn}
              type="date"
              value={startsOn}
              onChange={(e) => setStartsOn(e.target.value)}
            />
          </label>
          <label htmlFor={`${id}-to`}>
            {t.endsOn}
            <input
              id={`${id}-to`}
              aria-label={t.endsOn}
              type="date"
              value={endsOn}
              onChange={(e) => setEndsOn(e.target.value)}
            />
          </label>
        </>
      ) : null}
      <label htmlFor={`${id}-buffer`}>
        {t.buffer}
        <input
          id={`${id}-buffer`}
          aria-label={t.buffer}
          type="number"
          min={scope === 'peak' ? 1 : 0}
          max={scope === 'peak' ? 2 : 1000}
          value={buffer}
          onChange={(e) => setBuffer(Number(e.target.value))}
        />
      </label>
      <button type="submit" className="primary">
        {t.addRule}
      </button>
    </form>
  )
}
