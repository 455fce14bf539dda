// SQLite's storage failures (disk full, read-only file or folder, I/O errors) turned into messages a
// seller can act on. SQLite rolls the failed transaction back, so the database stays as it was; these
// errors say so instead of surfacing "SQLITE_FULL".

export type StorageProblem = 'disk_full' | 'read_only' | 'io_error' | 'cannot_open' | 'busy'

export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    message: string,
    readonly sqliteCode: string,
  ) {
    super(message)
    this.name = 'StorageError'
  }
}

const codeOf = (e: unknown): string | null => {
  if (typeof e !== 'object' || e === null) return null
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null
}

/** The storage problem behind an error, or null when it is not one. */
export function classifyStorageError(e: unknown): StorageError | null {
  const code = codeOf(e)
  if (!code) return null
  const unchanged = 'The change was not saved and the database is unchanged.'
  if (code === 'SQLITE_FULL')
    return new StorageError(
      'disk_full',
      `The disk holding the LastUnit database is full. ${unchanged} Free some space; syncing resumes by itself.`,
      code,
    )
  if (code.startsWith('SQLITE_READONLY'))
    return new StorageError(
      'read_only',
      `The LastUnit database is read-only (check the permissions of the file and its folder). ${unchanged}`,
      code,
    )
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new StorageError('cannot_open', 'The LastUnit database file cannot be opened or created.', code)
  if (code.startsWith('SQLITE_IOERR'))
    return new StorageError(
      'io_error',
      `The disk reported an error while LastUnit was writing. ${unchanged} Check the disk.`,
      code,
    )
  if (code.startsWith('SQLITE_BUSY'))
    return new StorageError('busy', 'The database is in use by another LastUnit process.', code)
  return null
}

/** Runs a write; a storage failure is rethrown as a StorageError with a clear message. */
export function guardedWrite<T>(write: () => T): T {
  try {
    return write()
  } catch (e) {
    throw classifyStorageError(e) ?? e
  }
}
