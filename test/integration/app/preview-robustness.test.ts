// The browser preview in its own process, attacked the way issue #21 found it falling over: a malformed
// URL, huge bodies before the token check, bad JSON, slow clients. The process (and the engine inside it,
// the demo's) must survive all of it, and answer the page afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { tempDir } from '../../helpers/app'

const root = join(import.meta.dirname, '../../..')
let child: ChildProcess
let base = ''
let token = ''
let output = ''
let exited: number | null | 'running' = 'running'
const temp = tempDir('lastunit-preview-')

interface Answer {
  status: number
  body: string
}

/** One HTTP request; `bodyBytes` of filler are streamed (and `stopEarly` stops sending at the first answer). */
function send(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string; bodyBytes?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, base)
    const headers: Record<string, string | number> = { ...(opts.headers ?? {}) }
    if (opts.bodyBytes !== undefined) headers['content-length'] = opts.bodyBytes
    const req = request({ host: u.hostname, port: u.port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', (e) => reject(e))
    if (opts.bodyBytes !== undefined) {
      // Streams filler until the server answers or everything is sent.
      const chunk = Buffer.alloc(1024 * 1024, 0x61)
      let sent = 0
      let answered = false
      req.on('response', () => (answered = true))
      const pump = () => {
        while (!answered && sent < opts.bodyBytes!) {
          const n = Math.min(chunk.length, opts.bodyBytes! - sent)
          sent += n
          if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return req.once('drain', pump)
        }
        if (sent >= opts.bodyBytes!) req.end()
      }
      pump()
    } else req.end(opts.body)
  }).catch((e: NodeJS.ErrnoException) => {
    // A server that answers early and closes can reset a connection still sending: that is an answer too.
    if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return { status: -1, body: e.code }
    throw e
  }) as Promise<Answer>
}

const api = (method: string, payload: unknown = {}, extra: Record<string, string> = {}) =>
  send('POST', `/api/${method}`, {
    headers: { 'content-type': 'application/json', 'x-lastunit-token': token, origin: base, ...extra },
    body: JSON.stringify(payload),
  })

const alive = () => exited === 'running'

beforeAll(async () => {
  const renderer = join(temp.dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>LastUnit</title>')
  const data = join(temp.dir, 'data')
  mkdirSync(data)
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'main/preview.ts'),
      '--data-dir',
      data,
      '--renderer',
      renderer,
      '--port',
      '0',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LASTUNIT_KEY: 'preview-test-key-0123456789' },
    },
  )
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
  child.on('exit', (code) => (exited = code))
  const end = Date.now() + 60_000
  while (!/open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.test(output)) {
    if (!alive() || Date.now() > end) throw new Error(`the preview did not start:\n${output}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const m = /open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(output)!
  base = m[1]!
  token = m[2]!
  // The demo runs the engine inside the preview's process: it must outlive everything below.
  const demo = JSON.parse((await api('startDemo')).body) as { ok: boolean }
  expect(demo.ok).toBe(true)
}, 90_000)

afterAll(async () => {
  if (child && alive()) {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
  temp.cleanup()
})

describe('the browser preview survives hostile requests', () => {
  it('answers a malformed URL with 400 and keeps running', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/assets/%C0%AF..%2f..%2fetc%2fpasswd', '/api/%E0%A4%A']) {
      const r = await send('GET', path)
      expect([400, 403, 404, 405]).toContain(r.status)
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(alive(), output).toBe(true)
  })

  it('refuses a request without the token before reading its body', async () => {
    const started = Date.now()
    const r = await send('POST', '/api/getStatus', {
      headers: { 'content-type': 'application/json', origin: base },
      bodyBytes: 60 * 1024 * 1024,
    })
    // 403 (or the connection closed by the server after its answer): never a parsed 60 MB body.
    expect([403, -1]).toContain(r.status)
    expect(Date.now() - started).toBeLessThan(10_000)
    const wrong = await api('getStatus', {}, { 'x-lastunit-token': `${token.slice(0, -1)}x` })
    expect(wrong.status).toBe(403)
    expect(alive(), output).toBe(true)
  })

  it('caps bodies at 2 MB with 413, even with the token', async () => {
    const r = await send('POST', '/api/importConfig', {
      headers: { 'content-type': 'application/json', 'x-lastunit-token': token, origin: base },
      bodyBytes: 3 * 1024 * 1024,
    })
    expect([413, -1]).toContain(r.status)
    expect(alive(), output).toBe(true)
  })

  it('answers bad JSON with 400', async () => {
    const r = await send('POST', '/api/getStatus', {
      headers: { 'content-type': 'application/json', 'x-lastunit-token': token, origin: base },
      body: '{"oops":',
    })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } })
  })

  it('serves others while slow clients hold connections, and the engine keeps running', async () => {
    const port = Number(new URL(base).port)
    const slow = Array.from({ length: 20 }, () => {
      const s = connect(port, '127.0.0.1')
      s.on('error', () => undefined)
      s.write('POST /api/getStatus HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n')
      return s
    })
    const dripping = connect(port, '127.0.0.1')
    dripping.on('error', () => undefined)
    dripping.write(
      `POST /api/getStatus HTTP/1.1\r\nHost: 127.0.0.1\r\nx-lastunit-token: ${token}\r\norigin: ${base}\r\ncontent-type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    )
    const r = await api('getStatus')
    expect(r.status).toBe(200)
    const status = JSON.parse(r.body) as { ok: boolean; value: { engineRunning: boolean } }
    expect(status.ok).toBe(true)
    expect(status.value.engineRunning).toBe(true)
    dripping.destroy()
    for (const s of slow) s.destroy()
    await new Promise((r) => setTimeout(r, 300))
    expect(alive(), output).toBe(true)
    const again = JSON.parse((await api('getStatus')).body) as { value: { engineRunning: boolean } }
    expect(again.value.engineRunning).toBe(true)
  }, 30_000)
})
