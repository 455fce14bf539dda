import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { engineStatusDto } from '../../../main/node/api/status-dto'
import { upsertChannel } from '../../../main/node/db/repos/channels'
import type { EngineStatus } from '../../../main/node/engine'
import { createTestApp, type TestApp } from '../../helpers/app'
import { channelRow } from '../../helpers/channel-row'

let app: TestApp
beforeEach(() => {
  app = createTestApp()
})
afterEach(() => app.close())

const channel = (id: string, state: 'setup' | 'live' | 'disabled') =>
  upsertChannel(
    app.db,
    channelRow({
      id,
      type: 'bol',
      name: id,
      baseUrl: 'https://api.bol.com/retailer',
      environment: 'production',
      settings: {},
      state,
    }),
  )

const engine = (channels: EngineStatus['channels']): EngineStatus => ({
  running: true,
  paused: false,
  odoo: { lastPollAt: 1, lastError: null, pollIntervalMs: 5000, changesSeen: 0 },
  channels,
  resync: null,
})

describe('status for the header and the dashboard', () => {
  it('a live channel the engine does not run (credentials missing) makes the app need attention', () => {
    channel('bol-nl', 'live')
    const s = engineStatusDto(app.db, engine([]), '2026-11-27')
    expect(s.state).toBe('attention')
    expect(s.channels).toEqual([
      expect.objectContaining({
        id: 'bol-nl',
        health: 'failing',
        message: expect.stringMatching(/credentials or settings are incomplete/),
      }),
    ])
  })

  it('a channel in setup is listed but does not need attention; a disabled one is not listed', () => {
    channel('bol-be', 'setup')
    channel('bol-old', 'disabled')
    const s = engineStatusDto(app.db, engine([]), '2026-11-27')
    expect(s.state).toBe('healthy')
    expect(s.channels.map((c) => [c.id, c.health])).toEqual([['bol-be', 'unknown']])
  })
})
