// Odoo stores and answers datetimes as naive UTC strings "YYYY-MM-DD HH:MM:SS". Formatting here never
// looks at the machine's time zone, so a seller in Auckland and a server in Frankfurt agree.
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

export function formatOdooDatetime(ms: number): string {
  const d = new Date(ms)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

const ODOO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/

export function parseOdooDatetime(s: string): number {
  const m = ODOO_DATETIME.exec(s)
  if (!m) throw new Error(`Not an Odoo datetime (expected "YYYY-MM-DD HH:MM:SS" in UTC): "${s}"`)
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number]
  return Date.UTC(y, mo - 1, d, h, mi, se)
}
