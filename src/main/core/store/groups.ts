/**
 * Groups at rest. Every key is a keyed hash (no group id, op id or peer id
 * reaches the disk in the clear) and every value is sealed:
 *   GROUPS     | group            -> the group record
 *   GROUP_OPS  | group | op       -> a signed op (checked again when loaded)
 *   GROUP_KEYS | group | op       -> a group key, sealed under the group's
 *                                    own epoch, erased when I leave
 *   GROUP_SEQ  | group | author | seq -> where that message is stored
 * A group message itself is an ordinary message row (the conversation is
 * the group) that also carries its envelope, so deleting or expiring it
 * takes the envelope with it.
 */
import { fromHex, toHex } from '../bytes.js'
import { GroupOp } from '../groups/pb/group.js'
import { GroupRecord, parseRecord } from './records.js'
import { Store, type BatchOp, type EpochSpec } from './store.js'
import { makeKey, readU64, Table, u64 } from './tables.js'
import { z } from 'zod'

function groupHash (store: Store, groupId: string): Uint8Array {
  return store.hash('group', groupId)
}

function recordKey (store: Store, groupId: string): Uint8Array {
  return makeKey(Table.GROUPS, groupHash(store, groupId))
}

/** The epoch a group's keys are sealed under: erased when I leave or am removed. */
export function groupKeyEpoch (store: Store, groupId: string): EpochSpec {
  return { kind: 'day', bucket: `g:${toHex(groupHash(store, groupId))}` }
}

export async function listGroups (store: Store): Promise<GroupRecord[]> {
  const out: GroupRecord[] = []
  for await (const { value } of store.entries(Store.range(Table.GROUPS))) out.push(parseRecord(GroupRecord, value, 'group'))
  return out
}

export function putGroup (store: Store, record: GroupRecord): BatchOp {
  return store.putJson(recordKey(store, record.id), record)
}

const StoredOp = z.object({ op: z.string().max(64 * 1024) })
const StoredKey = z.object({ keyOp: z.string().regex(/^[0-9a-f]{64}$/), key: z.string().regex(/^[0-9a-f]{64}$/) })
const SeqPointer = z.object({ key: z.string().regex(/^[0-9a-f]+$/) })

export function putOp (store: Store, groupId: string, id: string, op: GroupOp): BatchOp {
  return store.putJson(makeKey(Table.GROUP_OPS, groupHash(store, groupId), store.hash('gop', id)), { op: Buffer.from(GroupOp.encode(op)).toString('base64') })
}

export async function loadOps (store: Store, groupId: string): Promise<GroupOp[]> {
  const out: GroupOp[] = []
  for await (const { value } of store.entries(Store.range(Table.GROUP_OPS, groupHash(store, groupId)))) {
    out.push(GroupOp.decode(Buffer.from(parseRecord(StoredOp, value, 'group op').op, 'base64')))
  }
  return out
}

export function putGroupKey (store: Store, groupId: string, keyOp: string, key: Uint8Array, epoch: Uint8Array): BatchOp[] {
  return store.putInEpoch(makeKey(Table.GROUP_KEYS, groupHash(store, groupId), store.hash('gop', keyOp)), { keyOp, key: toHex(key) }, epoch)
}

export async function loadGroupKeys (store: Store, groupId: string): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const out = new Map<string, Uint8Array<ArrayBuffer>>()
  for await (const { value } of store.entries(Store.range(Table.GROUP_KEYS, groupHash(store, groupId)))) {
    if (value === undefined) continue
    const k = parseRecord(StoredKey, value, 'group key')
    out.set(k.keyOp, fromHex(k.key))
  }
  return out
}

function seqKey (store: Store, groupId: string, author: string, seq: number): Uint8Array {
  return makeKey(Table.GROUP_SEQ, groupHash(store, groupId), store.hash('author', author), u64(seq))
}

/** Records where the message `seq` of `author` is stored. */
export function putSeq (store: Store, groupId: string, author: string, seq: number, messageKey: Uint8Array): BatchOp {
  return store.putJson(seqKey(store, groupId, author, seq), { key: toHex(messageKey) })
}

/** Where an author's messages from `from` to `to` are stored, in order (those still pointed to). */
export async function seqPointers (store: Store, groupId: string, author: string, from: number, to: number, limit: number): Promise<Array<{ seq: number, pointer: Uint8Array, messageKey: Uint8Array }>> {
  const out = []
  const range = { gte: seqKey(store, groupId, author, from), lte: seqKey(store, groupId, author, to), limit }
  for await (const { key, value } of store.entries(range)) {
    if (value === undefined) continue
    const seq = Number(readU64(key, key.length - 8))
    out.push({ seq, pointer: key, messageKey: fromHex(parseRecord(SeqPointer, value, 'group message pointer').key) })
  }
  return out
}
