// Child process for the SIGKILL test: commits numbered transactions into a real LastUnit database as fast
// as it can and prints each committed number, until it is killed.
import { openDatabase } from '../../../main/node/db/database'
import { appendSyncLog } from '../../../main/node/db/repos/sync-log'

const file = process.argv[2]!
const db = openDatabase(file)
const start = (db.prepare("SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'tx-%'").get() as { n: number })
  .n
const insert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
// Two writes in one transaction: after a kill both must be there or neither.
const tx = db.transaction((i: number) => {
  insert.run(`tx-${i}`, 'x'.repeat(200))
  appendSyncLog(db, { at: i, level: 'info', kind: 'kill-test', message: `tx ${i}` })
})
process.stdout.write('ready\n')
let i = start
const step = (): void => {
  for (let k = 0; k < 20; k++) {
    tx(i)
    process.stdout.write(`${i}\n`)
    i++
  }
  setImmediate(step)
}
step()
