// The icons the tray and the installers use: present for each state and platform, real PNGs of the
// sizes the OS asks for, and macOS template images that are black with alpha only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { TRAY_STATES, trayIconPath } from '../../../main/electron/tray'

const assets = join(process.cwd(), 'assets')

/** Decodes an 8-bit RGBA, non-interlaced PNG (what assets/generate-icons.mjs writes). */
function decodePng(buf: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  let pos = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos)
    const type = buf.toString('ascii', pos + 4, pos + 8)
    const data = buf.subarray(pos + 8, pos + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0])
    } else if (type === 'IDAT') idat.push(data)
    pos += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4 + 1
  const rgba = Buffer.alloc(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride], 'filter type none').toBe(0)
    raw.copy(rgba, y * width * 4, y * stride + 1, (y + 1) * stride)
  }
  return { width, height, rgba }
}

const opaquePixels = (rgba: Buffer) => {
  let n = 0
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! > 0) n++
  return n
}

describe('tray icons', () => {
  it.each(TRAY_STATES)('%s: a coloured icon for Windows/Linux and a template pair for macOS', (state) => {
    const colour = decodePng(readFileSync(trayIconPath(join(assets, 'tray'), state, 'win32')))
    expect([colour.width, colour.height]).toEqual([32, 32])
    expect(opaquePixels(colour.rgba)).toBeGreaterThan(100)
    const template = trayIconPath(join(assets, 'tray'), state, 'darwin')
    expect(template).toMatch(/Template\.png$/)
    for (const [file, size] of [
      [template, 16],
      [template.replace('Template.png', 'Template@2x.png'), 32],
    ] as const) {
      const png = decodePng(readFileSync(file))
      expect([png.width, png.height]).toEqual([size, size])
      expect(opaquePixels(png.rgba)).toBeGreaterThan(size)
      for (let i = 0; i < png.rgba.length; i += 4)
        expect([png.rgba[i], png.rgba[i + 1], png.rgba[i + 2]]).toEqual([0, 0, 0])
    }
  })

  it('each state has its own shape (template images cannot differ by colour)', () => {
    const shapes = TRAY_STATES.map((s) =>
      decodePng(readFileSync(join(assets, 'tray', `tray-${s}Template@2x.png`))).rgba.toString('base64'),
    )
    expect(new Set(shapes).size).toBe(TRAY_STATES.length)
  })
})

describe('app icons', () => {
  it('PNG at 1024 and 512', () => {
    expect(decodePng(readFileSync(join(assets, 'icon.png'))).width).toBe(1024)
    expect(decodePng(readFileSync(join(assets, 'icon-512.png'))).width).toBe(512)
  })

  it('a Windows .ico with 16 to 256 pixel images', () => {
    const ico = readFileSync(join(assets, 'icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const count = ico.readUInt16LE(4)
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256)
    expect(sizes).toEqual([16, 32, 48, 256])
    for (let i = 0; i < count; i++) {
      const len = ico.readUInt32LE(6 + i * 16 + 8)
      const off = ico.readUInt32LE(6 + i * 16 + 12)
      expect(decodePng(ico.subarray(off, off + len)).width).toBe(sizes[i])
    }
  })

  it('a macOS .icns up to 1024 pixels', () => {
    const icns = readFileSync(join(assets, 'icon.icns'))
    expect(icns.toString('ascii', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const types: string[] = []
    for (let pos = 8; pos < icns.length; pos += icns.readUInt32BE(pos + 4))
      types.push(icns.toString('ascii', pos, pos + 4))
    expect(types).toEqual(expect.arrayContaining(['ic07', 'ic08', 'ic09', 'ic10']))
  })
})
