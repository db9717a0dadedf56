/**
 * Model-based test of reliable delivery: the persistent outbox, the
 * sender's window and cursor, acks, and the receiver's dedupe, under random
 * drops, duplicates, reordering, resets and restarts of either side.
 *
 * The stores are real: two encrypted LevelDB stores in temp dirs, each with
 * its Outbox, Expiry and MessageBook opened the way Hearth.open opens them;
 * messages are sent with MessageBook.send (what messages.send runs), frames
 * are the real ChatFrame encodings checked by the real decodeDataFrame, the
 * receiver stores with MessageBook.receive (the dedupe commitInbound uses),
 * and acks and "sent" marks go through MessageBook.advance, as in
 * chat-protocol.ts.
 *
 * What is modelled is OutboundSession (chat-protocol.ts), which needs a
 * libp2p node: its in-flight map, its cursor `lastSent` into
 * `outbox.pending(peer, room, lastSent)`, its window, and `reset`, which
 * forgets both. Each step runs alone, as the session's lock and the
 * receiver's lock make the real steps run. The channel between the two may
 * lose, copy and reorder frames and acks; an ack from an earlier stream is
 * ignored (the session reads acks only on its current stream), unless it
 * was already being read when the stream was reset ("racing"), in which
 * case it is applied, as readAcks would. The window is 3 here (512 in
 * production) so that 30 steps fill it.
 *
 * After the schedule, a heal phase runs the protocol with no faults (a
 * reset standing in for the ack timeout) until the outbox is empty. Then
 * the receiver holds every sent message exactly once and nothing else, and
 * the sender sees each one delivered.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { join } from 'node:path'
import { fromHex } from '../../../src/main/core/bytes.js'
import { HybridClock } from '../../../src/main/core/clock.js'
import { Expiry } from '../../../src/main/core/disappearing.js'
import { Emitter } from '../../../src/main/core/emitter.js'
import { MessageBook } from '../../../src/main/core/message-book.js'
import { decodeDataFrame } from '../../../src/main/core/protocols/chat/chat-protocol.js'
import { MAX_ACK_IDS } from '../../../src/main/core/protocols/chat/constants.js'
import { ChatFrame, type ChatMessage } from '../../../src/main/core/protocols/chat/pb/chat.js'
import { findMessage, hasMessages, listMessages } from '../../../src/main/core/store/messages.js'
import { Outbox, type QueuedItem } from '../../../src/main/core/store/outbox.js'
import type { OutboxItem } from '../../../src/main/core/store/records.js'
import { Store } from '../../../src/main/core/store/store.js'
import type { Events } from '../../../src/shared/api.js'
import { tempDir } from '../../fixtures/tmp.js'
import { fuzz, jsonCodec } from './harness.js'

const SENDER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const RECEIVER = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const PASSPHRASE = 'correct horse battery'
const KDF = { logN: 10, r: 8, p: 1 }
const WINDOW = 3
const T0 = 1_750_000_000_000

/** One side, opened as Hearth.open opens its store, outbox, expiry and message book. */
class Side {
  private constructor (readonly store: Store, readonly outbox: Outbox, readonly book: MessageBook, readonly expiry: Expiry) {}

  static async open (dataDir: string, selfId: string, now: () => number): Promise<Side> {
    const { store } = await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: KDF })
    const outbox = await Outbox.open(store)
    await store.eraseEmptyEpochs()
    const expiry = new Expiry(store, outbox, now, () => {})
    await expiry.run()
    const book = await MessageBook.open({ store, outbox, clock: new HybridClock(now), events: new Emitter<Events>(), expiry, selfId, now, kick: () => {} })
    return new Side(store, outbox, book, expiry)
  }

  async close (): Promise<void> {
    this.expiry.stop()
    await this.store.close()
  }
}

/** A frame or an ack on the wire, with the sender incarnation and stream it belongs to. */
interface Wire { process: number, stream: number, bytes: Uint8Array }

/** As encodeItem in chat-protocol.ts, for the kinds this test sends. */
function encodeItem (item: OutboxItem): Uint8Array {
  if (item.kind !== 'message') throw new Error(`this test queues only messages, not ${item.kind}`)
  const message = { id: fromHex(item.id), hlc: BigInt(item.hlc), text: item.text } as ChatMessage
  return ChatFrame.encode({ message })
}

class World {
  sender!: Side
  receiver!: Side
  /** Sender incarnations (a restart makes a new one) and its streams (a reset opens a new one). */
  process = 0
  stream = 0
  connected = true
  /** OutboundSession's state, lost on reset and restart. */
  readonly inflight = new Map<string, QueuedItem>()
  lastSent?: Uint8Array
  toReceiver: Wire[] = []
  toSender: Wire[] = []
  /** What messages.send accepted: id to text. */
  readonly sent = new Map<string, string>()
  readonly trace: string[] = []
  #ticks = 0
  readonly now = (): number => T0 + (this.#ticks += 7)

  private constructor (readonly senderDir: string, readonly receiverDir: string, readonly cleanup: () => Promise<void>) {}

  static async create (): Promise<World> {
    const tmp = await tempDir('hearth-fuzz-')
    const world = new World(join(tmp.path, 'sender'), join(tmp.path, 'receiver'), tmp.cleanup)
    world.sender = await Side.open(world.senderDir, SENDER, world.now)
    world.receiver = await Side.open(world.receiverDir, RECEIVER, world.now)
    return world
  }

  async dispose (): Promise<void> {
    await this.sender.close()
    await this.receiver.close()
    await this.cleanup()
  }

  // ------------------------------------------------------------ the sender (messages.send, OutboundSession)

  async send (n: number): Promise<void> {
    const texts = Array.from({ length: n }, (_, i) => `message ${this.sent.size + i} ✉`)
    // Concurrent sends share one group commit in the outbox.
    const results = await Promise.all(texts.map(async text => ({ text, id: (await this.sender.book.send(RECEIVER, text)).id })))
    for (const { id, text } of results) this.sent.set(id, text)
  }

  /** OutboundSession.reset: the stream and everything in flight go; the outbox keeps it all. */
  reset (): void {
    this.stream++
    this.inflight.clear()
    this.lastSent = undefined
  }

  /** OutboundSession.pump: fill the window from the cursor, mark what went out as sent. */
  async pump (): Promise<void> {
    if (!this.connected) return
    for (;;) {
      const room = WINDOW - this.inflight.size
      if (room <= 0) return
      const items = await this.sender.outbox.pending(RECEIVER, room, this.lastSent)
      if (items.length === 0) return
      for (const q of items) this.inflight.set(q.item.id, q)
      this.lastSent = items[items.length - 1]?.key
      for (const q of items) this.toReceiver.push({ process: this.process, stream: this.stream, bytes: encodeItem(q.item) })
      await this.sender.book.advance(RECEIVER, items, 'sent')
      if (items.length < room) return
    }
  }

  /** OutboundSession.readAcks for one ack frame. */
  async ack (pick: number, racing: boolean): Promise<void> {
    const wire = take(this.toSender, pick)
    if (wire == null) return
    // A restarted sender never hears its old streams; a reset one may still be reading the last.
    if (wire.process !== this.process || (wire.stream !== this.stream && !racing)) return
    const frame = ChatFrame.decode(wire.bytes, { limits: { ack: { ids: MAX_ACK_IDS }, read: { messageIds: MAX_ACK_IDS } } })
    if (frame.ack == null) throw new Error('the receiver sent something other than an ack')
    const acked: QueuedItem[] = []
    for (const raw of frame.ack.ids) {
      const item = this.inflight.get(Buffer.from(raw).toString('hex'))
      if (item == null) continue
      this.inflight.delete(item.item.id)
      acked.push(item)
    }
    if (acked.length === 0) return
    await this.sender.book.advance(RECEIVER, acked, 'delivered', acked.map(q => ({ type: 'del' as const, key: q.key })))
  }

  // ------------------------------------------------------------ the receiver (handleInbound, commitInbound)

  /** Reads up to `count` frames of one stream, stores them in one batch, acks the batch. */
  async deliver (pick: number, count: number): Promise<void> {
    if (this.toReceiver.length === 0) return
    const start = pick % this.toReceiver.length
    const head = this.toReceiver[start]
    if (head == null) return
    const batch: Wire[] = []
    for (let i = start; i < this.toReceiver.length && batch.length < count;) {
      const w = this.toReceiver[i]
      if (w != null && w.process === head.process && w.stream === head.stream) {
        batch.push(w)
        this.toReceiver.splice(i, 1)
      } else {
        i++
      }
    }
    const frames = batch.map(w => decodeDataFrame(w.bytes))
    const messages = frames.map(f => {
      if (f.kind !== 'message') throw new Error(`unexpected ${f.kind} frame`)
      return { id: f.id, hlc: f.hlc, text: f.text }
    })
    await this.receiver.book.receive(SENDER, messages)
    this.toSender.push({ process: head.process, stream: head.stream, bytes: ChatFrame.encode({ ack: { ids: frames.map(f => fromHex((f as { id: string }).id)) } }) })
  }

  // ------------------------------------------------------------ faults

  drop (to: 'receiver' | 'sender', pick: number): void {
    take(to === 'receiver' ? this.toReceiver : this.toSender, pick)
  }

  duplicate (to: 'receiver' | 'sender', pick: number): void {
    const channel = to === 'receiver' ? this.toReceiver : this.toSender
    const w = channel[pick % Math.max(1, channel.length)]
    if (w != null) channel.push({ ...w })
  }

  link (up: boolean): void {
    if (!up && this.connected) this.reset()
    this.connected = up
  }

  async restart (who: 'sender' | 'receiver', keepInFlight: boolean): Promise<void> {
    if (who === 'sender') {
      await this.sender.close()
      this.sender = await Side.open(this.senderDir, SENDER, this.now)
      this.process++
    } else {
      await this.receiver.close()
      this.receiver = await Side.open(this.receiverDir, RECEIVER, this.now)
      // What the receiver had buffered but not stored is gone with it, unless the network still holds copies.
      if (!keepInFlight) this.toReceiver = []
    }
    // Either way the connection dropped: the session resets.
    this.reset()
  }

  // ------------------------------------------------------------ checks

  /** At any moment: no message stored twice, and none that was not sent. */
  async checkReceiver (): Promise<void> {
    const held = (await listMessages(this.receiver.store, SENDER, { limit: 10_000 })).map(m => m.id)
    expect(new Set(held).size, 'a message is stored twice').toBe(held.length)
    for (const id of held) expect(this.sent.has(id), `stored ${id}, which was never sent`).toBe(true)
  }

  /** Runs the protocol with no faults until the outbox is empty. */
  async heal (): Promise<void> {
    this.connected = true
    for (let round = 0; round < 200; round++) {
      await this.pump()
      while (this.toReceiver.length > 0) await this.deliver(0, Number.MAX_SAFE_INTEGER)
      while (this.toSender.length > 0) await this.ack(0, false)
      if (await this.sender.outbox.count(RECEIVER) === 0) return
      // Nothing more will come back for what is in flight: the ack timer fires.
      if (this.inflight.size > 0) this.reset()
    }
    throw new Error(`the outbox did not drain: ${await this.sender.outbox.count(RECEIVER)} left`)
  }

  async checkFinal (options: { strictEpochIndex: boolean }): Promise<void> {
    expect(await this.sender.outbox.count(RECEIVER)).toBe(0)
    const ids = [...this.sent.keys()]
    const held = await listMessages(this.receiver.store, SENDER, { limit: 10_000 })
    expect(held.map(m => m.id).sort(), 'delivered differs from sent').toEqual([...ids].sort())
    for (const m of held) {
      expect(m.text).toBe(this.sent.get(m.id))
      expect(m.from).toBe(SENDER)
      expect(m.outgoing).toBe(false)
    }
    expect(await hasMessages(this.receiver.store, ids)).toEqual(ids.map(() => true))
    for (const id of ids) {
      const mine = await findMessage(this.sender.store, id)
      expect(mine?.record.status, `the sender does not see ${id} delivered`).toBe('delivered')
    }
    if (options.strictEpochIndex) {
      // Every row an epoch's index lists still exists (else the index only grows, and no epoch ever looks empty).
      for (const side of [this.sender, this.receiver]) {
        for (const e of side.store.epochs.list()) {
          for (const row of await side.store.epochRows(fromHex(e.id))) {
            expect(await side.store.has(row), `epoch ${e.id} lists a row that is gone`).toBe(true)
          }
        }
      }
    }
  }
}

/** Removes and returns the item at `pick` (modulo the length). */
function take<T> (list: T[], pick: number): T | undefined {
  if (list.length === 0) return undefined
  return list.splice(pick % list.length, 1)[0]
}

// ------------------------------------------------------------ the schedule

type Op =
  | { op: 'send', n: number }
  | { op: 'pump' }
  | { op: 'deliver', pick: number, count: number }
  | { op: 'ack', pick: number, racing: boolean }
  | { op: 'drop', to: 'receiver' | 'sender', pick: number }
  | { op: 'duplicate', to: 'receiver' | 'sender', pick: number }
  | { op: 'reset' }
  | { op: 'link', up: boolean }
  | { op: 'restart', who: 'sender' | 'receiver', keep: boolean }

interface Model { sent: number }

/** One step of the schedule as a fast-check command over the real world. */
class Step implements fc.AsyncCommand<Model, World> {
  constructor (readonly op: Op) {}
  check (): boolean { return true }
  async run (model: Model, world: World): Promise<void> {
    const op = this.op
    world.trace.push(JSON.stringify(op))
    switch (op.op) {
      case 'send':
        await world.send(op.n)
        model.sent += op.n
        break
      case 'pump': await world.pump(); break
      case 'deliver': await world.deliver(op.pick, op.count); break
      case 'ack': await world.ack(op.pick, op.racing); break
      case 'drop': world.drop(op.to, op.pick); break
      case 'duplicate': world.duplicate(op.to, op.pick); break
      case 'reset': world.reset(); break
      case 'link': world.link(op.up); break
      case 'restart': await world.restart(op.who, op.keep); break
    }
    expect(world.sent.size).toBe(model.sent)
    await world.checkReceiver()
  }

  toString (): string { return JSON.stringify(this.op) }
}

const pick = fc.nat({ max: 63 })
const side = fc.constantFrom('receiver' as const, 'sender' as const)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }).map(n => ({ op: 'send' as const, n })) },
  { weight: 4, arbitrary: fc.constant({ op: 'pump' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('deliver' as const), pick, count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('ack' as const), pick, racing: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), to: side, pick }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), to: side, pick }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('link' as const), up: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), who: side, keep: fc.boolean() }) }
)

interface Schedule { ops: Op[], strictEpochIndex?: boolean }

const OPS = new Set(['send', 'pump', 'deliver', 'ack', 'drop', 'duplicate', 'reset', 'link', 'restart'])
const scheduleCodec = jsonCodec((j): j is Schedule => typeof j === 'object' && j !== null && Array.isArray((j as Schedule).ops) &&
  (j as Schedule).ops.every(o => typeof o === 'object' && o !== null && OPS.has((o as { op: string }).op)))

async function runSchedule ({ ops, strictEpochIndex }: Schedule): Promise<void> {
  const world = await World.create()
  try {
    await fc.asyncModelRun(() => ({ model: { sent: 0 }, real: world }), ops.map(op => new Step(op)))
    await world.heal()
    await world.checkFinal({ strictEpochIndex: strictEpochIndex ?? false })
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  steps: ${world.trace.join(' ')}`, { cause: err })
  } finally {
    await world.dispose()
  }
}

describe('outbox, window, acks and dedupe under faults', () => {
  it('deliver every sent message exactly once, through drops, copies, reordering, resets and restarts', async () => {
    const schedule = fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 30, size: 'max' }) })
    await fuzz('outbox-model', schedule, scheduleCodec, runSchedule, { runs: 50, timeoutMs: 20_000, maxMsPerInput: 20_000 })
  })
})
