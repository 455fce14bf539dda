// Saving a channel or the Odoo connection so that stored credentials stay bound to the address they were
// entered for: when the save moves them to another host (the API address, or the login address that
// receives the client secret), the stored credentials are deleted in the same transaction, except those
// typed with this very save (entered for the new address). The caller tells the seller what was cleared.
import type { Database } from 'better-sqlite3'
import { ORDER_QUEUE_CREDENTIAL_FIELDS } from '../../../shared/channel-types'
import { channelAddressChanged, odooAddressChanged } from '../../../shared/credential-address'
import { getChannel, upsertChannel, type ChannelUpsert } from '../db/repos/channels'
import { credentialNames, deleteCredential } from '../db/repos/credentials'
import { getOdooConnection } from '../db/repos/odoo-connection'

/**
 * Upserts a channel; when it moves to another address, deletes its stored credentials except `typed`
 * (the names entered with this save). Returns the names deleted. Run it inside the caller's transaction.
 */
export function saveChannelBoundCredentials(
  db: Database,
  row: ChannelUpsert,
  typed: readonly string[] = [],
): string[] {
  const before = getChannel(db, row.id)
  upsertChannel(db, row)
  if (!before || !channelAddressChanged(before, row)) return []
  const owner = `channel:${row.id}` as const
  // The order queue's key goes to the queue (AWS), not to the channel's address: it stays.
  const queue: readonly string[] = ORDER_QUEUE_CREDENTIAL_FIELDS
  const gone = credentialNames(db, owner).filter((n) => !typed.includes(n) && !queue.includes(n))
  for (const n of gone) deleteCredential(db, owner, n)
  return gone
}

/**
 * Deletes Odoo's stored API key when the connection moves to another host and no new key comes with the
 * save. Call before saving the new address. True when a key was deleted.
 */
export function clearOdooKeyIfMoved(db: Database, url: string, keyTyped: boolean): boolean {
  const before = getOdooConnection(db)
  if (!before || keyTyped || !odooAddressChanged(before.url, url)) return false
  if (!credentialNames(db, 'odoo').includes('apiKey')) return false
  deleteCredential(db, 'odoo', 'apiKey')
  return true
}
