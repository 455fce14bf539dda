// Builds window.api from the contract's method names: one method per operation, nothing else. Kept apart
// from index.ts so it can be tested without Electron.
import { IPC_METHODS, ipcChannelName } from '../shared/ipc-channels'

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>
export type Subscribe = (listener: (events: unknown[]) => void) => () => void

export function buildApi(invoke: Invoke, subscribe: Subscribe): Readonly<Record<string, unknown>> {
  const api: Record<string, unknown> = {}
  for (const method of IPC_METHODS) api[method] = (request: unknown) => invoke(ipcChannelName(method), request ?? {})
  api.onEvents = (listener: (events: unknown[]) => void) => subscribe(listener)
  return Object.freeze(api)
}
