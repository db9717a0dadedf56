/**
 * Peers that are not contacts, or contacts that misbehave, speaking the chat
 * protocol by hand: their streams are refused or reset, the bytes they can
 * push are bounded, nothing of theirs reaches the store, memory stays flat
 * through many rounds of it, and the peer keeps serving its real contacts
 * (whose messages still arrive promptly when a contact floods it with
 * valid but pointless read receipts).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from 'libp2p'
import type { Stream } from '@libp2p/interface'
import type { Events } from '../../src/shared/api.js'
import { fromHex } from '../../src/main/core/bytes.js'
import { CHAT_PROTOCOL, MAX_FRAME_BYTES, MAX_RECEIPT_IDS, RECEIVE_BATCH } from '../../src/main/core/protocols/chat/constants.js'
import { ChatFrame } from '../../src/main/core/protocols/chat/pb/chat.js'
import { befriend, deferrals, hearthPeer, type TestPeer } from '../fixtures/peers.js'
import { ChatMeter, MiB, addressOf, chatMessage, closed, rawNode, rawStream, rogueContact, settledMemory } from '../fixtures/hostile.js'
import { sleep, waitFor } from '../fixtures/wait.js'
import { percentile } from '../../bench/stats.js'
import { recordScenario } from '../fixtures/hostile-summary.js'

const defer = deferrals(afterEach)

/** Pushes up to `limit` bytes into a stream, as fast as it drains; returns how many went out before it failed. */
async function push (stream: Stream, limit: number, chunk = new Uint8Array(16 * 1024)): Promise<{ sent: number, failed: boolean }> {
  let sent = 0
  try {
    while (sent < limit) {
      sent += chunk.length
      if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(5_000) })
    }
    return { sent, failed: false }
  } catch {
    return { sent, failed: true }
  }
}

describe('a stranger', () => {
  it('has its chat stream reset: nothing stored, nothing shown', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const mallory = await rawNode(defer)
    const stream = await mallory.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const end = closed(stream)
    const lp = lpStream(stream)
    await lp.write(chatMessage('let me in')).catch(() => {})
    expect(await end).toBe('reset')
    await expect(lp.read()).rejects.toThrow()
    expect(await alice.hearth.api['messages.list']({ with: mallory.peerId.toString() })).toEqual([])
    expect(alice.events.filter(e => e.name === 'message.received')).toEqual([])
    expect(await alice.hearth.api['conversations.list']({})).toEqual([])
    recordScenario({ scenario: 'stranger: well-formed chat frame', faults: { 'stranger chat streams': 1 } })
  })

  it('cannot push more than a bounded number of bytes at us', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const mallory = await rawNode(defer)
    const stream = await mallory.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const { sent, failed } = await push(stream, 8 * MiB)
    expect(failed).toBe(true)
    expect(sent).toBeLessThan(MiB)
    recordScenario({ scenario: 'stranger: 8 MiB push', faults: { 'stranger chat streams': 1 } })
  })
})

describe('a contact that misbehaves', () => {
  it('has oversized, garbage and acks-the-wrong-way frames reset, and is still served afterwards', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const rogue = await rogueContact(defer, alice)

    const attacks: Array<(lp: ReturnType<typeof lpStream>, s: Stream) => Promise<void>> = [
      async (lp) => { await lp.write(new Uint8Array(MAX_FRAME_BYTES + 1)) },
      async (lp) => { await lp.write(crypto.getRandomValues(new Uint8Array(300))) },
      async (lp) => { await lp.write(ChatFrame.encode({ ack: { ids: [new Uint8Array(16)] } })) },
      async (_lp, s) => { s.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])) }
    ]
    for (const attack of attacks) {
      const stream = await rogue.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
      const end = closed(stream)
      await attack(lpStream(stream), stream).catch(() => {})
      expect(await end).toBe('reset')
    }

    // A truncated frame followed by a close stores nothing.
    const truncated = await rogue.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    truncated.send(new Uint8Array([100, 1, 2, 3]))
    await truncated.close()
    expect(await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).toEqual([])

    // The same contact, behaving, is stored and acknowledged.
    const good = await rogue.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const lp = lpStream(good)
    await lp.write(chatMessage('sorry about that'))
    const ack = ChatFrame.decode(await lp.read())
    expect(ack.ack?.ids).toHaveLength(1)
    expect((await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).map(m => m.text)).toEqual(['sorry about that'])

    // And Bob's chat never stopped working.
    await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'still here' })
    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).length === 1, 'bob\'s message')
    recordScenario({ scenario: 'contact: bad frames', chat: { sent: 1, delivered: 1, duplicates: 0, lost: 0 }, faults: { 'bad chat frames': attacks.length + 1 } })
  })
})

describe('a contact that misbehaves, within the rules', () => {
  it('sends read receipts naming 262,144 messages that do not exist: nothing changes, other contacts\' messages arrive meanwhile, and its own receipts are dropped until its budget refills', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const rogue = await rogueContact(defer, alice)
    const rogueId = rogue.peerId.toString()
    const chat = new ChatMeter(bob, alice)
    for (let i = 0; i < 20; i++) await chat.send('quiet')
    // A real message of Alice's to the rogue (it never takes delivery: pending), for a real receipt to name.
    const { id: real } = await alice.hearth.api['messages.send']({ to: rogueId, text: 'did you read this?' })
    const statuses: Array<Events['message.status']> = []
    alice.hearth.events.on('message.status', (e) => { statuses.push(e) })

    const stream = await rogue.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const lp = lpStream(stream)
    let acked = 0
    const acks = async (n: number): Promise<void> => {
      const until = acked + n
      while (acked < until) acked += ChatFrame.decode(await lp.read()).ack?.ids.length ?? 0
    }
    const receipt = (ids: Array<Uint8Array<ArrayBuffer>>): Uint8Array => ChatFrame.encode({ read: { id: crypto.getRandomValues(new Uint8Array(16)), messageIds: ids } })
    const bogus = (): Array<Uint8Array<ArrayBuffer>> => Array.from({ length: MAX_RECEIPT_IDS }, () => crypto.getRandomValues(new Uint8Array(16)))

    // Four receive batches of well-formed receipts, each naming as many ids as a receipt may; the
    // hundredth names Alice's real message, long after the made-up ids have spent the rogue's budget.
    const frames = 4 * RECEIVE_BATCH
    const allAcked = acks(frames)
    for (let i = 0; i < frames; i++) await lp.write(receipt(i === 99 ? [fromHex(real)] : bogus()))
    await chat.sendUntil('during bogus receipts', allAcked)
    await allAcked

    // Every receipt acknowledged, none changed anything: not even the real one, sent with the made-up ones.
    expect(acked).toBe(frames)
    expect(statuses).toEqual([])
    expect(await alice.hearth.api['messages.list']({ with: rogueId })).toMatchObject([{ id: real, status: 'pending' }])
    // Bob's messages went on arriving meanwhile (how promptly is in the summary).
    const during = chat.latency['during bogus receipts'] ?? []
    expect(during.length).toBeGreaterThan(0)
    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })

    // Once its budget has refilled, the rogue's real receipt counts again (it resends until it does).
    const refilled = Date.now()
    await waitFor(async () => {
      await lp.write(receipt([fromHex(real)]))
      await acks(1)
      return statuses.some(s => s.id === real && s.status === 'read')
    }, 'the real receipt to count', 15_000, 250)
    const refillMs = Date.now() - refilled
    expect(statuses).toEqual([{ id: real, with: rogueId, status: 'read' }])
    await stream.close()

    const quiet = percentile(chat.latency.quiet ?? [], 50)
    recordScenario({
      scenario: 'bogus read receipts',
      chat: tally,
      faults: { 'read receipts': frames, 'unknown ids': (frames - 1) * MAX_RECEIPT_IDS },
      latency: { quiet: chat.latency.quiet ?? [], 'during bogus receipts': during },
      notes: [`${frames} receipts naming ${(frames - 1) * MAX_RECEIPT_IDS} unknown ids: another contact's messages took ${percentile(during, 95).toFixed(1)} ms p95 meanwhile (p50 when quiet: ${quiet.toFixed(1)} ms); the rogue's real receipt counted again ${refillMs} ms after the flood`]
    })
  })
})

describe('rounds of garbage from a stranger and a contact', () => {
  /**
   * One round of every kind of bad input, on fresh streams. Returns the
   * faults injected and the bytes written towards the peer.
   */
  async function round (alice: TestPeer, stranger: Libp2p, rogue: Libp2p): Promise<{ faults: Record<string, number>, bytes: number }> {
    const faults: Record<string, number> = {}
    let bytes = 0
    const count = (kind: string): void => { faults[kind] = (faults[kind] ?? 0) + 1 }
    const open = async (node: Libp2p): Promise<Stream> => node.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const garbage = (n: number): Uint8Array => {
      // Random bytes whose first byte is a short length prefix, so the frame is read and fails to decode.
      const b = crypto.getRandomValues(new Uint8Array(n))
      b[0] = 0x7f
      return b
    }

    await Promise.all([
      // A stranger pushes a megabyte into a chat stream (reset before a byte is read).
      (async () => {
        const r = await push(await open(stranger), MiB)
        bytes += r.sent
        count('stranger chat pushes')
      })(),
      // A stranger opens a stream without naming a protocol and pushes into the negotiation.
      (async () => {
        const r = await push(await rawStream(await stranger.dial(addressOf(alice))), 2 * MiB)
        bytes += r.sent
        count('stranger raw-stream pushes')
      })(),
      // A stranger sends well-formed messages.
      (async () => {
        const s = await open(stranger)
        const lp = lpStream(s)
        for (let i = 0; i < 4; i++) await lp.write(chatMessage('hello?')).catch(() => {})
        bytes += 4 * 20
        count('stranger chat frames')
        await closed(s)
      })(),
      // A contact: a length prefix just over the limit, then the bytes to go with it.
      (async () => {
        const s = await open(rogue)
        const end = closed(s)
        const r = await push(s, MAX_FRAME_BYTES * 4, new Uint8Array(MAX_FRAME_BYTES + 8).fill(0xff))
        bytes += r.sent
        count('oversized frames')
        expect(await end).toBe('reset')
      })(),
      // A contact: random bytes that are not a chat frame.
      (async () => {
        const s = await open(rogue)
        const end = closed(s)
        const lp = lpStream(s)
        await lp.write(garbage(4096)).catch(() => {})
        bytes += 4096
        count('garbage frames')
        expect(await end).toBe('reset')
      })(),
      // A contact: a length prefix that never ends.
      (async () => {
        const s = await open(rogue)
        const end = closed(s)
        s.send(new Uint8Array(64).fill(0xff))
        bytes += 64
        count('endless length prefixes')
        expect(await end).toBe('reset')
      })(),
      // A contact: a frame cut short, then the stream closed.
      (async () => {
        const s = await open(rogue)
        s.send(Uint8Array.from([0x80, 0x80, 0x01, ...new Uint8Array(1000)]))
        await s.close().catch(() => {})
        bytes += 1003
        count('truncated frames')
      })(),
      // A contact: a message over the text limit, well framed.
      (async () => {
        const s = await open(rogue)
        const end = closed(s)
        const lp = lpStream(s)
        await lp.write(chatMessage('x'.repeat(16 * 1024 + 1))).catch(() => {})
        bytes += 16 * 1024 + 30
        count('over-long texts')
        expect(await end).toBe('reset')
      })()
    ])
    return { faults, bytes }
  }

  it('leaves memory flat, stores nothing, and keeps a contact\'s chat working throughout', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const stranger = await rawNode(defer)
    const rogue = await rogueContact(defer, alice)
    const chat = new ChatMeter(bob, alice)
    // Connected first: streams opened in the same instant as the connection count as "early" and may kill it.
    await stranger.dial(addressOf(alice))
    await sleep(100)

    // Warm up every path once, so what is measured is growth, not first use.
    await round(alice, stranger, rogue)
    await chat.send('warm-up')
    const before = await settledMemory()

    const faults: Record<string, number> = {}
    let bytes = 0
    const rounds = 100
    for (let i = 0; i < rounds; i++) {
      const r = await round(alice, stranger, rogue)
      bytes += r.bytes
      for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + v
      await chat.send('during garbage')
    }
    const after = await settledMemory()

    const grew = {
      heap: (after.heapUsed - before.heapUsed) / MiB,
      buffers: (after.arrayBuffers - before.arrayBuffers) / MiB,
      rss: (after.rss - before.rss) / MiB
    }
    // Everything the attackers wrote is far more than what may stay behind.
    expect(bytes).toBeGreaterThan(32 * MiB)
    expect(grew.heap + grew.buffers).toBeLessThan(8)
    // RSS also holds what V8 reserved and kept; it levels off (about +45 MiB here, flat from 100 to 300 rounds).
    expect(grew.rss).toBeLessThan(128)

    expect(await alice.hearth.api['messages.list']({ with: stranger.peerId.toString() })).toEqual([])
    expect(await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).toEqual([])
    expect(alice.events.filter(e => e.name === 'message.received' && (e.payload as { from: string }).from !== bob.hearth.peerId)).toEqual([])
    const tally = await chat.tally()
    expect(tally).toEqual({ sent: rounds + 1, delivered: rounds + 1, duplicates: 0, lost: 0 })
    recordScenario({
      scenario: 'garbage rounds',
      chat: tally,
      faults,
      latency: { 'during garbage': chat.latency['during garbage'] ?? [] },
      notes: [`${rounds} rounds wrote ${(bytes / MiB).toFixed(0)} MiB at the peer; after gc its heap grew ${grew.heap.toFixed(1)} MiB, buffers ${grew.buffers.toFixed(1)} MiB, RSS ${grew.rss.toFixed(0)} MiB`]
    })
  })
})
