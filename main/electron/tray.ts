// The tray icon and its menu, as a class over an injected factory (Signal Desktop's pattern): the menu is
// built from plain templates by a pure function and the native Tray and Menu come from outside, so every
// state and click is unit-tested without Electron.
import { join } from 'node:path'
import type { StatusDto } from '../../shared/dto'

export const TRAY_STATES = ['healthy', 'syncing', 'attention', 'paused'] as const
export type TrayState = (typeof TRAY_STATES)[number]

/** A subset of Electron's MenuItemConstructorOptions, so templates stay plain data. */
export interface TrayMenuItem {
  id?: string
  label?: string
  type?: 'normal' | 'separator' | 'checkbox'
  checked?: boolean
  enabled?: boolean
  click?: () => void
}

/** The part of Electron's Tray the shell uses. */
export interface TrayHandle {
  setImage(iconPath: string): void
  setToolTip(text: string): void
  setContextMenu(menu: unknown): void
  on(event: 'click' | 'double-click', listener: () => void): unknown
  destroy(): void
}

export type TrayFactory = (iconPath: string) => TrayHandle
export type MenuBuilder = (template: TrayMenuItem[]) => unknown

export interface TrayActions {
  open(): void
  resyncNow(): void
  setPaused(paused: boolean): void
  setPeakMode(enabled: boolean): void
  setStartAtLogin(enabled: boolean): void
  quit(): void
}

export interface TrayView {
  status: StatusDto
  startAtLogin: boolean
}

export function trayStateOf(status: StatusDto): TrayState {
  if (status.paused || status.state === 'paused') return 'paused'
  if (status.state === 'attention' || status.openAlerts > 0) return 'attention'
  if (status.state === 'syncing') return 'syncing'
  if (status.state === 'stopped') return 'paused'
  return 'healthy'
}

const STATE_WORDS: Record<TrayState, string> = {
  healthy: 'All channels in sync',
  syncing: 'Syncing…',
  attention: 'Needs your attention',
  paused: 'Sync paused',
}

export function statusLine(status: StatusDto): string {
  if (!status.engineRunning) return `LastUnit: ${status.message}`
  const state = trayStateOf(status)
  const alerts =
    status.openAlerts > 0 ? ` (${status.openAlerts} alert${status.openAlerts === 1 ? '' : 's'})` : ''
  return `LastUnit: ${STATE_WORDS[state]}${alerts}`
}

export function buildTrayMenu(view: TrayView, actions: TrayActions): TrayMenuItem[] {
  const { status } = view
  const running = status.engineRunning
  return [
    { id: 'status', label: statusLine(status), enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open LastUnit', click: actions.open },
    { id: 'resync', label: 'Full resync now', enabled: running && !status.paused, click: actions.resyncNow },
    {
      id: 'pause',
      label: status.paused ? 'Resume sync' : 'Pause sync',
      enabled: running,
      click: () => actions.setPaused(!status.paused),
    },
    {
      id: 'peak',
      label: 'Peak mode',
      type: 'checkbox',
      checked: status.peakMode,
      enabled: running,
      click: () => actions.setPeakMode(!status.peakMode),
    },
    { type: 'separator' },
    {
      id: 'login',
      label: 'Start at login',
      type: 'checkbox',
      checked: view.startAtLogin,
      click: () => actions.setStartAtLogin(!view.startAtLogin),
    },
    { type: 'separator' },
    { id: 'quit', label: 'Quit LastUnit', click: actions.quit },
  ]
}

/**
 * macOS menu bar icons are template images (black with alpha, tinted by the system), named *Template.png
 * so macOS picks them and their @2x twins up. Windows and Linux get coloured PNGs.
 */
export function trayIconPath(dir: string, state: TrayState, platform: NodeJS.Platform): string {
  return join(dir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`)
}

export interface SystemTrayOptions {
  createTray: TrayFactory
  buildMenu: MenuBuilder
  iconFor: (state: TrayState) => string
  actions: TrayActions
  initial: TrayView
}

export class SystemTray {
  private readonly tray: TrayHandle
  private view: TrayView
  private state: TrayState
  private destroyed = false

  constructor(private readonly opts: SystemTrayOptions) {
    this.view = opts.initial
    this.state = trayStateOf(opts.initial.status)
    this.tray = opts.createTray(opts.iconFor(this.state))
    // Windows and Linux open the app on a click; macOS shows the menu, which has "Open".
    this.tray.on('click', opts.actions.open)
    this.render()
  }

  get currentState(): TrayState {
    return this.state
  }

  get currentMenu(): TrayMenuItem[] {
    return buildTrayMenu(this.view, this.opts.actions)
  }

  update(patch: Partial<TrayView>): void {
    if (this.destroyed) return
    this.view = { ...this.view, ...patch }
    const next = trayStateOf(this.view.status)
    if (next !== this.state) {
      this.state = next
      this.tray.setImage(this.opts.iconFor(next))
    }
    this.render()
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.tray.destroy()
  }

  private render(): void {
    this.tray.setToolTip(statusLine(this.view.status))
    this.tray.setContextMenu(this.opts.buildMenu(this.currentMenu))
  }
}
