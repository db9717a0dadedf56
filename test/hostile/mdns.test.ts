/**
 * Lies over mDNS, on the real discovery path (Hearth's mDNS on a test port,
 * a spoofer with multicast-dns on the same port). mDNS answers are not
 * signed, so anyone can claim any peer id at any address; what matters is
 * what Hearth does with the claim: Noise refuses an impostor, nothing is
 * unpinned, the nearby table stays bounded, strangers are never dialed,
 * and a contact is dialed at most once every 2 s whatever is announced.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream } from '@libp2p/utils'
import { CODE_P2P } from '@multiformats/multiaddr'
import type { Events } from '../../src/shared/api.js'
import { CHAT_PROTOCOL } from '../../src/main/core/protocols/chat/constants.js'
import { LINK_MIN_GAP_MS } from '../../src/main/core/contact-links.js'
import { NEARBY_DEFAULTS } from '../../src/main/core/node/nearby.js'
import { befriend, deferrals, hearthPeer, online, restartPeer, testMdns } from '../fixtures/peers.js'
import { ChatMeter, addressOf, chatMessage, closed, fakePeerId, mdnsSpoofer, rawNode, tcpTrap } from '../fixtures/hostile.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** Repeats `fn` every `ms` until stopped. */
function every (ms: number, fn: () => void): { stop: () => void } {
  const timer = setInterval(fn, ms)
  return { stop: () => { clearInterval(timer) } }
}

describe('mDNS spoofing', () => {
  it('an answer that claims a contact\'s peer id at an attacker\'s address fails Noise: nothing shows as that contact, nothing is unpinned, one alarm', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    let bob = await hearthPeer(defer, 'Bob', { mdns })
    await befriend(alice, bob)
    await alice.hearth.api['contacts.verify']({ peerId: bob.hearth.peerId })
    const contactsBefore = await alice.hearth.api['contacts.list']({})
    const { safetyNumber } = await alice.hearth.api['contacts.safetyNumber']({ peerId: bob.hearth.peerId })
    const mismatches: Array<Events['contact.identityMismatch']> = []
    alice.hearth.events.on('contact.identityMismatch', (e) => { mismatches.push(e) })
    const chat = new ChatMeter(bob, alice)
    await chat.send('before')

    // The impostor: a raw node with its own key on 127.0.0.1, claiming to be Bob.
    const impostor = await rawNode(defer)
    const impostorAddress = impostor.getMultiaddrs()[0]?.decapsulateCode(CODE_P2P).toString() ?? ''
    expect(impostorAddress).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+$/)
    const spoofer = await mdnsSpoofer(defer, mdns.port)
    const claim = { peerId: bob.hearth.peerId, addresses: [impostorAddress] }
    spoofer.answerQueries(claim)
    const unsolicited = every(100, () => { spoofer.announce(claim.peerId, claim.addresses) })
    defer(unsolicited.stop)

    // While Bob is connected, the claim changes nothing: no dial, no alarm, chat as usual, and
    // Bob is listed nearby only at the addresses he announced himself.
    await waitFor(() => spoofer.sent() >= 10, 'spoofed answers')
    for (let i = 0; i < 5; i++) await chat.send('while spoofed')
    expect(mismatches).toEqual([])
    const nearbyWhileConnected = (await alice.hearth.api['peers.nearby']({})).find(p => p.peerId === bob.hearth.peerId)
    expect(nearbyWhileConnected?.contact).toBe(true)
    expect(nearbyWhileConnected?.addresses).not.toContain(impostorAddress)

    // Bob goes away; Alice dials the claimed address, Noise finds another key, and the alarm goes off once.
    await bob.hearth.close()
    await waitFor(async () => (await alice.hearth.api['contacts.list']({}))[0]?.online === false, 'bob offline')
    await waitFor(() => mismatches.length > 0, 'the identity-mismatch alarm', 20_000)
    expect(mismatches[0]).toMatchObject({ peerId: bob.hearth.peerId, name: 'Bob' })
    expect(mismatches[0]?.address).toContain(impostorAddress)
    // More answers, more dials, and still one alarm (rate-limited per contact).
    const sentAtAlarm = spoofer.sent()
    await sleep(3_000)
    expect(spoofer.sent()).toBeGreaterThan(sentAtAlarm + 20)
    expect(mismatches).toHaveLength(1)

    // The impostor talks to Alice as itself: a stranger, refused.
    const stream = await impostor.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
    const end = closed(stream)
    await lpStream(stream).write(chatMessage('it is me, Bob')).catch(() => {})
    expect(await end).toBe('reset')

    // Nothing changed: the same contact, pinned and verified, offline; the same safety number; nothing stored.
    expect(await alice.hearth.api['contacts.list']({})).toEqual(contactsBefore.map(c => ({ ...c, online: false })))
    expect((await alice.hearth.api['contacts.safetyNumber']({ peerId: bob.hearth.peerId })).safetyNumber).toBe(safetyNumber)
    expect(await alice.hearth.api['messages.list']({ with: impostor.peerId.toString() })).toEqual([])
    expect(await alice.hearth.api['contacts.requests']({})).toEqual([])
    expect(alice.events.filter(e => e.name === 'message.received').map(e => (e.payload as { from: string }).from)).toEqual(Array(6).fill(bob.hearth.peerId))
    // Nor is the absent Bob listed nearby on the impostor's word.
    expect((await alice.hearth.api['peers.nearby']({})).find(p => p.peerId === bob.hearth.peerId)).toBeUndefined()

    // The real Bob comes back: Noise proves him, and the chat goes on under the pin.
    unsolicited.stop()
    spoofer.answerQueries(undefined)
    bob = await restartPeer(bob, { mdns })
    defer(async () => bob.hearth.close())
    await online(alice, bob, 30_000)
    const back = new ChatMeter(bob, alice)
    await back.send('back')
    expect((await alice.hearth.api['contacts.list']({}))[0]).toMatchObject({ peerId: bob.hearth.peerId, name: 'Bob', verified: true, online: true })

    const a = await chat.tally()
    const b = await back.tally()
    recordScenario({
      scenario: 'mDNS spoofing of a contact',
      chat: { sent: a.sent + b.sent, delivered: a.delivered + b.delivered, duplicates: a.duplicates + b.duplicates, lost: a.lost + b.lost },
      faults: { 'spoofed mDNS answers': spoofer.sent(), 'impostor chat streams': 1 },
      notes: [`1 identity-mismatch alarm for ${spoofer.sent()} spoofed answers; peers.nearby never listed Bob at the impostor's address, nor at all while he was away`]
    })
  })

  it('announcing an absent contact\'s peer id at another address brings at most one dial to it every 2 s, however often it is announced', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    await bob.hearth.close()
    await waitFor(async () => (await alice.hearth.api['contacts.list']({}))[0]?.online === false, 'bob offline')
    // Some other service on the LAN the attacker wants hit, or scanned.
    const victim = await tcpTrap(defer)
    const spoofer = await mdnsSpoofer(defer, mdns.port)
    const started = Date.now()
    const announcing = every(25, () => { spoofer.announce(bob.hearth.peerId, [`/ip4/127.0.0.1/tcp/${victim.port}`]) })
    await sleep(6_000)
    announcing.stop()
    await sleep(200)
    const elapsed = Date.now() - started
    const hits = victim.connections()
    // A contact announcing itself is still tried at once, but one dial per gap is all an announcer gets.
    expect(hits).toBeGreaterThanOrEqual(1)
    expect(hits).toBeLessThanOrEqual(Math.floor(elapsed / LINK_MIN_GAP_MS) + 1)
    recordScenario({
      scenario: 'mDNS-triggered dials',
      faults: { 'spoofed mDNS answers': spoofer.sent() },
      notes: [`${spoofer.sent()} announcements of an offline contact's peer id at a victim's address in ${(elapsed / 1000).toFixed(1)} s made Hearth dial it ${hits} time(s) (at most one dial per contact every ${LINK_MIN_GAP_MS / 1000} s; an announcement brings a try forward once per backoff window)`]
    })
  })

  it('a flood of 10,000 fake peers leaves the nearby table bounded, dials none of them, and the peer stays responsive', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const carol = await hearthPeer(defer, 'Carol', { mdns })
    await waitFor(async () => (await alice.hearth.api['peers.nearby']({})).some(p => p.peerId === carol.hearth.peerId), 'carol nearby')
    const chat = new ChatMeter(bob, alice)
    for (let i = 0; i < 20; i++) await chat.send('quiet')

    // Every fake peer points at a listener we own (on every loopback address): any dial to any of them would show there.
    const trap = await tcpTrap(defer, '0.0.0.0')
    const spoofer = await mdnsSpoofer(defer, mdns.port)
    const fakes = Array.from({ length: 10_000 }, () => fakePeerId())
    const address = `/ip4/127.0.0.1/tcp/${trap.port}`
    let mostNearby = 0
    let mostAddresses = 0
    const sample = async (): Promise<void> => {
      const nearby = await alice.hearth.api['peers.nearby']({})
      mostNearby = Math.max(mostNearby, nearby.length)
      mostAddresses = Math.max(mostAddresses, ...nearby.map(p => p.addresses.length))
    }
    const flood = (async () => {
      for (let i = 0; i < fakes.length; i++) {
        const id = fakes[i] ?? ''
        // Every tenth fake claims twenty addresses (more than the table keeps per peer).
        spoofer.announce(id, i % 10 === 0 ? Array.from({ length: 20 }, (_, k) => `/ip4/127.0.0.${k + 1}/tcp/${trap.port}`) : [address])
        // Paced a little, so the loopback's socket buffers carry most of it.
        if (i % 50 === 49) await new Promise(resolve => setImmediate(resolve))
        if (i % 1000 === 999) await sample()
      }
    })()
    await chat.sendUntil('mDNS flood', flood, 5)
    await flood
    await sleep(1_500)
    await sample()
    const heard = fakes.reduce((n, id) => n + (spoofer.heard(id) > 0 ? 1 : 0), 0)

    expect(mostNearby).toBeGreaterThan(0)
    expect(mostNearby).toBeLessThanOrEqual(NEARBY_DEFAULTS.maxPeers)
    expect(mostAddresses).toBeLessThanOrEqual(NEARBY_DEFAULTS.maxAddressesPerPeer)
    expect(trap.connections()).toBe(0)
    expect(await alice.hearth.api['contacts.requests']({})).toEqual([])
    // Carol, a real stranger, was pushed out by the fakes, and is back at her next announcement.
    await waitFor(async () => (await alice.hearth.api['peers.nearby']({})).some(p => p.peerId === carol.hearth.peerId), 'carol nearby again', 10_000)
    for (let i = 0; i < 10; i++) await chat.send('after')
    expect(trap.connections()).toBe(0)

    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })
    recordScenario({
      scenario: 'mDNS flood (10,000 fake peers)',
      chat: tally,
      faults: { 'fake mDNS peers': fakes.length },
      latency: { quiet: chat.latency.quiet ?? [], 'during the mDNS flood': chat.latency['mDNS flood'] ?? [] },
      notes: [`${heard} of ${fakes.length} fake announcements heard on the group; nearby table peaked at ${mostNearby} peers (limit ${NEARBY_DEFAULTS.maxPeers}), ${mostAddresses} addresses a peer (limit ${NEARBY_DEFAULTS.maxAddressesPerPeer}); ${trap.connections()} dials to the fakes`]
    })
  })
})
