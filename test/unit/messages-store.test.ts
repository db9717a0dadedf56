import { afterEach, beforeEach, describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { randomBytes } from '../../src/main/core/crypto/index.js'
import { toHex } from '../../src/main/core/bytes.js'
import {
  findMessage,
  getMessageAt,
  hasMessages,
  insertMessage,
  listMessages,
  listUnreadKeys,
  clearUnread,
  messageKey,
  updateMessages
} from '../../src/main/core/store/messages.js'
import { Outbox } from '../../src/main/core/store/outbox.js'
import type { MessageRecord, OutboxItem } from '../../src/main/core/store/records.js'
import { Store } from '../../src/main/core/store/store.js'
import { PASSPHRASE, TEST_KDF } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'

const ALICE = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const BOB = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const SELF = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const T0 = 1_700_000_000_000

let dataDir: string
let cleanup: () => Promise<void>
let store: Store

async function reopen (): Promise<void> {
  await store.close()
  store = (await Store.open({ dataDir, passphrase: PASSPHRASE })).store
}

beforeEach(async () => {
  const tmp = await tempDir()
  cleanup = tmp.cleanup
  dataDir = join(tmp.path, 'profile')
  store = (await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF })).store
})

afterEach(async () => {
  await store.close()
  await cleanup()
})

function newId (): string {
  return toHex(randomBytes(16))
}

/** A message in the conversation with `peer` at wall time T0 + `ms`, incoming unless told otherwise. */
function message (peer: string, ms: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  const outgoing = fields.outgoing ?? false
  return {
    id: newId(),
    with: peer,
    from: outgoing ? SELF : peer,
    outgoing,
    text: `message at ${ms}`,
    hlc: String(BigInt(T0 + ms) << 16n),
    sentAt: T0 + ms,
    receivedAt: T0 + ms,
    status: outgoing ? 'sent' : 'delivered',
    ...fields
  }
}

async function insertAll (records: MessageRecord[]): Promise<void> {
  await store.batch(records.flatMap(r => insertMessage(store, r)))
}

/** Fisher-Yates with Math.random: the order the records are stored in must not matter. */
function shuffled<T> (items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}

describe('message history', () => {
  it('lists a conversation oldest first by clock, whatever order the messages were stored in', async () => {
    const records = Array.from({ length: 40 }, (_, i) => message(ALICE, i * 1000))
    for (const r of shuffled(records)) await insertAll([r])
    const page = await listMessages(store, ALICE, { limit: 100 })
    expect(page.map(m => m.id)).toEqual(records.map(r => r.id))
  })

  it('orders by the clock value, not by the wall time a message claims', async () => {
    const late = message(ALICE, 5, { sentAt: T0 - 99_999 })
    const early = message(ALICE, 1, { sentAt: T0 + 99_999 })
    await insertAll([late, early])
    expect((await listMessages(store, ALICE, { limit: 10 })).map(m => m.id)).toEqual([early.id, late.id])
  })

  it('keeps two messages that share a clock value', async () => {
    const a = message(ALICE, 1)
    const b = message(ALICE, 1)
    await insertAll([a, b])
    const page = await listMessages(store, ALICE, { limit: 10 })
    expect(page.map(m => m.id).sort()).toEqual([a.id, b.id].sort())
  })

  it('returns the most recent messages when there are more than the limit', async () => {
    const records = Array.from({ length: 30 }, (_, i) => message(ALICE, i))
    await insertAll(records)
    const page = await listMessages(store, ALICE, { limit: 10 })
    expect(page.map(m => m.id)).toEqual(records.slice(20).map(r => r.id))
  })

  it('pages backwards with `before` without gaps or overlap', async () => {
    const records = Array.from({ length: 250 }, (_, i) => message(ALICE, i * 7))
    await store.batch(shuffled(records).flatMap(r => insertMessage(store, r)))
    // Another conversation interleaved in time must not leak into the pages.
    await insertAll(Array.from({ length: 50 }, (_, i) => message(BOB, i * 7 + 3)))

    const seen: string[] = []
    let before: string | undefined
    let pages = 0
    for (;;) {
      const page = await listMessages(store, ALICE, { limit: 60, ...(before != null ? { before } : {}) })
      if (page.length === 0) break
      pages++
      expect(page.length).toBeLessThanOrEqual(60)
      expect(page.every(m => m.with === ALICE)).toBe(true)
      seen.unshift(...page.map(m => m.id))
      before = page[0]?.id
    }
    expect(pages).toBe(5)
    expect(seen).toEqual(records.map(r => r.id))
  })

  it('returns nothing before an unknown message or a message of another conversation', async () => {
    const alice = message(ALICE, 10)
    const bob = message(BOB, 20)
    await insertAll([message(ALICE, 1), alice, message(BOB, 2), bob])
    expect(await listMessages(store, ALICE, { limit: 10, before: newId() })).toEqual([])
    expect(await listMessages(store, ALICE, { limit: 10, before: bob.id })).toEqual([])
    expect(await listMessages(store, ALICE, { limit: 10, before: alice.id })).toHaveLength(1)
  })

  it('finds a message by id, and survives a restart', async () => {
    const m = message(ALICE, 1, { text: 'find me' })
    await insertAll([m])
    expect(await hasMessages(store, [m.id, newId()])).toEqual([true, false])
    await reopen()
    const found = await findMessage(store, m.id)
    expect(found?.record).toEqual(m)
    expect(Buffer.from(found?.key ?? []).equals(Buffer.from(messageKey(store, m)))).toBe(true)
    expect(await findMessage(store, newId())).toBeUndefined()
  })
})

describe('unread messages', () => {
  it('tracks incoming messages not yet read, oldest first, per conversation', async () => {
    const unread1 = message(ALICE, 1)
    const unread2 = message(ALICE, 2)
    await insertAll([
      unread2,
      message(ALICE, 3, { outgoing: true }),
      message(ALICE, 4, { status: 'read' }),
      unread1,
      message(BOB, 1)
    ])
    const keys = await listUnreadKeys(store, ALICE)
    const records = await Promise.all(keys.map(async k => getMessageAt(store, k)))
    expect(records.map(r => r?.id)).toEqual([unread1.id, unread2.id])
    expect(await listUnreadKeys(store, BOB)).toHaveLength(1)
  })

  it('updateMessages with clearUnread marks the message read and drops it from the unread list', async () => {
    const first = message(ALICE, 1)
    const second = message(ALICE, 2)
    await insertAll([first, second])
    const [key] = await listUnreadKeys(store, ALICE)
    if (key == null) throw new Error('expected an unread key')
    await updateMessages(store, [key], r => ({ ...r, status: 'read' }), [clearUnread(key)])

    expect((await findMessage(store, first.id))?.record.status).toBe('read')
    expect((await findMessage(store, second.id))?.record.status).toBe('delivered')
    const left = await listUnreadKeys(store, ALICE)
    expect(left).toHaveLength(1)
    expect((await getMessageAt(store, left[0] ?? new Uint8Array(0)))?.id).toBe(second.id)
  })
})

describe('Outbox', () => {
  const item = (to: string, n: number): OutboxItem => ({ kind: 'message', id: newId(), to, hlc: String(T0 + n), text: `#${n}` })

  it('keeps each peer\'s items in enqueue order, and only that peer\'s', async () => {
    const outbox = await Outbox.open(store)
    const alice: OutboxItem[] = []
    const bob: OutboxItem[] = []
    for (let i = 0; i < 20; i++) {
      const forAlice = item(ALICE, i)
      const forBob = item(BOB, i)
      alice.push(forAlice)
      bob.push(forBob)
      await outbox.commit([forAlice, forBob])
    }
    expect((await outbox.pending(ALICE, 100)).map(q => q.item)).toEqual(alice)
    expect((await outbox.pending(BOB, 100)).map(q => q.item)).toEqual(bob)
    expect(await outbox.pending(SELF, 100)).toEqual([])
    expect(await outbox.count(ALICE)).toBe(20)
  })

  it('pending(peer, limit, after) continues right after the given key', async () => {
    const outbox = await Outbox.open(store)
    const items = Array.from({ length: 10 }, (_, i) => item(ALICE, i))
    await outbox.commit(items)
    await outbox.commit([item(BOB, 0)])

    const first = await outbox.pending(ALICE, 4)
    expect(first.map(q => q.item)).toEqual(items.slice(0, 4))
    const second = await outbox.pending(ALICE, 4, first[3]?.key)
    expect(second.map(q => q.item)).toEqual(items.slice(4, 8))
    const rest = await outbox.pending(ALICE, 4, second[3]?.key)
    expect(rest.map(q => q.item)).toEqual(items.slice(8))
    expect(await outbox.pending(ALICE, 4, rest[1]?.key)).toEqual([])
  })

  it('queues concurrent commits in call order, so a sender past one item never misses an earlier one', async () => {
    const outbox = await Outbox.open(store)
    for (let round = 0; round < 50; round++) {
      const a = item(ALICE, 2 * round)
      const b = item(ALICE, 2 * round + 1)
      const before = (await outbox.pending(ALICE, 1000)).at(-1)?.key
      // The first commit carries a larger batch, so without ordering it would tend to finish second.
      const filler = Array.from({ length: 50 }, (_, i) => store.putJson(new Uint8Array([0x7f, round, i]), 'x'.repeat(200)))
      const first = outbox.commit([a], filler)
      let seenAfterB: OutboxItem[] | undefined
      const second = outbox.commit([b]).then(async () => {
        seenAfterB = (await outbox.pending(ALICE, 1000, before)).map(q => q.item)
      })
      await Promise.all([first, second])
      expect(seenAfterB).toEqual([a, b])
    }
  })

  it('ignores a cursor that belongs to another peer', async () => {
    const outbox = await Outbox.open(store)
    await outbox.commit([item(BOB, 0), item(ALICE, 0), item(ALICE, 1)])
    const bobKey = (await outbox.pending(BOB, 1))[0]?.key
    expect((await outbox.pending(ALICE, 10, bobKey)).map(q => q.item.kind === 'message' ? q.item.text : q.item.kind)).toEqual(['#0', '#1'])
  })

  it('forgets an item once its key is deleted (acknowledged)', async () => {
    const outbox = await Outbox.open(store)
    const items = [item(ALICE, 1), item(ALICE, 2), item(ALICE, 3)]
    await outbox.commit(items)
    const queued = await outbox.pending(ALICE, 10)
    await store.batch([{ type: 'del', key: queued[1]?.key ?? new Uint8Array(0) }])
    expect((await outbox.pending(ALICE, 10)).map(q => q.item)).toEqual([items[0], items[2]])
    expect(await outbox.count(ALICE)).toBe(2)
  })

  it('continues the sequence after a restart: new items sort after old ones', async () => {
    let outbox = await Outbox.open(store)
    const old = Array.from({ length: 5 }, (_, i) => item(ALICE, i))
    await outbox.commit(old)
    // The highest sequence belongs to another peer; Alice's new items must still come after hers.
    await outbox.commit([item(BOB, 0), item(BOB, 1)])
    const acked = (await outbox.pending(ALICE, 2)).map(q => ({ type: 'del' as const, key: q.key }))
    await store.batch(acked)

    await reopen()
    outbox = await Outbox.open(store)
    const fresh = [item(ALICE, 10), item(ALICE, 11)]
    await outbox.commit(fresh)
    expect((await outbox.pending(ALICE, 100)).map(q => q.item)).toEqual([...old.slice(2), ...fresh])
  })

  it('keeps every kind of item intact through the store', async () => {
    const outbox = await Outbox.open(store)
    const items: OutboxItem[] = [
      item(ALICE, 1),
      { kind: 'read', id: newId(), to: ALICE, messageIds: [newId(), newId()] },
      { kind: 'profile', id: newId(), to: ALICE, name: 'Alice Liddell' }
    ]
    await outbox.commit(items)
    await reopen()
    expect((await (await Outbox.open(store)).pending(ALICE, 10)).map(q => q.item)).toEqual(items)
  })
})
