// The main window, locked down per Electron's security checklist: context isolation, sandbox, no Node in
// the page, no navigation away from the app, no new windows, external links only to an allow list.
import { BrowserWindow, shell, type WebContents } from 'electron'
import { APP_ORIGIN, isAppUrl } from './protocol'

/** Links the app may open in the seller's browser (help pages, marketplace consoles). */
export const EXTERNAL_LINK_ALLOW_LIST = [
  'https://sellercentral.amazon.com',
  'https://sellercentral-europe.amazon.com',
  'https://partner.bol.com',
  'https://developers.bol.com',
  'https://www.odoo.com',
  'https://sellerapi.kaufland.com',
  'https://developer.ebay.com',
  'https://developers.merchants.zalando.com',
]

export const isAllowedExternal = (url: string): boolean => {
  try {
    const u = new URL(url)
    return u.protocol === 'https:' && EXTERNAL_LINK_ALLOW_LIST.some((a) => new URL(a).origin === u.origin)
  } catch {
    return false
  }
}

export function hardenWebContents(
  contents: WebContents,
  openExternal: (url: string) => unknown = shell.openExternal,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void openExternal(url)
    return { action: 'deny' }
  })
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  contents.session.setPermissionCheckHandler(() => false)
}

export function createMainWindow(preload: string, show: boolean): BrowserWindow {
  // The options stay one literal so security scanners (electronegativity) can read them.
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show,
    title: 'LastUnit',
    backgroundColor: '#0f172a',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click opens links in new windows bypassing will-navigate; the page has no use for it.
      disableBlinkFeatures: 'Auxclick',
    },
  })
  hardenWebContents(win.webContents)
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}
