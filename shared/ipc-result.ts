// Every IPC call answers with a result: the value, or a typed error the UI can show as it is.
export type IpcErrorCode =
  | 'invalid_payload'
  | 'untrusted_sender'
  | 'unknown_method'
  | 'not_found'
  | 'conflict'
  | 'needs_seller'
  | 'unavailable'
  | 'failed'

export interface IpcError {
  code: IpcErrorCode
  /** Plain words for the seller. */
  message: string
  /** For invalid_payload: each problem with its JSON path. */
  issues?: { path: string; message: string }[]
  /** What the seller can do. */
  hint?: string
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError }

export const ipcOk = <T>(value: T): IpcResult<T> => ({ ok: true, value })
export const ipcFail = (
  code: IpcErrorCode,
  message: string,
  extra: Partial<IpcError> = {},
): IpcResult<never> => ({
  ok: false,
  error: { code, message, ...extra },
})
