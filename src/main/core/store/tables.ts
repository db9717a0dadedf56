/** Table prefixes and key encodings shared by the store and its repositories. */

/** Table prefixes. A key's first byte names its table; the names never reach the disk. */
export const Table = {
  META: 0x01,
  IDENTITY: 0x02,
  CONTACTS: 0x03,
  MESSAGES: 0x04,
  MESSAGE_INDEX: 0x05,
  OUTBOX: 0x06,
  INVITES: 0x07,
  REQUESTS_IN: 0x08,
  REQUESTS_OUT: 0x09,
  UNREAD: 0x0a,
  /** Which rows are sealed under which epoch: EPOCH_INDEX | epoch id (8) | row key. */
  EPOCH_INDEX: 0x0b,
  /** Messages by when they expire: EXPIRY | expiresAt (8) | message key. */
  EXPIRY: 0x0c,
  /** Per-conversation settings (the disappearing-message timer). */
  CONVERSATIONS: 0x0d,
  /** Groups: GROUPS | group hash. */
  GROUPS: 0x0e,
  /** A group's signed ops: GROUP_OPS | group hash | op hash. */
  GROUP_OPS: 0x0f,
  /** Group keys, sealed under the group's own epoch: GROUP_KEYS | group hash | op hash. */
  GROUP_KEYS: 0x10,
  /** Where each group message is: GROUP_SEQ | group hash | author hash | seq (8). */
  GROUP_SEQ: 0x11
} as const
export type TableId = typeof Table[keyof typeof Table]

/** Width of keyed hashes used inside keys. 128 bits: collisions are not a concern at messenger scale. */
export const HASH_BYTES = 16

/** Builds a key from a table id and byte parts. */
export function makeKey (table: TableId, ...parts: Uint8Array[]): Uint8Array {
  let length = 1
  for (const p of parts) length += p.length
  const key = new Uint8Array(length)
  key[0] = table
  let offset = 1
  for (const p of parts) {
    key.set(p, offset)
    offset += p.length
  }
  return key
}

/** Encodes a non-negative integer (up to 2^64 - 1) as 8 big-endian bytes, so keys sort numerically. */
export function u64 (value: bigint | number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(value))
  return out
}

export function readU64 (bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset)
}

/** The smallest key after every key that starts with `prefix`. */
export function prefixEnd (prefix: Uint8Array): Uint8Array {
  const end = prefix.slice()
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] ?? 0) < 0xff) {
      end[i] = (end[i] ?? 0) + 1
      return end.subarray(0, i + 1)
    }
  }
  return new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
}
