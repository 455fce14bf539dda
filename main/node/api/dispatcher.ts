// One entry point for every IPC call, whatever the transport (Electron ipcMain, the browser preview's
// bridge): check the sender, validate the payload against the contract, run the handler, validate the
// response (nothing undeclared reaches the renderer), and answer with a typed result.
import { contract } from '../../../shared/contract'
import { IPC_METHODS, type IpcMethod } from '../../../shared/ipc-channels'
import { ipcFail, ipcOk, type IpcResult } from '../../../shared/ipc-result'
import { zodProblems } from '../../../shared/config-schema'
import { isClassifiedError } from '../../core/errors'
import type { Handlers } from './handler-types'
import { HandlerError } from './handler-error'
import { redactKnownValues, redactText } from '../redaction'

export interface SenderInfo {
  /** URL of the frame that sent the call. */
  url: string
  /** False for subframes (iframes), which are never trusted. */
  isMainFrame: boolean
}

export type Dispatch = (method: string, payload: unknown, sender: SenderInfo) => Promise<IpcResult<unknown>>

export interface DispatcherOptions {
  isTrustedSender: (sender: SenderInfo) => boolean
  onError?: (method: string, error: unknown) => void
}

const methods = new Set<string>(IPC_METHODS)

export function createDispatcher(handlers: Handlers, opts: DispatcherOptions): Dispatch {
  return async (method, payload, sender) => {
    if (!sender.isMainFrame || !opts.isTrustedSender(sender))
      return ipcFail(
        'untrusted_sender',
        `Refused a call to "${method}" from an untrusted page (${safeOrigin(sender.url)}).`,
      )
    if (!methods.has(method)) return ipcFail('unknown_method', `There is no operation "${method}".`)
    const m = method as IpcMethod
    const op = contract[m]
    const parsed = op.request.safeParse(payload ?? {})
    if (!parsed.success) {
      const issues = zodProblems(parsed.error)
      return ipcFail(
        'invalid_payload',
        `Invalid request for "${m}": ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
        { issues },
      )
    }
    try {
      const handler = handlers[m] as (req: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      const out = op.response.safeParse(value)
      if (!out.success) {
        opts.onError?.(m, out.error)
        return ipcFail(
          'failed',
          `LastUnit produced an answer to "${m}" that does not match its contract; it was withheld.`,
        )
      }
      // Every answer loses the secret values this process knows (a server may have echoed one anywhere).
      return ipcOk(redactKnownValues(out.data))
    } catch (e) {
      if (e instanceof HandlerError)
        return ipcFail(e.code, redactText(e.message), e.hint ? { hint: redactText(e.hint) } : {})
      if (isClassifiedError(e))
        return ipcFail(
          e.kind === 'needs_seller' ? 'needs_seller' : 'failed',
          redactText(e.message),
          e.hint ? { hint: redactText(e.hint) } : {},
        )
      opts.onError?.(m, e)
      return ipcFail('failed', redactText(`"${m}" failed: ${e instanceof Error ? e.message : String(e)}`))
    }
  }
}

const safeOrigin = (url: string): string => {
  try {
    const u = new URL(url)
    return u.origin === 'null' ? u.protocol : u.origin
  } catch {
    return 'unknown origin'
  }
}
