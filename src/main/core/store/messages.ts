/**
 * Message history. A message's key is
 *   MESSAGES | keyed hash of the conversation (16) | HLC (8) | hash of the id (8)
 * so one conversation is one contiguous, time-ordered range, and paging
 * backwards is a reverse range read. An index maps message ids to keys (and
 * keeps a tombstone once a message is gone), the UNREAD table mirrors the
 * keys of incoming messages not yet read, and the EXPIRY table orders
 * disappearing messages by when they go.
 *
 * Message rows are sealed under epoch keys (see epochs.ts) by the callers
 * that write them, so that deleting, editing or expiring one can make its
 * old bytes unreadable.
 */
import { fromHex, toHex } from '../bytes.js'
import { ExpiryRecord, MessageIndexRecord, MessageRecord, parseRecord } from './records.js'
import { Store, type BatchOp, type RangeOptions, type RowChange } from './store.js'
import { sha256 } from '../crypto/index.js'
import { HASH_BYTES, makeKey, readU64, Table, u64 } from './tables.js'

export function conversationHash (store: Store, peerId: string): Uint8Array {
  return store.hash('conv', peerId)
}

export function messageKey (store: Store, record: Pick<MessageRecord, 'with' | 'hlc' | 'id'>): Uint8Array {
  return makeKey(
    Table.MESSAGES,
    conversationHash(store, record.with),
    u64(BigInt(record.hlc)),
    // Ties on the clock break the same way on both sides: by a plain hash of
    // the (random) id, not a keyed one, which would differ between peers.
    sha256(fromHex(record.id)).subarray(0, 8)
  )
}

/** The highest clock value of any stored message among these conversations (keys only, nothing decrypted). */
export async function latestClock (store: Store, peerIds: string[]): Promise<bigint> {
  let max = 0n
  for (const peerId of peerIds) {
    for await (const key of store.keys({ ...Store.range(Table.MESSAGES, conversationHash(store, peerId)), reverse: true, limit: 1 })) {
      const hlc = readU64(key, 1 + HASH_BYTES)
      if (hlc > max) max = hlc
    }
  }
  return max
}

function indexKey (store: Store, id: string): Uint8Array {
  return makeKey(Table.MESSAGE_INDEX, store.hash('msg', fromHex(id)))
}

function unreadKeyFor (key: Uint8Array): Uint8Array {
  return makeKey(Table.UNREAD, key.subarray(1))
}

function expiryKeyFor (key: Uint8Array, expiresAt: number): Uint8Array {
  return makeKey(Table.EXPIRY, u64(Math.max(0, Math.ceil(expiresAt))), key)
}

/**
 * Operations that store a new message: the message (under `epoch` when
 * given, so it can be erased), its index entry, an unread marker when it is
 * incoming, and its place in the expiry schedule when its clock has started.
 */
export function insertMessage (store: Store, record: MessageRecord, epoch?: Uint8Array): BatchOp[] {
  const key = messageKey(store, record)
  const ops = [
    ...(epoch != null ? store.putInEpoch(key, record, epoch) : [store.putJson(key, record)]),
    store.putJson(indexKey(store, record.id), { key: toHex(key) })
  ]
  if (!record.outgoing && record.status !== 'read') ops.push(store.putJson(unreadKeyFor(key), 1))
  if (record.expiresAt != null) ops.push(store.putJson(expiryKeyFor(key, record.expiresAt), { id: record.id, with: record.with }))
  return ops
}

/**
 * Changes stored messages in place, each from its current version (so a
 * status change can never bring back text an edit erased). `change`
 * returning undefined leaves a message as it is.
 */
export async function updateMessages (store: Store, keys: Uint8Array[], change: (record: MessageRecord) => MessageRecord | undefined, extra: BatchOp[] = [], options: { sync?: boolean } = {}): Promise<MessageRecord[]> {
  const changed: MessageRecord[] = []
  await store.update(keys, (value) => {
    if (value === undefined) return undefined
    const next = change(parseRecord(MessageRecord, value, 'message'))
    if (next != null) changed.push(next)
    return next
  }, extra, options)
  return changed
}

/** For each id, whether a message with it is stored (one round trip for all). */
export async function hasMessages (store: Store, ids: string[]): Promise<boolean[]> {
  return store.hasMany(ids.map(id => indexKey(store, id)))
}

/**
 * The keys of the messages with these ids (undefined where there is none,
 * or it is gone), in one round trip: ids nobody holds cost a keyed hash and
 * a missed read each, nothing decrypted.
 */
export async function findMessageKeys (store: Store, ids: string[]): Promise<Array<Uint8Array | undefined>> {
  const entries = await store.getManyJson(ids.map(id => indexKey(store, id)))
  return entries.map(index => {
    if (index === undefined) return undefined
    const entry = parseRecord(MessageIndexRecord, index, 'message index')
    return 'key' in entry ? fromHex(entry.key) : undefined
  })
}

export async function findMessage (store: Store, id: string): Promise<{ key: Uint8Array, record: MessageRecord } | undefined> {
  const index = await store.getJson(indexKey(store, id))
  if (index === undefined) return undefined
  const entry = parseRecord(MessageIndexRecord, index, 'message index')
  if (!('key' in entry)) return undefined
  const key = fromHex(entry.key)
  const value = await store.getJson(key)
  if (value === undefined) return undefined
  return { key, record: parseRecord(MessageRecord, value, 'message') }
}

/**
 * One page of a conversation, oldest first: the `limit` messages just
 * before `before` (a message id), or the most recent ones.
 */
export async function listMessages (store: Store, peerId: string, options: { limit: number, before?: string }): Promise<MessageRecord[]> {
  const range: RangeOptions = { ...Store.range(Table.MESSAGES, conversationHash(store, peerId)), reverse: true, limit: options.limit }
  if (options.before != null) {
    const anchor = await findMessage(store, options.before)
    if (anchor == null || anchor.record.with !== peerId) return []
    range.lt = anchor.key
  }
  const page: MessageRecord[] = []
  for await (const { value } of store.entries(range)) page.push(parseRecord(MessageRecord, value, 'message'))
  return page.reverse()
}

/** Keys of the unread incoming messages of a conversation, oldest first. */
export async function listUnreadKeys (store: Store, peerId: string): Promise<Uint8Array[]> {
  const keys: Uint8Array[] = []
  for await (const key of store.keys(Store.range(Table.UNREAD, conversationHash(store, peerId)))) {
    keys.push(makeKey(Table.MESSAGES, key.subarray(1)))
  }
  return keys
}

/** How many incoming messages of a conversation are unread (keys only, nothing decrypted). */
export async function countUnread (store: Store, peerId: string): Promise<number> {
  let n = 0
  for await (const _ of store.keys(Store.range(Table.UNREAD, conversationHash(store, peerId)))) n++
  return n
}

export async function getMessageAt (store: Store, key: Uint8Array): Promise<MessageRecord | undefined> {
  const value = await store.getJson(key)
  return value === undefined ? undefined : parseRecord(MessageRecord, value, 'message')
}

/** The messages stored at these keys (undefined where there is none), in one round trip. */
export async function getMessagesAt (store: Store, keys: Uint8Array[]): Promise<Array<MessageRecord | undefined>> {
  return (await store.getManyJson(keys)).map(value => value === undefined ? undefined : parseRecord(MessageRecord, value, 'message'))
}

/** The operation that drops a message's unread marker. */
export function clearUnread (key: Uint8Array): BatchOp {
  return { type: 'del', key: unreadKeyFor(key) }
}

/** The operation that puts a message in the expiry schedule (its clock has started). */
export function scheduleExpiry (store: Store, key: Uint8Array, record: MessageRecord & { expiresAt: number }): BatchOp {
  return store.putJson(expiryKeyFor(key, record.expiresAt), { id: record.id, with: record.with })
}

/**
 * What removing a message involves, for {@link Store.rewrite}: its row (and
 * any queued copies) to drop, with its epoch punctured; and, in the same
 * batch, a tombstone in the index, and no unread marker or expiry entry.
 */
export function removal (store: Store, found: { key: Uint8Array, record: MessageRecord }, queued: Uint8Array[] = []): { rows: Map<string, RowChange>, extra: BatchOp[] } {
  const rows = new Map<string, RowChange>([[toHex(found.key), 'drop']])
  for (const q of queued) rows.set(toHex(q), 'drop')
  const extra: BatchOp[] = [store.putJson(indexKey(store, found.record.id), { gone: true }), clearUnread(found.key)]
  if (found.record.expiresAt != null) extra.push({ type: 'del', key: expiryKeyFor(found.key, found.record.expiresAt) })
  return { rows, extra }
}

/** A tombstone for an id we never held (a retraction that overtook nothing), so a late copy stays out. */
export function tombstone (store: Store, id: string): BatchOp {
  return store.putJson(indexKey(store, id), { gone: true })
}

/** Disappearing messages whose time has come, in expiry order. */
export async function dueExpiries (store: Store, now: number, limit = 1000): Promise<Array<{ entry: Uint8Array, messageKey: Uint8Array, id: string, with: string }>> {
  const due = []
  for await (const { key, value } of store.entries({ gte: makeKey(Table.EXPIRY), lt: makeKey(Table.EXPIRY, u64(Math.floor(now) + 1)), limit })) {
    const record = parseRecord(ExpiryRecord, value, 'expiry entry')
    due.push({ entry: key, messageKey: key.slice(9), id: record.id, with: record.with })
  }
  return due
}

/** When the next disappearing message goes, if any. */
export async function nextExpiry (store: Store): Promise<number | undefined> {
  for await (const key of store.keys({ ...Store.range(Table.EXPIRY), limit: 1 })) return Number(readU64(key, 1))
  return undefined
}
