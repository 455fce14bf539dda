// Staleness: each check records a hash of the part of the configuration it covered. When that part
// changes (a mapping, a location, a new channel...), the stored result no longer vouches for the setup.
import type { CheckId, ChecklistConfig } from './types'

/** JSON with object keys sorted, so equal configurations hash equally whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** 64-bit FNV-1a as two 32-bit halves: core has no crypto, and this only detects change, it protects nothing. */
export function hashText(text: string): string {
  let h1 = 0x811c9dc5
  let h2 = 0xcbf29ce4
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0')
}

const sorted = <T>(xs: readonly T[]): T[] => [...xs].sort()

/** The slice of the configuration a check depends on. */
export function checkConfigSlice(id: CheckId, c: ChecklistConfig): unknown {
  const ch = c.channel
  switch (id) {
    case 'single_source':
      return { id: ch.id, type: ch.type, baseUrl: ch.baseUrl, stockBasis: ch.stockBasis }
    case 'sync_active':
      // Adding a channel changes this slice for every channel: all must sync before a new one goes live.
      return { channels: sorted(c.channelIds) }
    case 'buffers':
      return {
        rules: c.bufferRules.filter((r) => r.channelId == null || r.channelId === ch.id),
        mappings: c.mappings,
      }
    case 'zero_stock':
      return {
        type: ch.type,
        baseUrl: ch.baseUrl,
        zeroStockAction: ch.zeroStockAction,
        settings: ch.settings,
      }
    case 'skus_mapped':
      return { listings: sorted(c.listingIds), mappings: c.mappings }
    case 'warehouses':
      return { locations: [...c.locationIds].sort((a, b) => a - b) }
    case 'return_restock':
      return {
        channels: sorted(c.channelIds),
        locations: [...c.locationIds].sort((a, b) => a - b),
        stockBasis: ch.stockBasis,
      }
  }
}

export function checkConfigHash(id: CheckId, c: ChecklistConfig): string {
  return hashText(`${id}:${stableJson(checkConfigSlice(id, c))}`)
}
