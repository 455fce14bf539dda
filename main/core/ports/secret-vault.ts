/**
 * Encrypts credentials before they reach SQLite. The Electron host implements it with safeStorage, the
 * headless host with a key the seller provides. Plaintext never leaves the vault except to the code that
 * calls the marketplace.
 */
export interface SecretVault {
  /** A short name shown to the seller, e.g. "OS keychain (safeStorage)". */
  readonly description: string
  encrypt(plaintext: string): Uint8Array
  decrypt(ciphertext: Uint8Array): string
}
