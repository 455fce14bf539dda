import { afterEach, describe, expect, it } from 'vitest'
import { startShell, CLOSE_NOTICE, type Shell } from '../../../main/electron/shell'
import { IPC_EVENT_CHANNEL } from '../../../shared/ipc-channels'
import type { EngineEventDto, StatusDto } from '../../../shared/dto'
import { alert, harness, settle, type Harness } from './shell-fakes'

let current: Harness | null = null
const start = async (h: Harness): Promise<Shell> => {
  current = h
  const shell = await startShell(h.deps)
  if (!shell) throw new Error('shell did not start')
  return shell
}
afterEach(() => {
  if (current && !current.servicesClosed) current.testApp?.close()
  current = null
})

const status = (over: Partial<StatusDto> = {}): StatusDto => ({
  state: 'healthy',
  message: 'ok',
  engineRunning: true,
  paused: false,
  peakMode: false,
  openAlerts: 0,
  channels: [],
  ...over,
})

describe('single instance', () => {
  it('quits at once when another instance holds the lock, before opening anything', async () => {
    const h = harness()
    h.app.lock = false
    expect(await startShell(h.deps)).toBeNull()
    expect(h.app.quits).toBe(1)
    expect(h.testApp).toBeNull()
    expect(h.windows).toHaveLength(0)
    expect(h.trays).toHaveLength(0)
  })

  it('brings the existing window back when a second instance is launched', async () => {
    const h = harness()
    await start(h)
    const w = h.windows[0]!
    w.close()
    w.minimized = true
    expect(w.visible).toBe(false)
    h.app.launchSecondInstance()
    expect(w).toMatchObject({ visible: true, minimized: false })
    expect(w.focused).toBe(1)
    expect(h.windows).toHaveLength(1)
  })
})

describe('startup', () => {
  it('opens services, registers IPC, starts the engine and shows the window', async () => {
    const h = harness()
    const shell = await start(h)
    expect(h.ipcRegistered).toBe(true)
    expect(h.sync.started).toBe(true)
    expect(h.windows[0]!.visible).toBe(true)
    expect(h.sync.catchUps).toEqual([])
    expect(shell.tray.currentState).toBe('healthy')
  })

  it('at login starts hidden in the tray and catches up', async () => {
    const h = harness({ startHidden: true })
    await start(h)
    expect(h.windows[0]!.visible).toBe(false)
    expect(h.sync.catchUps).toEqual(['login'])
  })

  it('keeps running (UI and tray) when the engine fails to start', async () => {
    const h = harness()
    h.sync.start = async () => {
      throw new Error('odoo database locked')
    }
    await start(h)
    expect(h.logs.some((l) => l.includes('odoo database locked'))).toBe(true)
    expect(h.notices).toEqual([
      expect.objectContaining({ title: 'LastUnit could not start syncing', body: 'odoo database locked' }),
    ])
    expect(h.trays[0]!.item('resync').enabled).toBe(false)
    expect(h.windows[0]!.visible).toBe(true)
  })
})

describe('tray', () => {
  it('shows the state as icon and status line, and follows status changes', async () => {
    const h = harness()
    const shell = await start(h)
    const tray = h.trays[0]!
    expect(tray.image).toBe('/icons/tray-healthy.png')
    expect(tray.item('status')).toMatchObject({ label: 'LastUnit: All channels in sync', enabled: false })
    h.sync.emit({ type: 'status', status: status({ state: 'syncing' }) })
    expect(tray.image).toBe('/icons/tray-syncing.png')
    expect(tray.tooltip).toBe('LastUnit: Syncing…')
    h.sync.emit({ type: 'status', status: status({ state: 'attention', openAlerts: 2 }) })
    expect(tray.image).toBe('/icons/tray-attention.png')
    expect(tray.item('status').label).toBe('LastUnit: Needs your attention (2 alerts)')
    h.sync.emit({ type: 'status', status: status({ state: 'paused', paused: true }) })
    expect(shell.tray.currentState).toBe('paused')
    expect(tray.image).toBe('/icons/tray-paused.png')
  })

  it('menu: Open, Full resync now, Pause/Resume, Peak mode, Start at login, Quit', async () => {
    const h = harness()
    await start(h)
    const tray = h.trays[0]!
    expect(tray.menu.filter((m) => m.type !== 'separator').map((m) => m.label)).toEqual([
      'LastUnit: All channels in sync',
      'Open LastUnit',
      'Full resync now',
      'Pause sync',
      'Peak mode',
      'Start at login',
      'Quit LastUnit',
    ])

    tray.item('resync').click!()
    await settle()
    expect(h.sync.resyncs).toEqual([undefined])

    tray.item('pause').click!()
    await settle()
    expect(h.sync.paused).toBe(true)
    expect(tray.item('pause').label).toBe('Resume sync')
    expect(tray.item('resync').enabled).toBe(false)
    expect(tray.image).toBe('/icons/tray-paused.png')
    tray.item('pause').click!()
    await settle()
    expect(h.sync.paused).toBe(false)
    expect(tray.item('pause').label).toBe('Pause sync')

    tray.item('peak').click!()
    await settle()
    expect(h.sync.peak).toBe(true)
    expect(tray.item('peak').checked).toBe(true)

    tray.item('login').click!()
    expect(h.app.loginItem).toBe(true)
    expect(h.settings.startAtLogin).toBe(true)
    expect(tray.item('login').checked).toBe(true)

    h.windows[0]!.close()
    tray.item('open').click!()
    expect(h.windows[0]!.visible).toBe(true)
  })

  it('disables engine actions while no engine runs', async () => {
    const h = harness()
    h.sync.running = () => false
    await start(h)
    const tray = h.trays[0]!
    expect(tray.item('resync').enabled).toBe(false)
    expect(tray.item('pause').enabled).toBe(false)
    expect(tray.item('peak').enabled).toBe(false)
    expect(tray.item('open').enabled).not.toBe(false)
  })
})

describe('close to tray', () => {
  it('hides the window instead of closing it, with a notice only the first time', async () => {
    const h = harness()
    await start(h)
    const w = h.windows[0]!
    expect(w.close().defaultPrevented).toBe(true)
    expect(w.visible).toBe(false)
    expect(w.destroyed).toBe(false)
    expect(h.notices).toEqual([expect.objectContaining({ title: CLOSE_NOTICE.title })])
    expect(h.settings.closeNoticeShown).toBe(true)
    w.show()
    expect(w.close().defaultPrevented).toBe(true)
    expect(h.notices).toHaveLength(1)
    expect(h.sync.stopCalls).toBe(0)
  })

  it('does not repeat the notice after a restart', async () => {
    const h = harness()
    h.settings.closeNoticeShown = true
    await start(h)
    h.windows[0]!.close()
    expect(h.notices).toHaveLength(0)
  })
})

describe('shutdown', () => {
  it('Quit waits for the engine to drain before the app ends, then closes the database', async () => {
    const h = harness()
    const shell = await start(h)
    h.sync.holdStop = true
    h.sync.emit({
      type: 'log',
      entry: {
        id: 1,
        at: 1,
        level: 'info',
        kind: 'push',
        channelId: null,
        listingId: null,
        productId: null,
        status: null,
        message: 'last line',
      },
    })
    h.trays[0]!.item('quit').click!()
    expect(h.sync.stopCalls).toBe(1)
    expect(h.app.ended).toBe(false)
    // A second quit (Cmd+Q while draining) neither ends the app nor stops twice.
    h.app.quit()
    expect(h.app.ended).toBe(false)
    await settle()
    expect(h.servicesClosed).toBe(false)

    h.sync.finishStop()
    await shell.stopped
    await settle()
    expect(h.app.ended).toBe(true)
    expect(h.servicesClosed).toBe(true)
    expect(h.ipcRegistered).toBe(false)
    expect(h.trays[0]!.destroyed).toBe(true)
    expect(h.sync.subscribers).toBe(0)
    // Events still waiting in the batcher were delivered before the end.
    const sent = h.windows[0]!.sent.filter((s) => s.channel === IPC_EVENT_CHANNEL)
    expect(sent.flatMap((s) => s.payload as EngineEventDto[])).toEqual([
      expect.objectContaining({ type: 'log' }),
    ])
    // Once quitting, closing the window really closes it.
    expect(h.windows[0]!.close().defaultPrevented).toBe(false)
  })

  it('gives up on an engine that never stops, so the app can still quit', async () => {
    const h = harness({ stopTimeoutMs: 50 })
    const shell = await start(h)
    h.sync.holdStop = true
    h.app.quit()
    await shell.stopped
    await settle()
    expect(h.app.ended).toBe(true)
    expect(h.logs.some((l) => l.includes('did not stop within 50 ms'))).toBe(true)
  })
})

describe('catch-up', () => {
  it('asks the engine to catch up when the machine wakes from sleep', async () => {
    const h = harness()
    await start(h)
    expect(h.resume).toHaveLength(1)
    h.resume[0]!()
    h.resume[0]!()
    await settle()
    expect(h.sync.catchUps).toEqual(['resume', 'resume'])
  })
})

describe('events to the renderer', () => {
  it('reach the window in batches on the event channel, not one message per line', async () => {
    const h = harness()
    await start(h)
    for (let i = 0; i < 600; i++)
      h.sync.emit({
        type: 'log',
        entry: {
          id: i,
          at: i,
          level: 'info',
          kind: 'push',
          channelId: 'bol',
          listingId: null,
          productId: null,
          status: null,
          message: `line ${i}`,
        },
      })
    expect(h.windows[0]!.sent).toHaveLength(0)
    const delivered = () => h.windows[0]!.sent.flatMap((s) => s.payload as unknown[]).length
    for (let i = 0; i < 100 && delivered() < 600; i++) await new Promise((r) => setTimeout(r, 50))
    const batches = h.windows[0]!.sent.map((s) => s.payload as unknown[])
    expect(h.windows[0]!.sent.every((s) => s.channel === IPC_EVENT_CHANNEL)).toBe(true)
    // At most 250 per batch, one batch per interval: 600 lines make exactly three messages.
    expect(batches.map((b) => b.length)).toEqual([250, 250, 100])
    expect(batches.flat()).toHaveLength(600)
  })
})

describe('desktop notifications', () => {
  it('one per alert kind that needs the seller, each alert only once', async () => {
    const h = harness()
    await start(h)
    const kinds: Array<[string, string, string | null]> = [
      ['channel_needs_seller', 'amazon-de', 'amazon-de'],
      ['listing_blocked', 'bol/SKU-1', 'bol'],
      ['oversell', 'product:7', 'kaufland'],
      ['push', 'x', null],
    ]
    for (const [kind, subject, channelId] of kinds) {
      h.sync.emit({ type: 'alert', alert: alert(kind, subject, channelId) })
      h.sync.emit({ type: 'alert', alert: alert(kind, subject, channelId) })
    }
    expect(h.notices.map((n) => n.title)).toEqual([
      'amazon-de needs you: sync stopped',
      'A listing is blocked on bol',
      'Oversold on kaufland: more ordered than in stock',
    ])
    expect(h.notices.map((n) => n.urgent)).toEqual([true, false, true])
    h.windows[0]!.close()
    h.notices[0]!.onClick!()
    expect(h.windows[0]!.visible).toBe(true)
  })

  it('for a channel failing for long, noticed on the status tick without any new event', async () => {
    const h = harness()
    await start(h)
    const failing = status({
      state: 'attention',
      channels: [
        {
          id: 'otto',
          type: 'bol',
          name: 'OTTO',
          state: 'live',
          health: 'failing',
          queued: 4,
          blocked: 0,
          lastConfirmedPushAt: null,
          latencyMs: null,
          message: 'HTTP 503 from the channel',
        },
      ],
    })
    h.sync.controlApi.status = () => failing
    h.sync.emit({ type: 'status', status: failing })
    expect(h.notices).toHaveLength(0)
    h.clock.now += 16 * 60_000
    h.ticks[0]!()
    await settle()
    expect(h.notices).toEqual([
      expect.objectContaining({ title: 'OTTO has been failing for 16 minutes', urgent: true }),
    ])
    h.ticks[0]!()
    await settle()
    expect(h.notices).toHaveLength(1)
  })
})
