// The HTTP client reads a long answer in slices (readText): timers and I/O run between slices, and a
// character split across two network chunks is decoded whole.
import { describe, expect, it } from 'vitest'
import { readText } from '../../../main/node/http/http-client'

function chunked(parts: Uint8Array[]): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(p)
        c.close()
      },
    }),
  )
}

describe('readText', () => {
  it('decodes UTF-8 characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('stock € 12 — ü')
    // Cut inside the three bytes of the euro sign and inside the em dash.
    const cuts = [7, 8, 13, bytes.length]
    const parts: Uint8Array[] = []
    let from = 0
    for (const to of cuts) {
      parts.push(bytes.slice(from, to))
      from = to
    }
    expect(await readText(chunked(parts))).toBe('stock € 12 — ü')
  })

  it('lets the event loop turn at least once per slice of a body that is already all there', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    const parts = Array.from({ length: 32 }, () => chunk) // 2 MB, every chunk buffered before reading
    let turns = 0
    let running = true
    const tick = () => {
      if (!running) return
      turns++
      setImmediate(tick)
    }
    setImmediate(tick)
    const text = await readText(chunked(parts), 256 * 1024)
    running = false
    expect(text.length).toBe(2 * 1024 * 1024)
    // 2 MB in slices of 256 KB: 8 slices, so the loop turned at least 7 times while reading.
    expect(turns).toBeGreaterThanOrEqual(7)
  })

  it('reads an empty body as the empty string', async () => {
    expect(await readText(new Response(null))).toBe('')
  })
})
