/**
 * A conversation with a long history, written straight through the store
 * API (the same sealed records and keys the app writes), then opened the
 * way the UI opens it: the most recent page, then pages further back.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { randomBytes } from '../src/main/core/crypto/index.js'
import { toHex } from '../src/main/core/bytes.js'
import type { Hearth } from '../src/main/core/hearth.js'
import { insertMessage } from '../src/main/core/store/messages.js'
import type { MessageRecord } from '../src/main/core/store/records.js'
import { keepEpoch } from '../src/main/core/disappearing.js'
import { Store, type BatchOp } from '../src/main/core/store/store.js'
import { makeKey, Table } from '../src/main/core/store/tables.js'
import { PASSPHRASE, TEST_KDF } from '../test/fixtures/peers.js'

const SAMPLE_TEXTS = [
  'ok',
  'see you at seven?',
  'Did you take the bins out this morning or should I do it now?',
  'The router in the hall keeps dropping the connection; I restarted it twice and it is still flaky after dinner.',
  'lol',
  'Bringing the cake 🎂'
]

export interface HistoryBuild {
  /** The conversation partner (not a contact: nothing dials it). */
  peerId: string
  count: number
  buildMs: number
}

/** Writes `count` messages, alternating directions, into the existing profile in `dataDir`. */
export async function buildHistory (dataDir: string, selfId: string, count: number, batchSize: number): Promise<HistoryBuild> {
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const t0 = performance.now()
  const { store } = await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF })
  try {
    // One message a minute, ending now: about ten weeks of chat.
    const start = Date.now() - count * 60_000
    for (let done = 0; done < count;) {
      const ops: BatchOp[] = []
      const end = Math.min(count, done + batchSize)
      // Sealed as Hearth seals them: under the epoch of their conversation-week.
      const epochs = new Map<string, Uint8Array>()
      for (let i = done; i < end; i++) {
        const sentAt = start + i * 60_000
        const outgoing = i % 2 === 0
        const record: MessageRecord = {
          id: toHex(randomBytes(16)),
          with: peerId,
          from: outgoing ? selfId : peerId,
          outgoing,
          text: SAMPLE_TEXTS[i % SAMPLE_TEXTS.length] ?? 'hi',
          // The clock's layout: milliseconds above a 16-bit counter.
          hlc: (BigInt(sentAt) << 16n).toString(),
          sentAt,
          receivedAt: sentAt,
          status: 'read'
        }
        const spec = keepEpoch(store, peerId, sentAt)
        let epoch = epochs.get(spec.bucket)
        if (epoch == null) {
          epoch = await store.epochs.current(spec.kind, spec.bucket)
          epochs.set(spec.bucket, epoch)
        }
        ops.push(...insertMessage(store, record, epoch))
      }
      await store.batch(ops, { sync: end === count })
      done = end
    }
  } finally {
    await store.close()
  }
  return { peerId, count, buildMs: performance.now() - t0 }
}

export interface PageTimes {
  /** The first `messages.list` after the Hearth opened. */
  firstMs: number
  /** Later calls for the same most recent page. */
  latestMs: number[]
  /** Consecutive pages backwards, each anchored on the previous page's oldest message. */
  backMs: number[]
  /** Page sizes that came back short (should be none). */
  shortPages: number
}

export async function timePages (hearth: Hearth, peerId: string, options: { limit: number, repeats: number }): Promise<PageTimes> {
  const list = hearth.api['messages.list']
  let shortPages = 0
  const timed = async (before?: string): Promise<{ ms: number, oldest?: string }> => {
    const t0 = performance.now()
    const page = await list({ with: peerId, limit: options.limit, ...(before != null ? { before } : {}) })
    const ms = performance.now() - t0
    if (page.length !== options.limit) shortPages++
    return { ms, oldest: page[0]?.id }
  }
  const first = await timed()
  const latestMs: number[] = []
  for (let i = 0; i < options.repeats; i++) latestMs.push((await timed()).ms)
  const backMs: number[] = []
  let anchor = first.oldest
  for (let i = 0; i < options.repeats && anchor != null; i++) {
    const page = await timed(anchor)
    backMs.push(page.ms)
    anchor = page.oldest
  }
  return { firstMs: first.ms, latestMs, backMs, shortPages }
}

/**
 * Latency of one small synced write to a throwaway store in `emptyDir`:
 * the floor under each durable step of a send.
 */
export async function timeSyncedWrites (emptyDir: string, count: number): Promise<number[]> {
  const { store } = await Store.open({ dataDir: emptyDir, passphrase: PASSPHRASE, kdf: TEST_KDF })
  try {
    const samples: number[] = []
    const key = makeKey(Table.META, new Uint8Array([0xbe]))
    for (let i = 0; i < count; i++) {
      const op = store.putJson(key, { i })
      const t0 = performance.now()
      await store.batch([op], { sync: true })
      samples.push(performance.now() - t0)
    }
    return samples
  } finally {
    await store.close()
  }
}
