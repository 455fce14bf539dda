import { randomBytes } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { SecretVault } from '../../core/ports/secret-vault'
import { getSetting, setSetting } from '../db/repos/settings'
import { VaultKeyError } from './key-vault'

/** The per-database salt for the headless vault (not secret), created on first use. */
export function vaultSalt(db: Database): Uint8Array {
  const existing = getSetting(db, 'vault.salt')
  if (existing) return new Uint8Array(Buffer.from(existing, 'base64'))
  const salt = randomBytes(16)
  setSetting(db, 'vault.salt', salt.toString('base64'))
  return new Uint8Array(salt)
}

const CHECK_PLAINTEXT = 'lastunit-vault-check'

/**
 * Makes sure the vault opens what this database holds: the first start stores an encrypted marker, later
 * starts decrypt it, so a wrong key is refused at start rather than at the first push.
 */
export function verifyVault(db: Database, vault: SecretVault): void {
  const marker = getSetting(db, 'vault.check')
  if (!marker) {
    setSetting(db, 'vault.check', Buffer.from(vault.encrypt(CHECK_PLAINTEXT)).toString('base64'))
    return
  }
  let plain: string
  try {
    plain = vault.decrypt(new Uint8Array(Buffer.from(marker, 'base64')))
  } catch {
    throw new VaultKeyError(
      'The encryption key does not match the one this database was set up with. Use the original key, or ' +
        'start with a new data directory and enter the credentials again.',
    )
  }
  if (plain !== CHECK_PLAINTEXT) throw new VaultKeyError('The vault check value is damaged.')
}
