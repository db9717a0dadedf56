/** Invites we issued, keyed by a keyed hash of their secret. */
import { InviteRecord, parseRecord } from './records.js'
import { Store, type BatchOp } from './store.js'
import { makeKey, Table } from './tables.js'

function inviteKey (store: Store, secret: Uint8Array): Uint8Array {
  return makeKey(Table.INVITES, store.hash('invite', secret))
}

export async function getInvite (store: Store, secret: Uint8Array): Promise<InviteRecord | undefined> {
  const value = await store.getJson(inviteKey(store, secret))
  return value === undefined ? undefined : parseRecord(InviteRecord, value, 'invite')
}

export function putInvite (store: Store, secret: Uint8Array, invite: InviteRecord): BatchOp {
  return store.putJson(inviteKey(store, secret), invite)
}

/** Deletes invites (used or not) whose expiry has passed. */
export async function purgeExpiredInvites (store: Store, now: number): Promise<number> {
  const ops: BatchOp[] = []
  for await (const { key, value } of store.entries(Store.range(Table.INVITES))) {
    if (parseRecord(InviteRecord, value, 'invite').expiresAt <= now) ops.push({ type: 'del', key })
  }
  await store.batch(ops)
  return ops.length
}
