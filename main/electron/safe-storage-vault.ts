// The desktop SecretVault: Electron's safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/kwallet
// on Linux). Where the OS offers no real encryption (Linux "basic_text"), LastUnit refuses to store
// credentials instead of pretending.
import { safeStorage } from 'electron'
import type { SecretVault } from '../core/ports/secret-vault'

export class NoOsEncryptionError extends Error {
  constructor(detail: string) {
    super(
      `This computer offers no secure storage for passwords (${detail}), so LastUnit will not store credentials. ` +
        'On Linux, install and unlock a keyring (GNOME Keyring or KWallet), then restart LastUnit.',
    )
    this.name = 'NoOsEncryptionError'
  }
}

export function createSafeStorageVault(platform: NodeJS.Platform = process.platform): SecretVault {
  const check = () => {
    if (!safeStorage.isEncryptionAvailable()) throw new NoOsEncryptionError('encryption is not available')
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend()
      if (backend === 'basic_text' || backend === 'unknown')
        throw new NoOsEncryptionError(`backend "${backend}"`)
    }
  }
  return {
    description: 'OS keychain (Electron safeStorage)',
    encrypt(plaintext: string): Uint8Array {
      check()
      return new Uint8Array(safeStorage.encryptString(plaintext))
    },
    decrypt(ciphertext: Uint8Array): string {
      check()
      return safeStorage.decryptString(Buffer.from(ciphertext))
    },
  }
}
