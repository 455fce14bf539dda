// What a listing is told when its figure reaches 0 (or comes back): a 0, or a pause that is lifted
// again as soon as stock returns.
import type { ZeroStockAction } from '../channel-types'

export interface ListingCommand {
  action: 'set' | 'pause' | 'resume'
  quantity: number
}

/**
 * `lastAction` is the action of the newest command already planned for the listing (null when never
 * pushed): a paused listing is resumed with its quantity, never just given a number it would not show.
 */
export function planListingCommand(
  quantity: number,
  zeroAction: ZeroStockAction,
  lastAction: ListingCommand['action'] | null,
): ListingCommand {
  if (!Number.isInteger(quantity) || quantity < 0)
    throw new RangeError(`quantity must be a whole number >= 0, got ${quantity}`)
  const paused = lastAction === 'pause'
  if (zeroAction === 'pause') {
    if (quantity === 0) return { action: 'pause', quantity: 0 }
    return { action: paused ? 'resume' : 'set', quantity }
  }
  // A listing paused under an earlier "pause" setting is resumed even after the switch to push_zero.
  if (paused && quantity > 0) return { action: 'resume', quantity }
  return { action: paused ? 'pause' : 'set', quantity: paused ? 0 : quantity }
}
