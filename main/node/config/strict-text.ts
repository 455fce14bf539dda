// Reading a configuration file strictly: bytes that are not UTF-8 are refused with their offset (never
// replaced by U+FFFD, which silently corrupted a token), a UTF-8 byte order mark is accepted, and a key
// written twice in one JSON object is refused with its path (JSON.parse would keep the last one).
import { jsonPath } from '../../../shared/config-schema'

/** The byte offset of the first sequence that is not UTF-8, or -1 when every byte is. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0
    if (len === 0) return i
    const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000
    if (i + len > n) return i
    let cp = b & (0xff >> (len + 1))
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8 either.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i
    i += len
  }
  return -1
}

export type DecodedText = { ok: true; text: string } | { ok: false; message: string }

/** Decodes a file's bytes as UTF-8, refusing invalid bytes; a leading byte order mark is dropped. */
export function decodeUtf8Strict(bytes: Uint8Array): DecodedText {
  const bad = firstInvalidUtf8(bytes)
  if (bad >= 0) {
    const shown = Array.from(bytes.subarray(bad, bad + 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
    return {
      ok: false,
      message: `is not valid UTF-8 at byte ${bad} (bytes ${shown}): save the file as UTF-8 and import it again`,
    }
  }
  return { ok: true, text: stripBom(Buffer.from(bytes).toString('utf8')) }
}

/** Drops one leading byte order mark. */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)

/**
 * The first key written twice in one object of a valid JSON text, with its path; null when there is none.
 * Call it on text JSON.parse accepted: it only tracks strings and nesting.
 */
export function duplicateJsonKey(text: string): { path: string; key: string } | null {
  type Frame = { kind: 'object'; keys: Set<string>; key: string | null; path: (string | number)[] }
  type ArrayFrame = { kind: 'array'; index: number; path: (string | number)[] }
  const stack: Array<Frame | ArrayFrame> = []
  let i = 0
  /** The path of the value that starts now, in the innermost container. */
  const valuePath = (): (string | number)[] => {
    const top = stack.at(-1)
    if (!top) return []
    return top.kind === 'object' ? [...top.path, top.key ?? ''] : [...top.path, top.index]
  }
  const readString = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  while (i < text.length) {
    const ch = text[i]!
    const top = stack.at(-1)
    if (ch === '"') {
      if (top?.kind === 'object' && top.key === null) {
        const key = readString()
        if (top.keys.has(key)) return { path: jsonPath([...top.path, key]), key }
        top.keys.add(key)
        top.key = key
      } else readString()
      continue
    }
    if (ch === '{') stack.push({ kind: 'object', keys: new Set(), key: null, path: valuePath() })
    else if (ch === '[') stack.push({ kind: 'array', index: 0, path: valuePath() })
    else if (ch === '}' || ch === ']') stack.pop()
    else if (ch === ',') {
      if (top?.kind === 'object') top.key = null
      else if (top?.kind === 'array') top.index++
    }
    i++
  }
  return null
}
