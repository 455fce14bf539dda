import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { openDatabase } from '../../../main/node/db/database'
import { databaseFile } from '../../../main/node/app-info/paths'
import { tempDir } from '../../helpers/app'

const KILLS = 6
const child = fileURLToPath(new URL('./_kill-writer.ts', import.meta.url))

/** Starts the writer, lets it commit for a random moment, SIGKILLs it; returns the last number it reported. */
function runAndKill(file: string, afterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let buf = ''
    let last = -1
    let err = ''
    p.stderr.on('data', (d: Buffer) => (err += d.toString()))
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      const lines = buf.split('\n')
      buf = lines.pop()!
      for (const l of lines) {
        if (l === 'ready') setTimeout(() => p.kill('SIGKILL'), afterMs)
        else if (/^\d+$/.test(l)) last = Number(l)
      }
    })
    p.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(last) : reject(new Error(`writer exited: ${err}`)),
    )
  })
}

describe('SIGKILL during writes', () => {
  it(`the database survives ${KILLS} kills at random moments: intact, atomic, nothing committed lost`, async () => {
    const { dir, cleanup } = tempDir('lastunit-kill-')
    try {
      const file = databaseFile(dir)
      openDatabase(file).close()
      let reported = -1
      for (let k = 0; k < KILLS; k++) {
        const last = await runAndKill(file, 50 + Math.floor(Math.random() * 250))
        reported = Math.max(reported, last)
        // Reopening runs the integrity check of openDatabase: it would throw on damage.
        const db = openDatabase(file)
        const keys = db.prepare("SELECT key FROM settings WHERE key LIKE 'tx-%'").all() as Array<{
          key: string
        }>
        const logs = db.prepare("SELECT message FROM sync_log WHERE kind = 'kill-test'").all() as Array<{
          message: string
        }>
        const a = new Set(keys.map((r) => Number(r.key.slice(3))))
        const b = new Set(logs.map((r) => Number(r.message.slice(3))))
        // Atomic: each transaction's two rows are both there or both absent.
        expect([...a].sort((x, y) => x - y)).toEqual([...b].sort((x, y) => x - y))
        // Durable: every transaction the writer saw committed survived the kill, with no gaps.
        expect(a.size).toBeGreaterThan(reported)
        for (let i = 0; i <= reported; i++) expect(a.has(i)).toBe(true)
        expect(db.pragma('integrity_check', { simple: true }) as string).toBe('ok')
        db.close()
      }
      console.log(
        `SIGKILL test: ${KILLS} kills survived, ${reported + 1} transactions committed and all found`,
      )
    } finally {
      cleanup()
    }
  }, 60_000)
})
