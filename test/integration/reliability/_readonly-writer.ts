// Child process for the read-only tests when they run as root (CI): file modes do not bind root, so the test
// starts this as an ordinary user. It opens the database the way the app does, tries one guarded write and
// prints what happened as one JSON line. It runs bundled, outside the checkout (test/helpers/
// bundle-for-other-user.ts): argv[3] is the copy of better-sqlite3's native module to load.
import { openDatabase } from '../../../main/node/db/database'
import { guardedWrite } from '../../../main/node/maintenance/storage-errors'

const file = process.argv[2]!
const nativeBinding = process.argv[3]
try {
  const db = openDatabase(file, nativeBinding ? { nativeBinding } : {})
  try {
    guardedWrite(() => db.prepare("INSERT INTO settings (key, value) VALUES ('w', 'w')").run())
    process.stdout.write(`${JSON.stringify({ wrote: true })}\n`)
  } finally {
    db.close()
  }
} catch (e) {
  process.stdout.write(
    `${JSON.stringify({ wrote: false, error: e instanceof Error ? e.message : String(e) })}\n`,
  )
}
