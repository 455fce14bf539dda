// The host's side of "Faster orders": the order queues of the channels about to run, from each channel's stored
// queue settings. Channels naming one queue URL share one reader (Amazon and bol.com may write to one queue).
// Settings that are incomplete or wrong leave that channel on order polling, with a message naming the field.
import { errorMessage } from '../../core/errors'
import type { ChannelAdapter } from '../../core/ports/channel-adapter'
import type { OrderQueueSource } from './order-queues'
import { queueSettingsOf, type QueueSettings } from './queue-config'
import { createSqsQueue } from './sqs-queue'

export interface QueueChannelInput {
  channelId: string
  name: string
  adapter: ChannelAdapter
  /** The channel's decrypted credentials (its queue settings among them, when set). */
  credentials: Record<string, string>
  /** The channel's settings (queueRegion: the region of a queue simulator on this computer). */
  settings?: Readonly<Record<string, unknown>>
}

export function orderQueueSources(
  channels: readonly QueueChannelInput[],
  problem: (channelId: string, message: string) => void,
): OrderQueueSource[] {
  const byUrl = new Map<string, { settings: QueueSettings; channelIds: string[] }>()
  for (const c of channels) {
    if (!c.adapter.notifications) continue
    let s: QueueSettings | null
    try {
      s = queueSettingsOf(`${c.name} (${c.channelId})`, c.credentials, c.settings)
    } catch (e) {
      problem(c.channelId, `orders are polled only: ${errorMessage(e)}`)
      continue
    }
    if (!s) continue
    const group = byUrl.get(s.queueUrl)
    if (group) group.channelIds.push(c.channelId)
    else byUrl.set(s.queueUrl, { settings: s, channelIds: [c.channelId] })
  }
  return [...byUrl.values()].map((g) => ({ queue: createSqsQueue(g.settings), channelIds: g.channelIds }))
}
