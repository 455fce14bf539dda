// Generates the app and tray icons as PNG/ICO/ICNS with no image library: shapes are drawn as signed
// distance fields with anti-aliasing and encoded with node:zlib. Run `node assets/generate-icons.mjs`
// after changing a shape; the generated files are committed (no build step depends on this script).
import { deflateSync } from 'node:zlib'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
/** RGBA pixels (Float32 0..1, premultiplied not) to a PNG file. */
export function encodePng(size, rgba) {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size * 4; x++)
      raw[y * (size * 4 + 1) + 1 + x] = Math.round(Math.min(1, Math.max(0, rgba[y * size * 4 + x])) * 255)
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255)

// Signed distances in a unit square (0..1), negative inside.
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r
const ring = (cx, cy, r, w) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) - w / 2
const box =
  (cx, cy, hw, hh, rad = 0) =>
  (x, y) => {
    const dx = Math.abs(x - cx) - hw + rad
    const dy = Math.abs(y - cy) - hh + rad
    return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - rad
  }
const union =
  (...fs) =>
  (x, y) =>
    Math.min(...fs.map((f) => f(x, y)))
const minus = (a, b) => (x, y) => Math.max(a(x, y), -b(x, y))
const triangle = (cx, cy, r) => (x, y) => {
  // Equilateral triangle pointing up, circumradius r.
  const k = Math.sqrt(3)
  let px = (x - cx) / r
  let py = -(y - cy) / r + 0.25
  px = Math.abs(px) - 1
  py = py + 1 / k
  if (px + k * py > 0) [px, py] = [(px - k * py) / 2, (-k * px - py) / 2]
  px -= Math.min(Math.max(px, -2), 0)
  return (-Math.hypot(px, py) * Math.sign(py) * r) / 1.3
}

/** Paints layers [{shape, color}] onto a transparent canvas, anti-aliased over one pixel. */
function render(size, layers) {
  const out = new Float32Array(size * size * 4)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size
      const v = (y + 0.5) / size
      let [r, g, b, a] = [0, 0, 0, 0]
      for (const { shape, color } of layers) {
        const d = shape(u, v) * size
        const cov = Math.min(1, Math.max(0, 0.5 - d)) * (color[3] ?? 1)
        if (cov <= 0) continue
        const na = cov + a * (1 - cov)
        r = (color[0] * cov + r * a * (1 - cov)) / na
        g = (color[1] * cov + g * a * (1 - cov)) / na
        b = (color[2] * cov + b * a * (1 - cov)) / na
        a = na
      }
      out.set([r, g, b, a], (y * size + x) * 4)
    }
  return encodePng(size, out)
}

// Tray glyphs: one shape per state, so the template (monochrome) icons differ by shape, not only colour.
const GLYPHS = {
  healthy: union(minus(circle(0.5, 0.5, 0.44), circle(0.5, 0.5, 0.3)), circle(0.5, 0.5, 0.16)),
  syncing: union(
    minus(ring(0.5, 0.5, 0.34, 0.14), box(0.5, 0.5, 0.5, 0.09)),
    triangle(0.2, 0.42, 0.13),
    triangle(0.8, 0.58, 0.13),
  ),
  attention: minus(triangle(0.5, 0.54, 0.5), union(box(0.5, 0.5, 0.05, 0.14, 0.03), circle(0.5, 0.76, 0.06))),
  paused: union(box(0.34, 0.5, 0.1, 0.36, 0.04), box(0.66, 0.5, 0.1, 0.36, 0.04)),
}
const COLOURS = { healthy: '#16a34a', syncing: '#2563eb', attention: '#d97706', paused: '#64748b' }

const write = (rel, data) => {
  const file = join(here, rel)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, data)
}

for (const [state, glyph] of Object.entries(GLYPHS)) {
  const col = [...hex(COLOURS[state]), 1]
  write(`tray/tray-${state}.png`, render(32, [{ shape: glyph, color: col }]))
  write(`tray/tray-${state}@2x.png`, render(64, [{ shape: glyph, color: col }]))
  write(`tray/tray-${state}Template.png`, render(16, [{ shape: glyph, color: [0, 0, 0, 1] }]))
  write(`tray/tray-${state}Template@2x.png`, render(32, [{ shape: glyph, color: [0, 0, 0, 1] }]))
}

// The app icon: the last unit on the shelf (a square in a frame) on a blue tile.
const appLayers = [
  { shape: box(0.5, 0.5, 0.41, 0.41, 0.09), color: [...hex('#1d4ed8'), 1] },
  { shape: minus(box(0.5, 0.5, 0.25, 0.25, 0.05), box(0.5, 0.5, 0.18, 0.18, 0.02)), color: [1, 1, 1, 1] },
  { shape: box(0.5, 0.5, 0.09, 0.09, 0.01), color: [...hex('#4ade80'), 1] },
]
const appPng = (size) => render(size, appLayers)
const sizes = {
  16: appPng(16),
  32: appPng(32),
  48: appPng(48),
  128: appPng(128),
  256: appPng(256),
  512: appPng(512),
}
const png1024 = appPng(1024)
write('icon.png', png1024)
write('icon-512.png', sizes[512])

// Windows .ico with PNG-compressed entries (Vista and later).
{
  const entries = [16, 32, 48, 256].map((s) => ({ s, data: sizes[s] }))
  const header = Buffer.alloc(6 + 16 * entries.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(entries.length, 4)
  let offset = header.length
  entries.forEach(({ s, data }, i) => {
    const o = 6 + i * 16
    header[o] = s === 256 ? 0 : s
    header[o + 1] = s === 256 ? 0 : s
    header.writeUInt16LE(1, o + 4) // planes
    header.writeUInt16LE(32, o + 6) // bits per pixel
    header.writeUInt32LE(data.length, o + 8)
    header.writeUInt32LE(offset, o + 12)
    offset += data.length
  })
  write('icon.ico', Buffer.concat([header, ...entries.map((e) => e.data)]))
}

// macOS .icns with PNG entries.
{
  const types = [
    ['icp4', sizes[16]],
    ['icp5', sizes[32]],
    ['ic07', sizes[128]],
    ['ic08', sizes[256]],
    ['ic09', sizes[512]],
    ['ic10', png1024],
  ]
  const parts = types.map(([t, data]) => {
    const h = Buffer.alloc(8)
    h.write(t, 0, 'ascii')
    h.writeUInt32BE(data.length + 8, 4)
    return Buffer.concat([h, data])
  })
  const body = Buffer.concat(parts)
  const h = Buffer.alloc(8)
  h.write('icns', 0, 'ascii')
  h.writeUInt32BE(body.length + 8, 4)
  write('icon.icns', Buffer.concat([h, body]))
}
console.log('icons written to', here)
