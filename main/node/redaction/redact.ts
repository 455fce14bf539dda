// One redaction for everything that leaves the process or lands on disk as text: log lines, error
// messages, exported logs and the diagnostics bundle. It is deliberately over-eager: a seller's support
// bundle missing a harmless value costs nothing, a leaked refresh token costs an account.

import { replaceKnownSecrets } from './known-secrets'

export const REDACTED = '[redacted]'

// Keys whose value is a secret whatever it looks like. Matched on the key name with separators and case
// removed, so "client_secret", "clientSecret" and "Client-Secret" are one key.
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'clientsecret',
  'apikey',
  'apisecret',
  'secretkey',
  'accesskey',
  'accesskeyid',
  'secretaccesskey',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'bearertoken',
  'authtoken',
  'sessiontoken',
  'authorization',
  'proxyauthorization',
  'signature',
  'hmac',
  'hmacsignature',
  'privatekey',
  'consumersecret',
  'consumerkey',
  'xapikey',
  'shopifyaccesstoken',
  'xshopifyaccesstoken',
  'hmsignature',
  'cookie',
  'setcookie',
  'credentials',
])

const normKey = (k: string): string => k.toLowerCase().replace(/[^a-z0-9]/g, '')

/** True when a key names a secret (client_secret, apiKey, Authorization, x-hm-signature...). */
export const isSecretKey = (key: string): boolean => {
  const n = normKey(key)
  if (SECRET_KEYS.has(n)) return true
  // Suffixes catch vendor spellings: "lwaRefreshToken", "x-amz-signature", "odooApiKey".
  return /(token|secret|password|signature|apikey|privatekey)$/.test(n)
}

// Text patterns. Each replaces only the secret part, so a message stays readable.
const TEXT_RULES: Array<[RegExp, string]> = [
  // Credentials inside URLs: https://user:pass@host -> https://[redacted]@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(:[^\s/@]*)?@/gi, `$1${REDACTED}@`],
  // Authorization headers of any scheme, in header form or as prose.
  [/\b(Bearer|Basic|Digest|HMAC|Token)\s+[A-Za-z0-9._~+/=|:-]{6,}/g, `$1 ${REDACTED}`],
  // Amazon LWA refresh and access tokens.
  [/\bAtz[ra]\|[A-Za-z0-9._~+/=|-]+/g, REDACTED],
  // JSON Web Tokens (three base64url parts starting with a JSON header).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Shopify tokens and WooCommerce keys.
  [/\b(shpat|shpca|shppa|shpss)_[A-Za-z0-9]{8,}/g, REDACTED],
  [/\b(ck|cs)_[a-f0-9]{20,}/g, REDACTED],
  // AWS access key ids.
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
  // PEM private keys.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // key=value, key: value and "key":"value" forms where the key names a secret. The key is anchored at a
  // word start and its prefix bounded: an unanchored prefix backtracks quadratically on long words.
  [
    /(?<![A-Za-z0-9_-])(["']?)([A-Za-z0-9_-]{0,40}?(?:token|secret|password|passwd|pwd|signature|api[_-]?key|apikey|private[_-]?key|authorization|hmac|client[_-]?key|access[_-]?key))\1(\s*[:=]\s*)(["']?)([^\s"'&,;}\]]+)/gi,
    `$1$2$1$3$4${REDACTED}`,
  ],
  // Query parameters carrying signatures or keys (?Signature=..., &sig=..., &access_token=...).
  [
    /([?&](?:sig|signature|x-amz-signature|access_token|token|key|apikey|api_key|client_secret)=)[^&\s"']+/gi,
    `$1${REDACTED}`,
  ],
  // Long hex strings (HMAC-SHA256 signatures, Odoo API keys are 40 hex digits).
  [/\b[a-f0-9]{32,}\b/gi, REDACTED],
]

/**
 * Removes secrets from free text: first every secret value this process has stored, decrypted or been
 * typed (known-secrets.ts) and the `known` values given, verbatim; then every pattern.
 */
export function redactText(text: string, known: readonly string[] = []): string {
  let out = replaceKnownSecrets(text, REDACTED, known)
  for (const [re, rep] of TEXT_RULES) out = out.replace(re, rep)
  return out
}

/**
 * Removes only the secret values themselves (no patterns) from every string of a value: for answers whose
 * ordinary data (SKUs, product names, long hex ids) a pattern could mistake for a secret.
 */
export function redactKnownValues<T>(value: T): T {
  return walkKnown(value, new WeakSet()) as T
}

/** `open` holds the objects being walked (a cycle is cut; an object met twice elsewhere is walked twice). */
function walkKnown(value: unknown, open: WeakSet<object>): unknown {
  if (typeof value === 'string') return replaceKnownSecrets(value, REDACTED)
  if (value === null || typeof value !== 'object') return value
  if (open.has(value)) return '[cycle]'
  open.add(value)
  try {
    if (Array.isArray(value)) return value.map((v) => walkKnown(v, open))
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = walkKnown(v, open)
    return out
  } finally {
    open.delete(value)
  }
}

/**
 * Redacts any value: strings by pattern, objects by key name and recursively, errors by message and
 * stack. The input is never modified; cycles are cut.
 */
export function redact<T>(value: T, known: readonly string[] = []): T {
  return walk(value, known, new WeakSet()) as T
}

function walk(value: unknown, known: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, known)
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return '[cycle]'
  seen.add(value)
  if (value instanceof Error) {
    const e = new Error(redactText(value.message, known))
    e.name = value.name
    if (value.stack) e.stack = redactText(value.stack, known)
    return e
  }
  if (Array.isArray(value)) return value.map((v) => walk(v, known, seen))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretKey(k) && v !== null && v !== undefined && v !== '') out[k] = REDACTED
    else out[k] = walk(v, known, seen)
  }
  return out
}

/** An error's message, redacted: for error texts that go to a log, the UI or a bundle. */
export const redactedMessage = (e: unknown): string => redactText(e instanceof Error ? e.message : String(e))

/**
 * The start of a server's answer for an error message, redacted BEFORE it is cut: cut first, a secret the
 * server echoed would leave its first characters behind, which no redaction can recognise any more.
 */
export const answerSnippet = (text: string, max: number): string => redactText(text).slice(0, max)
