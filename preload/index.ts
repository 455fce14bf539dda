// The preload exposes window.api: one method per IPC operation, generated from the contract's names, and a
// subscription to batched engine events. Nothing else crosses into the page. It runs sandboxed, so it
// imports only electron and the list of names.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_METHODS, ipcChannelName } from '../shared/ipc-channels'

export function buildApi(
  invoke: (channel: string, payload: unknown) => Promise<unknown>,
  subscribe: typeof on,
) {
  const api: Record<string, unknown> = {}
  for (const method of IPC_METHODS)
    api[method] = (request: unknown) => invoke(ipcChannelName(method), request ?? {})
  api.onEvents = (listener: (events: unknown[]) => void) => subscribe(listener)
  return Object.freeze(api)
}

function on(listener: (events: unknown[]) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, events: unknown) => {
    if (Array.isArray(events)) listener(events)
  }
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
}

contextBridge.exposeInMainWorld(
  'api',
  buildApi((channel, payload) => ipcRenderer.invoke(channel, payload), on),
)
