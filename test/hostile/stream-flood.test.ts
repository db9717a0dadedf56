/**
 * Stream floods. Thousands of streams from a stranger and from a contact,
 * sent from another process: the muxer keeps at most 64 streams per
 * connection, each protocol its own lower limit, and a real contact's chat
 * keeps working (its latency is recorded with and without the flood). And
 * streams held in protocol negotiation: one that asks for the protocol list
 * ("ls") is reset before the list goes out, and its connection closed, over
 * TCP and over WebRTC-direct.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { noise } from '@chainsafe/libp2p-noise'
import { webRTCDirect } from '@libp2p/webrtc'
import { createLibp2p } from 'libp2p'
import { createNode, NODE_LIMITS } from '../../src/main/core/node/create-node.js'
import { MAX_INBOUND_STREAMS as CHAT_INBOUND } from '../../src/main/core/protocols/chat/constants.js'
import { MAX_INBOUND_STREAMS as CONTACT_INBOUND } from '../../src/main/core/protocols/contact/constants.js'
import { befriend, deferrals, hearthPeer, type TestPeer } from '../fixtures/peers.js'
import { ChatMeter, addressOf, closed, rawNode, rawStream, rogueContact } from '../fixtures/hostile.js'
import { mssLine, runStreamFlood } from '../fixtures/hostile-flood.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

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

  it('a stream that asks for the protocol list ("ls") during negotiation gets at most a few bytes back, and its connection is closed', async () => {
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
    const end = closed(probe)
    probe.send(header)
    for (let i = 0; i < requests && probe.status === 'open'; i++) probe.send(ls)
    const sent = header.length + requests * ls.length
    // Ended, with no more back than the header's echo and room for a protocol's name: not one protocol list.
    expect(await end).not.toBe('open')
    expect(received).toBeLessThanOrEqual(NODE_LIMITS.negotiationReplyBytes)
    // Its connection is closed too.
    await waitFor(() => connection.status !== 'open', 'the connection to be closed', 5_000)

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
    await chat.sendUntil('ls spam', spam.done.then(async () => { await sleep(1_000) }))
    delay.disable()
    const report = await spam.done
    const stallMs = delay.max / 1e6

    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })
    expect(chat.latency['ls spam']?.length).toBeGreaterThan(0)
    recordScenario({
      scenario: 'negotiation "ls" spam',
      chat: tally,
      faults: { '"ls" requests': requests + Math.round(report.raw.lsBytes / ls.length) },
      latency: { 'during "ls" spam': chat.latency['ls spam'] ?? [] },
      notes: [`a stream asking "ls" got ${received} bytes back for ${sent} sent, was ended and its connection closed; ${report.raw.kept} streams spamming "ls" from another process got ${(report.raw.lsBytes / 1024).toFixed(0)} KiB written before their connection closed; event loop stalled up to ${stallMs.toFixed(0)} ms`]
    })
  })

  it('over WebRTC-direct too: a stream asking "ls" gets at most a few bytes back, and its connection is closed', async () => {
    // The node as Hearth makes it, on WebRTC-direct only.
    const victim = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/udp/0/webrtc-direct'], mdns: false })
    await victim.start()
    defer(async () => { await victim.stop() })
    const stranger = await createLibp2p({ transports: [webRTCDirect({ rtcConfiguration: { iceServers: [] } })], connectionEncrypters: [noise()] })
    defer(async () => { await stranger.stop() })
    const address = victim.getMultiaddrs()[0]
    if (address == null) throw new Error('no WebRTC-direct address')
    const connection = await stranger.dial(address, { signal: AbortSignal.timeout(20_000) })
    await sleep(200)

    const probe = await rawStream(connection)
    let received = 0
    probe.addEventListener('message', (evt) => { received += evt.data.byteLength })
    const end = closed(probe)
    probe.send(mssLine('/multistream/1.0.0'))
    for (let i = 0; i < 1_000 && probe.status === 'open'; i++) probe.send(mssLine('ls'))
    expect(await end).not.toBe('open')
    expect(received).toBeLessThanOrEqual(NODE_LIMITS.negotiationReplyBytes)
    await waitFor(() => connection.status !== 'open', 'the connection to be closed', 5_000)
    recordScenario({
      scenario: 'negotiation "ls" spam (WebRTC-direct)',
      faults: { '"ls" requests': 1_000 },
      notes: [`over WebRTC-direct, a stream asking "ls" got ${received} bytes back, was ended and its connection closed`]
    })
  })
})
