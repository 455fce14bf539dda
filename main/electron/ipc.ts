// Registers one ipcMain handler per contract method. Every call goes through the dispatcher, which checks
// that the sender is the app's own main frame and validates the payload.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { IPC_METHODS, ipcChannelName } from '../../shared/ipc-channels'
import type { Dispatch, SenderInfo } from '../node/api/dispatcher'
import { isAppUrl } from './protocol'

export const senderInfo = (event: IpcMainInvokeEvent): SenderInfo => {
  const frame = event.senderFrame
  return { url: frame?.url ?? '', isMainFrame: !!frame && frame === event.sender.mainFrame }
}

/** Only pages served by our own protocol may call the API. */
export const isAppSender = (s: SenderInfo): boolean => isAppUrl(s.url)

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
): () => void {
  for (const method of IPC_METHODS)
    ipcMain.handle(ipcChannelName(method), (event, payload: unknown) =>
      dispatch(method, payload, senderInfo(event)),
    )
  return () => {
    for (const method of IPC_METHODS) ipcMain.removeHandler(ipcChannelName(method))
  }
}
