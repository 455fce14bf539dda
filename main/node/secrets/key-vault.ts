// The headless SecretVault: AES-256-GCM with a key derived (scrypt) from a passphrase the seller provides
// in LASTUNIT_KEY or a key file. Without one, the headless host refuses to start: it never falls back to
// storing secrets in the clear.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import type { SecretVault } from '../../core/ports/secret-vault'

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

export class VaultKeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'VaultKeyError'
  }
}

export const MIN_PASSPHRASE_LENGTH = 16

export function createKeyVault(passphrase: string, salt: Uint8Array): SecretVault {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    throw new VaultKeyError(
      `The encryption key is too short (${passphrase.length} characters); use at least ${MIN_PASSPHRASE_LENGTH}, ` +
        `e.g. the output of "openssl rand -base64 32".`,
    )
  const key = scryptSync(passphrase, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
  return {
    description: 'key from LASTUNIT_KEY / key file (AES-256-GCM)',
    encrypt(plaintext: string): Uint8Array {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]))
    },
    decrypt(ciphertext: Uint8Array): string {
      const buf = Buffer.from(ciphertext)
      if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION)
        throw new VaultKeyError('A stored credential is not in a format this version can read.')
      const iv = buf.subarray(1, 1 + IV_BYTES)
      const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      try {
        return Buffer.concat([
          decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8')
      } catch {
        throw new VaultKeyError(
          'A stored credential could not be decrypted: the encryption key is not the one these credentials were saved with.',
        )
      }
    },
  }
}

export interface KeySource {
  env?: NodeJS.ProcessEnv
  keyFile?: string
}

/**
 * Finds the seller's passphrase: --key-file, then LASTUNIT_KEY_FILE, then LASTUNIT_KEY. A key file must not
 * be readable by others.
 */
export function resolvePassphrase(src: KeySource): string {
  const env = src.env ?? process.env
  const file = src.keyFile ?? env.LASTUNIT_KEY_FILE
  if (file) {
    let st
    try {
      st = statSync(file)
    } catch {
      throw new VaultKeyError(`The key file ${file} does not exist or cannot be read.`)
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw new VaultKeyError(`The key file ${file} is readable by other users; run "chmod 600 ${file}".`)
    const text = readFileSync(file, 'utf8').trim()
    if (!text) throw new VaultKeyError(`The key file ${file} is empty.`)
    return text
  }
  const key = env.LASTUNIT_KEY
  if (key) return key
  throw new VaultKeyError(
    'No encryption key: the headless LastUnit encrypts credentials with a key you provide. Set LASTUNIT_KEY ' +
      '(at least 16 characters, e.g. "openssl rand -base64 32") or pass --key-file FILE (chmod 600).',
  )
}
