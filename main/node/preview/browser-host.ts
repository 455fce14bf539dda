// The browser host: the same renderer served on 127.0.0.1, with the IPC contract bridged over HTTP to the
// same API handlers the desktop app uses. For the end-to-end tests and a local preview where Electron
// cannot run. A random token (in the URL fragment, never in logs) guards every call; other origins are
// refused.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative } from 'node:path'
import type { Dispatch, SenderInfo } from '../api/dispatcher'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

export interface BrowserHost {
  url: string
  /** The URL to open, token included (in the fragment). */
  openUrl: string
  token: string
  /** Sends events to every connected page (batched by the caller). */
  broadcast(events: unknown[]): void
  stop(): Promise<void>
}

export interface BrowserHostOptions {
  rendererDir: string
  makeDispatch: (isTrustedSender: (sender: SenderInfo) => boolean) => Dispatch
  port?: number
  token?: string
}

const MAX_BODY = 60 * 1024 * 1024

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const tokenBuf = Buffer.from(token)
  const clients = new Set<ServerResponse>()
  let origin = ''
  const tokenOk = (t: string) => {
    const b = Buffer.from(t)
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf)
  }
  // The sender URL is the request's Origin when the token matched, and 'untrusted:' otherwise.
  const dispatch = opts.makeDispatch((s) => origin !== '' && s.url === origin)

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let size = 0
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => {
        size += c.length
        if (size > MAX_BODY) {
          reject(new Error('request too large'))
          req.destroy()
        } else chunks.push(c)
      })
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      req.on('error', reject)
    })

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1')
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST')
          return json(res, 405, { ok: false, error: { code: 'invalid_payload', message: 'POST only' } })
        const method = url.pathname.slice('/api/'.length)
        let payload: unknown
        try {
          const text = await readBody(req)
          payload = text ? JSON.parse(text) : {}
        } catch (e) {
          return json(res, 400, {
            ok: false,
            error: {
              code: 'invalid_payload',
              message: `The request body is not valid JSON: ${(e as Error).message}`,
            },
          })
        }
        // The page's origin must be ours and carry the token; the dispatcher checks both.
        const reqOrigin = req.headers.origin ?? origin
        const t = String(req.headers['x-lastunit-token'] ?? '')
        const sender = { url: tokenOk(t) ? reqOrigin : 'untrusted:', isMainFrame: true }
        const result = await dispatch(method, payload, sender)
        return json(res, 200, result)
      }
      if (url.pathname === '/events') {
        if (!tokenOk(url.searchParams.get('token') ?? '')) return json(res, 403, { error: 'token required' })
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        })
        res.write(': connected\n\n')
        clients.add(res)
        req.on('close', () => clients.delete(res))
        return
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return json(res, 405, { error: 'method not allowed' })
      const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
      const file = normalize(join(opts.rendererDir, rel))
      const r = relative(opts.rendererDir, file)
      if (rel.includes('\0') || r.startsWith('..') || isAbsolute(r))
        return json(res, 404, { error: 'not found' })
      try {
        const body = await readFile(file)
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        })
        res.end(req.method === 'HEAD' ? undefined : body)
      } catch {
        json(res, 404, { error: `not found: ${rel}` })
      }
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`
  return {
    url: origin,
    openUrl: `${origin}/#token=${token}`,
    token,
    broadcast(events) {
      const data = `data: ${JSON.stringify(events)}\n\n`
      for (const c of clients) c.write(data)
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
