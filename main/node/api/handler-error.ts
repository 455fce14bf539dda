import type { IpcErrorCode } from '../../../shared/ipc-result'

/** An error a handler throws on purpose; the dispatcher turns it into a typed IPC error as it is. */
export class HandlerError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'HandlerError'
  }
}
