// One call shape for both transports: a model, a method, the recordset ids, and the method's own
// parameter names. XML-RPC sends ids positionally and the rest as kwargs; JSON-2 sends everything named.
import type { OdooTransport } from '../../core/ports/odoo-gateway'

export interface RpcParams {
  ids?: number[]
  context?: Record<string, unknown>
  [name: string]: unknown
}

export interface RpcCallOptions {
  /**
   * The method returns None: over XML-RPC Odoo commits, then faults with "cannot marshal None"; that
   * exact fault is success for such methods.
   */
  returnsNone?: boolean
}

export interface RpcReply<T = unknown> {
  value: T
  /** Server clock from the HTTP Date header (whole seconds), when present. */
  serverDateMs: number | null
}

export interface RpcStats {
  calls: number
  bytesSent: number
  bytesReceived: number
}

export interface OdooRpc {
  readonly transport: OdooTransport
  readonly stats: RpcStats
  /** Verifies database and credentials; returns the uid. */
  authenticate(): Promise<number>
  call<T = unknown>(
    model: string,
    method: string,
    params: RpcParams,
    opts?: RpcCallOptions,
  ): Promise<RpcReply<T>>
}

export const newRpcStats = (): RpcStats => ({ calls: 0, bytesSent: 0, bytesReceived: 0 })

export const serverDate = (headers: Headers): number | null => {
  const d = headers.get('date')
  if (!d) return null
  const ms = Date.parse(d)
  return Number.isNaN(ms) ? null : ms
}
