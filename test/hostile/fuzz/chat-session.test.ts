/**
 * The real ChatProtocol (OutboundSession, handleInbound, commitInbound), two
 * of them, over in-memory libp2p streams (@libp2p/utils streamPair), with
 * random schedules of sends in both directions, pauses, link drops and
 * flaps, and restarts of either side (protocol stopped, store closed and
 * reopened, every stream of that side reset). The node is a stand-in that
 * offers handle, dialProtocol and getConnections, and tells the protocol of
 * connects and disconnects as Hearth does on peer:connect and
 * peer:disconnect.
 *
 * Streams here are reliable and ordered, as TCP is; loss, copies and
 * reordering come from what the protocol must survive: a stream cut with
 * frames and acks in flight, and everything re-sent on the next one. (The
 * model test beside this one drops, copies and reorders single frames.)
 *
 * Timing is real, so a failure may not replay step for step; the schedule
 * is still kept, and the end state it must reach is deterministic: after
 * the link stays up, both outboxes drain, each side holds every message the
 * other sent exactly once, and sees each of its own delivered.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { streamPair } from '@libp2p/utils'
import type { PeerId, Stream } from '@libp2p/interface'
import { HybridClock } from '../../../src/main/core/clock.js'
import { ContactBook } from '../../../src/main/core/contact-book.js'
import { Expiry } from '../../../src/main/core/disappearing.js'
import { Emitter } from '../../../src/main/core/emitter.js'
import { HearthError } from '../../../src/main/core/errors.js'
import { MessageBook } from '../../../src/main/core/message-book.js'
import type { HearthNode } from '../../../src/main/core/node/create-node.js'
import { ChatProtocol } from '../../../src/main/core/protocols/chat/chat-protocol.js'
import { newContact } from '../../../src/main/core/protocols/contact/contact-protocol.js'
import { findMessage, listMessages } from '../../../src/main/core/store/messages.js'
import { Outbox } from '../../../src/main/core/store/outbox.js'
import { Store } from '../../../src/main/core/store/store.js'
import type { Events } from '../../../src/shared/api.js'
import { tempDir } from '../../fixtures/tmp.js'
import { fuzz, jsonCodec } from './harness.js'

const PASSPHRASE = 'correct horse battery'
const KDF = { logN: 10, r: 8, p: 1 }
const [A_ID, B_ID] = await Promise.all([0, 1].map(async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')))) as [PeerId, PeerId]

type Name = 'a' | 'b'
type Handler = (stream: Stream, connection: { remotePeer: PeerId }) => void

/** The link between the two stand-in nodes: up or down, and every stream open on it. */
class Link {
  up = true
  readonly streams = new Set<{ ends: Stream[], sides: Name[] }>()
  readonly handlers = new Map<Name, Handler>()

  /** Resets every stream that touches `side` (or all of them). */
  cut (side?: Name): void {
    for (const s of [...this.streams]) {
      if (side != null && !s.sides.includes(side)) continue
      for (const end of s.ends) if (end.status === 'open') end.abort(new Error('link cut'))
      this.streams.delete(s)
    }
  }
}

/** Just enough of a libp2p node for ChatProtocol. */
function fakeNode (self: Name, link: Link): HearthNode {
  const other: Name = self === 'a' ? 'b' : 'a'
  const selfId = self === 'a' ? A_ID : B_ID
  const node = {
    peerId: selfId,
    handle: async (_protocol: string, handler: Handler) => { link.handlers.set(self, handler) },
    unhandle: async () => { link.handlers.delete(self) },
    getConnections: () => link.up ? [{ status: 'open' }] : [],
    dialProtocol: async () => {
      const handler = link.handlers.get(other)
      if (!link.up || handler == null) throw new Error('the peer cannot be reached')
      const [outbound, inbound] = await streamPair({ delay: 0 })
      link.streams.add({ ends: [outbound, inbound], sides: [self, other] })
      handler(inbound, { remotePeer: selfId })
      return outbound
    }
  }
  return node as unknown as HearthNode
}

/** One Hearth, without the rest: store, outbox, contacts, message book and the chat protocol. */
class Peer {
  private constructor (readonly store: Store, readonly outbox: Outbox, readonly book: MessageBook, readonly chat: ChatProtocol, readonly expiry: Expiry) {}

  static async open (dataDir: string, self: Name, link: Link): Promise<Peer> {
    const selfId = (self === 'a' ? A_ID : B_ID).toString()
    const otherId = (self === 'a' ? B_ID : A_ID).toString()
    const { store } = await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: KDF })
    const outbox = await Outbox.open(store)
    await store.eraseEmptyEpochs()
    const contacts = await ContactBook.open(store)
    if (!contacts.has(otherId)) await contacts.save(newContact(otherId, self === 'a' ? 'Bob' : 'Alice', 'invite', [], Date.now()))
    const events = new Emitter<Events>()
    const expiry = new Expiry(store, outbox, Date.now, () => {})
    let kick: (peerId: string) => void = () => {}
    const book = await MessageBook.open({ store, outbox, clock: new HybridClock(), events, expiry, selfId, now: Date.now, kick: (p) => { kick(p) } })
    const chat = new ChatProtocol({ node: fakeNode(self, link), outbox, contacts, book, events })
    kick = (p) => { chat.kick(p) }
    await chat.start()
    return new Peer(store, outbox, book, chat, expiry)
  }

  async close (): Promise<void> {
    await this.chat.stop()
    this.expiry.stop()
    // An epoch asked for once the store is closing would be written with the
    // wiped file key and destroy the epoch file (regressions/store-close.json).
    // Refuse it here, as the store should. Remove when that is fixed.
    this.store.withEpochs = async () => { throw new HearthError('SHUTTING_DOWN', 'the store is closed') }
    await this.store.close()
  }
}

type Op =
  | { op: 'send', from: Name, n: number }
  | { op: 'wait', ms: number }
  | { op: 'drop' }
  | { op: 'up' }
  | { op: 'flap' }
  | { op: 'restart', who: Name }

class World {
  readonly link = new Link()
  readonly peers = new Map<Name, Peer>()
  /** Ids each side sent, with their text. */
  readonly sent: Record<Name, Map<string, string>> = { a: new Map(), b: new Map() }
  readonly failures: unknown[] = []

  private constructor (readonly dirs: Record<Name, string>, readonly cleanup: () => Promise<void>) {}

  static async create (): Promise<World> {
    const tmp = await tempDir('hearth-fuzz-chat-')
    const world = new World({ a: join(tmp.path, 'a'), b: join(tmp.path, 'b') }, tmp.cleanup)
    for (const name of ['a', 'b'] as const) world.peers.set(name, await Peer.open(world.dirs[name], name, world.link))
    return world
  }

  peer (name: Name): Peer {
    const p = this.peers.get(name)
    if (p == null) throw new Error(`no peer ${name}`)
    return p
  }

  idOf (name: Name): string {
    return (name === 'a' ? A_ID : B_ID).toString()
  }

  async send (from: Name, n: number): Promise<void> {
    const to = this.idOf(from === 'a' ? 'b' : 'a')
    const book = this.peer(from).book
    const texts = Array.from({ length: n }, (_, i) => `${from}→ ${this.sent[from].size + i}`)
    const results = await Promise.all(texts.map(async text => ({ text, id: (await book.send(to, text)).id })))
    for (const { id, text } of results) this.sent[from].set(id, text)
  }

  /** As Hearth does on peer:disconnect and peer:connect. */
  drop (): void {
    this.link.up = false
    this.link.cut()
    this.peer('a').chat.disconnected(this.idOf('b'))
    this.peer('b').chat.disconnected(this.idOf('a'))
  }

  up (): void {
    this.link.up = true
    this.peer('a').chat.kick(this.idOf('b'))
    this.peer('b').chat.kick(this.idOf('a'))
  }

  async restart (who: Name): Promise<void> {
    const wasUp = this.link.up
    this.drop()
    await this.peer(who).close()
    this.peers.set(who, await Peer.open(this.dirs[who], who, this.link))
    if (wasUp) this.up()
  }

  /** Neither side holds a message twice. */
  async checkNoDuplicates (): Promise<void> {
    for (const name of ['a', 'b'] as const) {
      const other: Name = name === 'a' ? 'b' : 'a'
      const held = (await listMessages(this.peer(name).store, this.idOf(other), { limit: 10_000 })).filter(m => !m.outgoing).map(m => m.id)
      expect(new Set(held).size, `${name} holds a message twice`).toBe(held.length)
      for (const id of held) expect(this.sent[other].has(id), `${name} holds ${id}, never sent`).toBe(true)
    }
  }

  /** Link up and left alone: both outboxes drain. */
  async heal (): Promise<void> {
    if (!this.link.up) this.up()
    const deadline = Date.now() + 15_000
    for (;;) {
      const left = await this.peer('a').outbox.count(this.idOf('b')) + await this.peer('b').outbox.count(this.idOf('a'))
      if (left === 0) return
      if (Date.now() > deadline) throw new Error(`${left} items still queued 15 s after the link came back for good`)
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }

  async checkFinal (): Promise<void> {
    for (const name of ['a', 'b'] as const) {
      const other: Name = name === 'a' ? 'b' : 'a'
      const received = (await listMessages(this.peer(other).store, this.idOf(name), { limit: 10_000 })).filter(m => !m.outgoing)
      expect(received.map(m => m.id).sort(), `${other} did not receive exactly what ${name} sent`).toEqual([...this.sent[name].keys()].sort())
      for (const m of received) expect(m.text).toBe(this.sent[name].get(m.id))
      // The last ack's status write is not awaited by anyone; give it a moment.
      for (const id of this.sent[name].keys()) {
        let status: string | undefined
        for (let i = 0; i < 100 && status !== 'delivered'; i++) {
          status = (await findMessage(this.peer(name).store, id))?.record.status
          if (status !== 'delivered') await new Promise(resolve => setTimeout(resolve, 10))
        }
        expect(status, `${name} does not see ${id} delivered`).toBe('delivered')
      }
    }
  }

  async dispose (): Promise<void> {
    this.link.up = false
    this.link.cut()
    for (const p of this.peers.values()) await p.close()
    await this.cleanup()
  }
}

const who = fc.constantFrom('a' as const, 'b' as const)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), from: who, n: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 15 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'up' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'flap' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), who }) }
)

interface Schedule { ops: Op[] }
const OPS = new Set(['send', 'wait', 'drop', 'up', 'flap', 'restart'])
const codec = jsonCodec((j): j is Schedule => typeof j === 'object' && j !== null && Array.isArray((j as Schedule).ops) &&
  (j as Schedule).ops.every(o => typeof o === 'object' && o !== null && OPS.has((o as { op: string }).op)))

async function runSchedule ({ ops }: Schedule): Promise<void> {
  const world = await World.create()
  const trace: string[] = []
  try {
    for (const op of ops) {
      trace.push(JSON.stringify(op))
      switch (op.op) {
        case 'send': await world.send(op.from, op.n); break
        case 'wait': await new Promise(resolve => setTimeout(resolve, op.ms)); break
        case 'drop': world.drop(); break
        case 'up': world.up(); break
        case 'flap': world.drop(); world.up(); break
        case 'restart': await world.restart(op.who); break
      }
      await world.checkNoDuplicates()
    }
    await world.heal()
    await world.checkFinal()
    await world.checkNoDuplicates()
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  steps: ${trace.join(' ')}`, { cause: err })
  } finally {
    await world.dispose()
  }
}

describe('two real chat protocols over a link that drops, and peers that restart', () => {
  it('deliver every message exactly once in both directions', async () => {
    await fuzz('chat-session', fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 20, size: 'max' }) }), codec, runSchedule,
      { runs: 25, timeoutMs: 30_000, maxMsPerInput: 30_000 })
  })
})
