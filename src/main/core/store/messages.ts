/**
 * Message history. A message's key is
 *   MESSAGES | keyed hash of the conversation (16) | HLC (8) | keyed hash of the id (8)
 * so one conversation is one contiguous, time-ordered range, and paging
 * backwards is a reverse range read. An index maps message ids to keys, and
 * the UNREAD table mirrors the keys of incoming messages not yet read.
 */
import { fromHex, toHex } from '../bytes.js'
import { MessageIndexRecord, MessageRecord, parseRecord } from './records.js'
import { Store, type BatchOp, type RangeOptions } from './store.js'
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

/** Operations that store a new message (and index it, and mark it unread when incoming). */
export function insertMessage (store: Store, record: MessageRecord): BatchOp[] {
  const key = messageKey(store, record)
  const ops = [
    store.putJson(key, record),
    store.putJson(indexKey(store, record.id), { key: toHex(key) })
  ]
  if (!record.outgoing && record.status !== 'read') ops.push(store.putJson(unreadKeyFor(key), 1))
  return ops
}

export function updateMessage (store: Store, key: Uint8Array, record: MessageRecord): BatchOp {
  return store.putJson(key, record)
}

/** For each id, whether a message with it is stored (one round trip for all). */
export async function hasMessages (store: Store, ids: string[]): Promise<boolean[]> {
  return store.hasMany(ids.map(id => indexKey(store, id)))
}

/** The stored records of messages whose conversation, clock and id are known (one round trip). */
export async function getMessages (store: Store, refs: Array<Pick<MessageRecord, 'with' | 'hlc' | 'id'>>): Promise<Array<{ key: Uint8Array, record: MessageRecord } | undefined>> {
  const keys = refs.map(r => messageKey(store, r))
  const values = await store.getManyJson(keys)
  return values.map((v, i) => v === undefined ? undefined : { key: keys[i]!, record: parseRecord(MessageRecord, v, 'message') })
}

export async function findMessage (store: Store, id: string): Promise<{ key: Uint8Array, record: MessageRecord } | undefined> {
  const index = await store.getJson(indexKey(store, id))
  if (index === undefined) return undefined
  const key = fromHex(parseRecord(MessageIndexRecord, index, 'message index').key)
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

/** Marks a stored incoming message read: rewrites it and drops its unread marker. */
export function markReadOps (store: Store, key: Uint8Array, record: MessageRecord): BatchOp[] {
  return [updateMessage(store, key, { ...record, status: 'read' }), { type: 'del', key: unreadKeyFor(key) }]
}
