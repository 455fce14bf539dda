// "Orders seen within" on a channel's dashboard card: through its queue ("Faster orders"), the measured time
// from order to pending; with the queue down, the order poll interval and why; without a queue, the interval.
import type { ChannelStatusDto } from '../../../../shared/dto'
import { strings } from '../../strings'

const t = strings.dashboard

export const ordersSeen = (c: Pick<ChannelStatusDto, 'ordersSeenWithinMs' | 'orderQueue'>): string => {
  const poll = c.ordersSeenWithinMs === null ? '–' : t.within(c.ordersSeenWithinMs)
  const q = c.orderQueue
  if (!q) return poll
  if (q.state === 'up') return t.queueUp(q.orderToPendingMs)
  if (q.state === 'down') return t.queueDown(poll, q.reason)
  return t.queueStarting(poll)
}
