// The only place that touches window.api. In the desktop app the preload provides it; in the browser
// preview (and the end-to-end tests) a bridge over HTTP to the local engine stands in, guarded by the
// random token the preview host puts in the URL fragment.
import type { LastUnitApi, RequestOf, ResponseOf } from '../../../shared/contract'
import { IPC_METHODS, type IpcMethod } from '../../../shared/ipc-channels'
import type { IpcError, IpcResult } from '../../../shared/ipc-result'

declare global {
  interface Window {
    api?: LastUnitApi
  }
}

export class ApiError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message)
    this.name = 'ApiError'
  }
}

const TOKEN_KEY = 'lastunit.token'

function bridgeToken(): string | null {
  const m = /token=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1])
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return m[1]
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

function httpBridge(token: string): LastUnitApi {
  const api: Record<string, unknown> = {}
  for (const method of IPC_METHODS)
    api[method] = async (request: unknown) => {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lastunit-token': token },
        body: JSON.stringify(request ?? {}),
      })
      return (await res.json()) as IpcResult<unknown>
    }
  api.onEvents = (listener: (events: unknown[]) => void) => {
    const source = new EventSource(`/events?token=${encodeURIComponent(token)}`)
    source.onmessage = (e) => {
      const parsed = JSON.parse(e.data as string) as unknown
      if (Array.isArray(parsed)) listener(parsed)
    }
    return () => source.close()
  }
  return api as unknown as LastUnitApi
}

let cached: LastUnitApi | null | undefined
export function rawApi(): LastUnitApi | null {
  if (cached !== undefined) return cached
  if (window.api) cached = window.api
  else {
    const token = bridgeToken()
    cached = token ? httpBridge(token) : null
  }
  return cached
}

/** Calls an operation; resolves with its value or rejects with an ApiError carrying the typed error. */
export async function call<M extends IpcMethod>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const api = rawApi()
  if (!api) throw new ApiError({ code: 'unavailable', message: 'Not connected to a LastUnit engine.' })
  const fn = api[method] as (r: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>>
  const result = await fn(request)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}
