// The secret values this process has handled: every credential stored or decrypted here, and the values
// typed into a connection test. Patterns catch tokens by their shape; these catch the ones that have no
// shape (a Kaufland client key, a shop token of plain letters) echoed back by a server, wherever the text
// goes (IPC answers and errors, log lines, exports, diagnostics). Held in memory only, like the decrypted
// credentials themselves.

/** Shorter values would blank out ordinary words; real secrets are never this short. */
export const MIN_KNOWN_SECRET_LENGTH = 6
/** A bound, so values typed into many tests cannot grow it for ever; the oldest go first. */
const MAX_KNOWN = 2000

const known = new Set<string>()
let pattern: RegExp | null = null

/** Remembers secret values so that every redaction removes them verbatim. */
export function rememberSecrets(...values: ReadonlyArray<string | null | undefined>): void {
  for (const v of values) {
    if (typeof v !== 'string' || v.length < MIN_KNOWN_SECRET_LENGTH || known.has(v)) continue
    known.add(v)
    pattern = null
    if (known.size > MAX_KNOWN) known.delete(known.values().next().value!)
  }
}

/** Forgets every remembered value (tests). */
export function forgetKnownSecrets(): void {
  known.clear()
  pattern = null
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One expression matching any remembered value, longest first (a value inside another goes too). */
function knownPattern(extra: readonly string[]): RegExp | null {
  const usable = extra.filter((v) => v.length >= MIN_KNOWN_SECRET_LENGTH && !known.has(v))
  if (usable.length === 0) {
    if (known.size === 0) return null
    pattern ??= build([...known])
    return pattern
  }
  return build([...known, ...usable])
}

const build = (values: string[]): RegExp =>
  new RegExp(
    values
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|'),
    'g',
  )

/** Replaces every remembered value (and every one of `extra`) with `replacement`. */
export function replaceKnownSecrets(
  text: string,
  replacement: string,
  extra: readonly string[] = [],
): string {
  const re = knownPattern(extra)
  if (!re) return text
  re.lastIndex = 0
  return text.replace(re, replacement)
}
