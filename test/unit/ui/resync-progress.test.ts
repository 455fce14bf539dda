import { describe, expect, it } from 'vitest'
import type { ResyncRunDto } from '../../../shared/dto'
import { forward } from '../../../renderer/src/features/resync/resync-progress'

const run = (
  runId: number,
  state: ResyncRunDto['state'],
  bars: Array<[string, number, number]>,
): ResyncRunDto => ({
  runId,
  state,
  total: bars.reduce((n, b) => n + b[2], 0),
  done: bars.reduce((n, b) => n + b[1], 0),
  etaMs: null,
  channels: null,
  startedAt: 0,
  finishedAt: null,
  progress: bars.map(([channelId, done, total]) => ({
    channelId,
    name: channelId,
    done,
    total,
    etaMs: null,
  })),
})

describe('resync bars on screen', () => {
  it('never go back within a run, whatever order the answers arrive in', () => {
    const a = forward(
      null,
      run(1, 'running', [
        ['amz', 40, 100],
        ['bol', 10, 50],
      ]),
    )
    // An older answer (a poll that started before the event) arrives last.
    const b = forward(
      a,
      run(1, 'running', [
        ['amz', 30, 100],
        ['bol', 20, 50],
      ]),
    )
    expect(b!.progress!.map((x) => x.done)).toEqual([40, 20])
    expect(b!.done).toBe(60)
    expect(b!.total).toBe(150)
  })

  it('start over for a new run, and a finished run is full', () => {
    const a = forward(null, run(1, 'running', [['amz', 90, 100]]))
    expect(forward(a, run(2, 'running', [['amz', 5, 100]]))!.done).toBe(5)
    expect(forward(a, run(1, 'done', [['amz', 97, 100]]))!.progress![0]!.done).toBe(100)
  })
})
