// Credentials are stored as ciphertext only. Reading a plaintext value needs the vault, and only the
// connectors ask for it: nothing here returns a secret to a caller that shows things to the seller.
import type { Database } from 'better-sqlite3'
import { statement } from '../statement'
import type { SecretVault } from '../../../core/ports/secret-vault'
import { rememberSecrets } from '../../redaction'

/** Owner of a credential: "odoo" or "channel:<id>". */
export type CredentialOwner = 'odoo' | `channel:${string}`

export const storeCredential = (
  db: Database,
  vault: SecretVault,
  owner: CredentialOwner,
  name: string,
  plaintext: string,
): void => {
  rememberSecrets(plaintext)
  const ciphertext = Buffer.from(vault.encrypt(plaintext))
  statement(
    db,
    `INSERT INTO credentials (owner, name, ciphertext, updated_at) VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT(owner, name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
  ).run(owner, name, ciphertext)
}

export const credentialNames = (db: Database, owner: CredentialOwner): string[] =>
  (
    statement(db, 'SELECT name FROM credentials WHERE owner = ? ORDER BY name').all(owner) as {
      name: string
    }[]
  ).map((r) => r.name)

export const deleteCredential = (db: Database, owner: CredentialOwner, name: string): void => {
  statement(db, 'DELETE FROM credentials WHERE owner = ? AND name = ?').run(owner, name)
}

/** Decrypts every credential of an owner, for the connector that needs them. */
export const readCredentials = (
  db: Database,
  vault: SecretVault,
  owner: CredentialOwner,
): Record<string, string> => {
  const rows = statement(db, 'SELECT name, ciphertext FROM credentials WHERE owner = ?').all(owner) as {
    name: string
    ciphertext: Buffer
  }[]
  const out: Record<string, string> = {}
  for (const r of rows) out[r.name] = vault.decrypt(new Uint8Array(r.ciphertext))
  // Every decrypted value is redacted from whatever text this process lets out from now on.
  rememberSecrets(...Object.values(out))
  return out
}

/** Decrypts every stored credential (of Odoo and of every channel): the values redaction must remove. */
export const readAllCredentialValues = (db: Database, vault: SecretVault): string[] => {
  const rows = statement(db, 'SELECT ciphertext FROM credentials').all() as { ciphertext: Buffer }[]
  const out = rows.map((r) => vault.decrypt(new Uint8Array(r.ciphertext)))
  rememberSecrets(...out)
  return out
}
