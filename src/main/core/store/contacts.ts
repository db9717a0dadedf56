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
