/**
 * Expiry under a fake clock: messages go at their time, their window's key
 * is erased when the window ends, a tombstone stays, and the epoch file
 * survives a crash half-way through being replaced.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toHex } from '../../src/main/core/bytes.js'
import { randomBytes } from '../../src/main/core/crypto/index.js'
import { Expiry, expiryEpoch, keepEpoch } from '../../src/main/core/disappearing.js'
import { EPOCHS_FILE } from '../../src/main/core/store/epochs.js'
import { findMessage, hasMessages, insertMessage } from '../../src/main/core/store/messages.js'
import { Outbox } from '../../src/main/core/store/outbox.js'
import type { MessageRecord } from '../../src/main/core/store/records.js'
import { Store } from '../../src/main/core/store/store.js'
import { PASSPHRASE, TEST_KDF } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'

const BOB = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const ME = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const T0 = 1_800_000_000_000

let dir: Awaited<ReturnType<typeof tempDir>>
let store: Store
let now = T0
const clock = (): number => now

beforeEach(async () => {
  now = T0
  dir = await tempDir()
  store = (await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, kdf: TEST_KDF, now: clock })).store
})
afterEach(async () => {
  await store.close()
  await dir.cleanup()
})

async function send (text: string, lifetime: number): Promise<MessageRecord & { expiresAt: number }> {
  const record = { id: toHex(randomBytes(16)), with: BOB, from: ME, outgoing: true, text, hlc: String(BigInt(now) << 16n), sentAt: now, receivedAt: now, status: 'delivered' as const, expiresIn: lifetime, expiresAt: now + lifetime * 1000 }
  await store.withEpochs([expiryEpoch(record.expiresAt, lifetime)], async ([epoch]) => { await store.batch(insertMessage(store, record, epoch)) })
  return record
}

describe('the expiry windows', () => {
  it('are at most a sixteenth of the lifetime (and an hour) wide, and end after the message', () => {
    for (const lifetime of [1, 30, 300, 3600, 28_800, 86_400, 604_800, 2_419_200]) {
      const expiresAt = T0 + lifetime * 1000 + 123
      const spec = expiryEpoch(expiresAt, lifetime)
      expect(spec.kind).toBe('expiry')
      expect(spec.endsAt).toBeGreaterThanOrEqual(expiresAt)
      expect(spec.endsAt! - expiresAt).toBeLessThanOrEqual(Math.max(1000, Math.min(3_600_000, lifetime * 1000 / 16)))
    }
    expect(expiryEpoch(T0 + 30_100, 30).bucket).toBe(expiryEpoch(T0 + 30_900, 30).bucket)
    expect(expiryEpoch(T0 + 30_100, 30).bucket).not.toBe(expiryEpoch(T0 + 31_100, 30).bucket)
  })
})

describe('expiry with a fake clock', () => {
  it('removes each message at its time, leaves a tombstone, then erases the window key', async () => {
    const outbox = await Outbox.open(store)
    const gone: string[] = []
    const expiry = new Expiry(store, outbox, clock, (g) => { gone.push(...g.map(x => x.id)) })
    const first = await send('first', 30)
    now += 10_000
    const second = await send('second', 30)
    const kept = { ...first, id: toHex(randomBytes(16)), text: 'kept', expiresIn: undefined, expiresAt: undefined }
    await store.withEpochs([keepEpoch(store, BOB, now)], async ([epoch]) => { await store.batch(insertMessage(store, kept as MessageRecord, epoch)) })
    const windows = (): number => store.epochs.list().filter(e => e.kind === 'expiry').length
    expect(windows()).toBe(2)

    now = first.expiresAt - 1
    await expiry.run()
    expect(gone).toEqual([])
    now = first.expiresAt
    await expiry.run()
    expect(gone).toEqual([first.id])
    expect(await findMessage(store, first.id)).toBeUndefined()
    expect(await hasMessages(store, [first.id])).toEqual([true])
    expect((await findMessage(store, second.id))?.record.text).toBe('second')

    now = expiryEpoch(first.expiresAt, 30).endsAt!
    await expiry.run()
    expect(windows()).toBe(1)

    now = expiryEpoch(second.expiresAt, 30).endsAt!
    await expiry.run()
    expect(gone).toEqual([first.id, second.id])
    expect(windows()).toBe(0)
    expect((await findMessage(store, kept.id))?.record.text).toBe('kept')
    expiry.stop()
  })

  it('catches up at once on what expired while closed', async () => {
    const a = await send('a', 30)
    const b = await send('b', 300)
    await store.close()
    now += 3_600_000
    store = (await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, now: clock })).store
    const gone: string[] = []
    const expiry = new Expiry(store, await Outbox.open(store), clock, (g) => { gone.push(...g.map(x => x.id)) })
    await expiry.run()
    expect(gone.sort()).toEqual([a.id, b.id].sort())
    expect(store.epochs.list()).toEqual([])
    expiry.stop()
  })
})

describe('the epoch file', () => {
  it('survives a crash after the new version was written but before it replaced the old', async () => {
    const r = await send('survivor', 604_800)
    await store.close()
    // A crash left a complete ".next" beside an old file overwritten with noise.
    const path = join(dir.path, EPOCHS_FILE)
    const { readFile } = await import('node:fs/promises')
    await writeFile(path + '.next', await readFile(path))
    await writeFile(path, randomBytes(300))
    store = (await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, now: clock })).store
    expect((await findMessage(store, r.id))?.record.text).toBe('survivor')
  })

  it('ignores a torn ".next" and keeps the intact old version', async () => {
    const r = await send('survivor', 604_800)
    await store.close()
    await writeFile(join(dir.path, EPOCHS_FILE + '.next'), randomBytes(40))
    store = (await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, now: clock })).store
    expect((await findMessage(store, r.id))?.record.text).toBe('survivor')
  })
})
