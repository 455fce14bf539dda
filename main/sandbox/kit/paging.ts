// Page tokens the simulated APIs hand out: an offset into the list, base64-encoded (with a prefix where the
// API's own tokens carry one).

export const encodeOffset = (offset: number, prefix = ''): string =>
  Buffer.from(`${prefix}${offset}`).toString('base64')

/** The offset a token holds; NaN when it holds none. */
export const decodeOffset = (token: string, prefix = ''): number =>
  Number(Buffer.from(token, 'base64').toString('utf8').replace(prefix, ''))
