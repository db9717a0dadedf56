/**
 * Stream floods. Thousands of streams from a stranger and from a contact,
 * sent from another process: the muxer keeps at most 64 streams per
 * connection, each protocol its own lower limit, and a real contact's chat
 * keeps working (its latency is recorded with and without the flood). And
 * the cost of what the muxer does keep: streams held in protocol
 * negotiation answer every "ls" with the whole protocol list.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { NODE_LIMITS } from '../../src/main/core/node/create-node.js'
import { MAX_INBOUND_STREAMS as CHAT_INBOUND } from '../../src/main/core/protocols/chat/constants.js'
import { MAX_INBOUND_STREAMS as CONTACT_INBOUND } from '../../src/main/core/protocols/contact/constants.js'
import { befriend, type TestPeer } from '../fixtures/peers.js'
import { ChatMeter, addressOf, deferrals, hearthPeer, rawNode, rawStream, rogueContact } from '../fixtures/hostile.js'
import { mssLine, runStreamFlood } from '../fixtures/hostile-flood.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals()

/** Counts the times `peer` saw `contact` go offline, until stopped. */
function watchDrops (peer: TestPeer, contact: TestPeer): { stop: () => number } {
  let drops = 0
  let on = true
  peer.hearth.events.on('contact.online', ({ peerId, online }) => { if (on && !online && peerId === contact.hearth.peerId) drops++ })
  return { stop: () => { on = false; return drops } }
}

describe('a stream flood', () => {
  it('holds the per-connection and per-protocol stream limits, and a contact\'s chat keeps working', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    // The flooding contact: a raw node Alice holds as a contact, whose key the flood process borrows.
    const key = await generateKeyPair('Ed25519')
    const rogue = await rogueContact(defer, alice, 'Rogue', key)
    await rogue.stop()

    const chat = new ChatMeter(bob, alice)
    for (let i = 0; i < 40; i++) await chat.send('quiet')

    const plan = {
      target: addressOf(alice).toString(),
      contactKey: Buffer.from(privateKeyToProtobuf(key)).toString('hex'),
      rawStreams: 3_000,
      lsBytesPerStream: 0,
      contactChatStreams: 1_000,
      contactContactStreams: 500,
      strangerChatStreams: 1_000
    }
    const flood = runStreamFlood(plan)
    defer(flood.stop)
    await flood.started
    const drops = watchDrops(alice, bob)
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    await chat.sendUntil('stream flood', flood.done)
    const report = await flood.done
    delay.disable()
    const dropped = drops.stop()

    // The muxer: never more than 64 streams of one connection kept at once.
    expect(report.raw.kept).toBeLessThanOrEqual(NODE_LIMITS.maxStreamsPerConnection)
    expect(report.raw.kept).toBeGreaterThan(0)
    expect(report.raw.reset).toBe(plan.rawStreams - report.raw.kept)
    // Each protocol: at most its own limit, and the streams it kept still work.
    expect(report.contactChat.open).toBeLessThanOrEqual(CHAT_INBOUND)
    expect(report.contactChat.acked).toBe(report.contactChat.open)
    expect(report.contactChat.acked).toBeGreaterThan(0)
    expect(report.contactContact.open).toBeLessThanOrEqual(CONTACT_INBOUND)
    // A stranger's chat streams are all reset.
    expect(report.strangerChat.reset).toBe(plan.strangerChatStreams)

    // Alice is still responsive, and Bob's chat worked throughout.
    for (let i = 0; i < 10; i++) await chat.send('after the flood')
    expect(await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).toHaveLength(report.contactChat.acked)
    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })

    recordScenario({
      scenario: 'stream flood',
      chat: tally,
      faults: {
        'raw streams': report.raw.opened,
        'contact chat streams': report.contactChat.opened,
        'contact hello streams': report.contactContact.opened,
        'stranger chat streams': report.strangerChat.opened
      },
      latency: { quiet: chat.latency.quiet ?? [], 'during the flood': chat.latency['stream flood'] ?? [], 'after the flood': chat.latency['after the flood'] ?? [] },
      ...(dropped > 0 ? { findings: [`the flood stalled the peer's event loop (up to ${(delay.max / 1e6).toFixed(0)} ms) and its connection to a contact dropped ${dropped} time(s)`] } : {}),
      notes: [`event loop stalled up to ${(delay.max / 1e6).toFixed(0)} ms; kept: raw ${report.raw.kept}/${report.raw.opened}, contact chat ${report.contactChat.open}/${report.contactChat.opened}, contact hello ${report.contactContact.open}/${report.contactContact.opened}; stranger chat reset ${report.strangerChat.reset}/${report.strangerChat.opened}; flood took ${report.ms} ms`]
    })
  })

  it('WEAKNESS: a stream held in negotiation answers each 4-byte "ls" with the whole protocol list, for 10 s', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const chat = new ChatMeter(bob, alice)
    for (let i = 0; i < 20; i++) await chat.send('quiet')
    const stranger = await rawNode(defer)
    const connection = await stranger.dial(addressOf(alice))
    await sleep(200)

    // One stream, a thousand "ls" requests, every answer read and counted.
    const requests = 1_000
    const header = mssLine('/multistream/1.0.0')
    const ls = mssLine('ls')
    const probe = await rawStream(connection)
    let received = 0
    probe.addEventListener('message', (evt) => { received += evt.data.byteLength })
    probe.send(header)
    for (let i = 0; i < requests; i++) probe.send(ls)
    const sent = header.length + requests * ls.length
    await waitFor(() => received > requests * 60, 'the answers', 15_000)
    await sleep(200)
    const amplification = received / sent
    expect(amplification).toBeGreaterThan(10)
    probe.abort(new Error('done'))

    // The same from another process, into 64 streams at once: what it costs Alice's event loop (and Bob), reported.
    const spam = runStreamFlood({
      target: addressOf(alice).toString(),
      contactKey: '',
      rawStreams: NODE_LIMITS.maxStreamsPerConnection,
      lsBytesPerStream: requests * ls.length,
      contactChatStreams: 0,
      contactContactStreams: 0,
      strangerChatStreams: 0
    })
    defer(spam.stop)
    await spam.started
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    // Answers keep coming for a while after the requests are written.
    await chat.sendUntil('ls spam', spam.done.then(async () => { await sleep(2_000) }))
    delay.disable()
    const report = await spam.done
    const stallMs = delay.max / 1e6

    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })
    recordScenario({
      scenario: 'negotiation "ls" spam',
      chat: tally,
      faults: { '"ls" requests': requests + Math.round(report.raw.lsBytes / ls.length) },
      latency: { 'during "ls" spam': chat.latency['ls spam'] ?? [] },
      findings: [`a stranger's un-negotiated stream answers each 4-byte "ls" with the protocol list: ${amplification.toFixed(0)}x more bytes out than in; ${report.raw.kept} streams x ${requests} "ls" stalled the peer's event loop for up to ${stallMs.toFixed(0)} ms (multistream-select has no cap on attempts, only the 10 s negotiation timeout)`]
    })
  })
})
