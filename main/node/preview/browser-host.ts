// The browser host: the same renderer served on 127.0.0.1, with the IPC contract bridged over HTTP to the
// same API handlers the desktop app uses. For the end-to-end tests and a local preview where Electron
// cannot run. A random token (in the URL fragment, never in logs) guards every call; other origins are
// refused.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative } from 'node:path'
import type { Dispatch, SenderInfo } from '../api/dispatcher'
import { redactedMessage } from '../redaction'

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

/** The largest request body read (the largest real one, a config file or a mapping CSV, is far smaller). */
export const MAX_BODY = 2 * 1024 * 1024

class RequestProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest()

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const tokenHash = sha256(token)
  const clients = new Set<ServerResponse>()
  let origin = ''
  // Constant time whatever the length: the hashes compared are always 32 bytes.
  const tokenOk = (t: string) => timingSafeEqual(sha256(t), tokenHash)
  // The sender URL is the request's Origin when the token matched, and 'untrusted:' otherwise.
  const dispatch = opts.makeDispatch((s) => origin !== '' && s.url === origin)

  /** Reads at most MAX_BODY bytes; a larger body (declared or sent) is a 413, never buffered whole. */
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? 0)
      if (declared > MAX_BODY) {
        reject(new RequestProblem(413, 'invalid_payload', `The request is larger than ${MAX_BODY} bytes.`))
        return
      }
      let size = 0
      let done = false
      const chunks: Buffer[] = []
      const fail = (e: Error) => {
        if (done) return
        done = true
        chunks.length = 0
        reject(e)
      }
      req.on('data', (c: Buffer) => {
        if (done) return
        size += c.length
        if (size > MAX_BODY)
          fail(new RequestProblem(413, 'invalid_payload', `The request is larger than ${MAX_BODY} bytes.`))
        else chunks.push(c)
      })
      req.on('end', () => {
        if (done) return
        done = true
        resolve(Buffer.concat(chunks).toString('utf8'))
      })
      req.on('error', fail)
      req.on('close', () => fail(new RequestProblem(400, 'invalid_payload', 'The request was cut off.')))
    })

  const json = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }

  /** Answers and closes the connection without reading what the client still sends. */
  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
  ) => {
    if (res.headersSent || res.destroyed) return
    res.setHeader('connection', 'close')
    res.once('finish', () => req.socket.destroy())
    json(res, status, { ok: false, error: { code, message } })
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      return refuse(req, res, 400, 'invalid_payload', 'That is not a valid address.')
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(req, res, 405, 'invalid_payload', 'POST only')
      // The token first, before a byte of the body is read: nobody without it makes this process work.
      const t = req.headers['x-lastunit-token']
      if (typeof t !== 'string' || !tokenOk(t))
        return refuse(
          req,
          res,
          403,
          'untrusted_sender',
          'Refused a call without this engine’s token: open the address the preview printed.',
        )
      const method = url.pathname.slice('/api/'.length)
      let payload: unknown
      try {
        const text = await readBody(req)
        payload = text ? JSON.parse(text) : {}
      } catch (e) {
        if (e instanceof RequestProblem) return refuse(req, res, e.status, e.code, e.message)
        return json(res, 400, {
          ok: false,
          error: {
            code: 'invalid_payload',
            message: `The request body is not valid JSON: ${(e as Error).message}`,
          },
        })
      }
      // The page's origin must be ours; the dispatcher checks it.
      const reqOrigin = req.headers.origin ?? origin
      const result = await dispatch(method, payload, { url: reqOrigin, isMainFrame: true })
      return json(res, 200, result)
    }
    if (url.pathname === '/events') {
      if (!tokenOk(url.searchParams.get('token') ?? ''))
        return refuse(req, res, 403, 'untrusted_sender', 'token required')
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
      return refuse(req, res, 405, 'invalid_payload', 'method not allowed')
    let rel: string
    try {
      rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    } catch {
      return refuse(req, res, 400, 'invalid_payload', 'That is not a valid address.')
    }
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
      json(res, 404, { error: 'not found' })
    }
  }

  const server: Server = createServer((req, res) => {
    // Whatever a request does, its error ends that request, never the process (and the engine in it).
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed)
        json(res, 500, {
          ok: false,
          error: { code: 'failed', message: 'The preview could not answer that request.' },
        })
      else res.destroy()
      process.emitWarning(`browser host: a request failed: ${redactedMessage(e)}`)
    })
  })
  // Slow clients: headers within 10 s, a whole request within 30 s; a malformed request gets a 400.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
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
