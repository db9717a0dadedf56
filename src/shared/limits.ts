/** Limits every front end and the core agree on. Inputs beyond them are refused, never truncated. */
export const LIMITS = {
  /** A display name, in characters. */
  nameChars: 64,
  /** A message's text, in UTF-8 bytes. */
  textBytes: 16 * 1024,
  /** An invite code, in characters. */
  inviteChars: 2048,
  /** The most messages one `messages.list` call returns. */
  pageMax: 500,
  /** The page size when `limit` is not given. */
  pageDefault: 50
} as const

/** UTF-8 byte length of a string, without TextEncoder (shared code uses neither Node nor DOM APIs). */
export function utf8Length (s: string): number {
  let bytes = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}
