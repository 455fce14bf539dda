// The UI is served from app://lastunit/ instead of file://, with a path check so a request can never reach
// a file outside the renderer's build folder.
import { protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, join, normalize, relative } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'lastunit'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ')

/** True when a URL belongs to the app's own pages (URL.origin is "null" for custom schemes, so compare parts). */
export const isAppUrl = (url: string): boolean => {
  try {
    const u = new URL(url)
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST
  } catch {
    return false
  }
}

/** Must run before app is ready. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Maps a request URL to a file under `root`, or null when it would escape it. */
export function resolveAppPath(root: string, requestUrl: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  const pathname = decodeURIComponent(url.pathname)
  if (pathname.includes('\0')) return null
  const target = normalize(join(root, pathname === '/' ? 'index.html' : pathname))
  const rel = relative(root, target)
  if (rel.startsWith('..') || isAbsolute(rel)) return null
  return target
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Headers of every app:// response: the CSP travels with each page, not only in its <meta>. */
export const appResponseHeaders = (file: string): Record<string, string> => ({
  'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
})

/** Answers one app:// request: a file of the renderer folder, or 404 for anything else. */
export async function serveAppRequest(root: string, url: string): Promise<Response> {
  const file = resolveAppPath(root, url)
  if (!file) return new Response('Not found', { status: 404 })
  try {
    // Read directly rather than through net.fetch(file://), so that file:// can stay refused for everyone.
    const body = await readFile(file)
    return new Response(new Uint8Array(body), { status: 200, headers: appResponseHeaders(file) })
  } catch {
    return new Response('Not found', { status: 404 })
  }
}

/** file:// is never needed by the app; refusing it keeps a compromised page from reading local files. */
export const refuseFileRequest = (): Response =>
  new Response('file:// is disabled in LastUnit', { status: 403 })

export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, request.url))
  protocol.handle('file', refuseFileRequest)
}
