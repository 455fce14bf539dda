// The preload exposes window.api: one method per IPC operation, generated from the contract's names, and a
// subscription to batched engine events. Nothing else crosses into the page. It runs sandboxed, so it
// imports only electron and the list of names (through build-api).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL } from '../shared/ipc-channels'
import { buildApi } from './build-api'

function subscribe(listener: (events: unknown[]) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, events: unknown) => {
    if (Array.isArray(events)) listener(events)
  }
  ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
}

contextBridge.exposeInMainWorld(
  'api',
  buildApi((channel, payload) => ipcRenderer.invoke(channel, payload), subscribe),
)
