/** Contacts and contact requests (in both directions), keyed by keyed hashes of peer ids. */
import {
  ContactRecord,
  IncomingRequestRecord,
  OutgoingRequestRecord,
  parseRecord
} from './records.js'
import { Store, type BatchOp } from './store.js'
import { makeKey, Table, type TableId } from './tables.js'

function peerKey (store: Store, table: TableId, peerId: string): Uint8Array {
  return makeKey(table, store.hash('peer', peerId))
}

export async function listContacts (store: Store): Promise<ContactRecord[]> {
  const out: ContactRecord[] = []
  for await (const { value } of store.entries(Store.range(Table.CONTACTS))) out.push(parseRecord(ContactRecord, value, 'contact'))
  return out
}

export function putContact (store: Store, contact: ContactRecord): BatchOp {
  return store.putJson(peerKey(store, Table.CONTACTS, contact.peerId), contact)
}

export async function listIncomingRequests (store: Store): Promise<IncomingRequestRecord[]> {
  const out: IncomingRequestRecord[] = []
  for await (const { value } of store.entries(Store.range(Table.REQUESTS_IN))) out.push(parseRecord(IncomingRequestRecord, value, 'contact request'))
  return out
}

export function putIncomingRequest (store: Store, request: IncomingRequestRecord): BatchOp {
  return store.putJson(peerKey(store, Table.REQUESTS_IN, request.peerId), request)
}

/** A request nobody answered is dropped after this long. */
export const REQUEST_TTL_MS = 7 * 24 * 60 * 60 * 1000
/** A declined request is remembered this long, so the peer cannot ask again at once. */
export const DECLINE_COOLDOWN_MS = 24 * 60 * 60 * 1000

/** Drops requests (both ways) that were never answered, and declines past their cool-down. */
export async function purgeStaleRequests (store: Store, now: number): Promise<number> {
  const ops: BatchOp[] = []
  for (const r of await listIncomingRequests(store)) {
    const stale = r.declinedAt != null ? now - r.declinedAt >= DECLINE_COOLDOWN_MS : now - r.receivedAt >= REQUEST_TTL_MS
    if (stale) ops.push(deleteIncomingRequest(store, r.peerId))
  }
  for await (const { key, value } of store.entries(Store.range(Table.REQUESTS_OUT))) {
    if (now - parseRecord(OutgoingRequestRecord, value, 'outgoing request').sentAt >= REQUEST_TTL_MS) ops.push({ type: 'del', key })
  }
  await store.batch(ops)
  return ops.length
}

export function deleteIncomingRequest (store: Store, peerId: string): BatchOp {
  return { type: 'del', key: peerKey(store, Table.REQUESTS_IN, peerId) }
}

export async function getOutgoingRequest (store: Store, peerId: string): Promise<OutgoingRequestRecord | undefined> {
  const value = await store.getJson(peerKey(store, Table.REQUESTS_OUT, peerId))
  return value === undefined ? undefined : parseRecord(OutgoingRequestRecord, value, 'outgoing request')
}

export function putOutgoingRequest (store: Store, request: OutgoingRequestRecord): BatchOp {
  return store.putJson(peerKey(store, Table.REQUESTS_OUT, request.peerId), request)
}

export function deleteOutgoingRequest (store: Store, peerId: string): BatchOp {
  return { type: 'del', key: peerKey(store, Table.REQUESTS_OUT, peerId) }
}
