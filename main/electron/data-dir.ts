// Where LastUnit keeps its database and settings. Tests and portable setups point it elsewhere with
// --data-dir=<path> or LASTUNIT_DATA_DIR; the flag wins so one test can override an inherited variable.
import { isAbsolute, resolve } from 'node:path'

export const DATA_DIR_FLAG = '--data-dir='
export const HIDDEN_FLAG = '--hidden'

export function resolveDataDir(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  fallback: string,
): string {
  const flag = argv.find((a) => a.startsWith(DATA_DIR_FLAG))?.slice(DATA_DIR_FLAG.length)
  const chosen = flag || env.LASTUNIT_DATA_DIR || fallback
  return isAbsolute(chosen) ? chosen : resolve(chosen)
}

/** Started hidden: by the login item (which passes --hidden) or explicitly. */
export const startsHidden = (argv: readonly string[], openedAtLogin: boolean): boolean =>
  openedAtLogin || argv.includes(HIDDEN_FLAG)
