/**
 * Connection floods. New connections beyond 5 a second from one host are
 * refused, and contacts keep chatting. One host may keep only 2 connections
 * in the handshake and 4 stranger connections at once, strangers together a
 * share of the slots that leaves contacts room, and a stranger's connection
 * that opens no Hearth stream is closed after a while. Attackers dial from
 * other loopback addresses (127.0.0.2 and up), so that they are other hosts
 * than the peers they attack, as on a LAN.
 */
import { createConnection, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p } from 'libp2p'
import { NODE_LIMITS } from '../../src/main/core/node/create-node.js'
import { befriend, deferrals, hearthPeer, online, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { ChatMeter, addressOf, rawNode, rogueContact } from '../fixtures/hostile.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/**
 * A new connection to the peer, never reusing one; true if it was accepted
 * (and still open a moment later: the muxer is agreed inside the Noise
 * handshake, so the dialer's side is up before the peer can refuse it after
 * that handshake). `close` closes it again at once.
 */
async function connect (attacker: Libp2p, victim: TestPeer, close = false): Promise<boolean> {
  try {
    const connection = await attacker.dial(addressOf(victim), { force: true, signal: AbortSignal.timeout(3_000) })
    if (close) {
      await connection.close()
      return true
    }
    await new Promise(resolve => {
      const timer = setTimeout(resolve, 250)
      connection.addEventListener('close', () => { clearTimeout(timer); resolve(undefined) }, { once: true })
    })
    return connection.status === 'open'
  } catch {
    return false
  }
}

/** A TCP connection from `from` that never says a word; `closed` turns true when the peer drops it. */
async function idleSocket (port: number, from: string): Promise<{ socket: Socket, closed: () => boolean }> {
  const socket = createConnection({ host: '127.0.0.1', port, localAddress: from })
  let isClosed = false
  socket.on('close', () => { isClosed = true })
  socket.on('error', () => {})
  defer(() => socket.destroy())
  await new Promise<void>(resolve => {
    socket.once('connect', () => { resolve() })
    socket.once('close', () => { resolve() })
  })
  return { socket, closed: () => isClosed }
}

/** Connections of these nodes that are open. */
const openOf = (nodes: Libp2p[]): number => nodes.reduce((n, node) => n + node.getConnections().filter(c => c.status === 'open').length, 0)

describe('a connection flood from one host', () => {
  it('is refused beyond 5 new connections a second, and a contact\'s chat still works afterwards', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const chat = new ChatMeter(bob, alice)
    await chat.send('before')
    // Each accepted connection is closed at once, so that what binds is the rate, not the per-host cap.
    const attacker = await rawNode(defer, { from: '127.0.0.2' })

    const attempts = 30
    const started = Date.now()
    let accepted = 0
    for (let i = 0; i < attempts; i++) if (await connect(attacker, alice, true)) accepted++
    const windows = Math.floor((Date.now() - started) / 1000) + 1
    const refused = attempts - accepted
    // The limiter counts in one-second windows: at most 5 in each window the burst touched.
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThanOrEqual(NODE_LIMITS.inboundConnectionThreshold * windows)
    expect(refused).toBeGreaterThanOrEqual(attempts - NODE_LIMITS.inboundConnectionThreshold * windows)

    // A limit on the rate, not a ban: the next second lets the host in again.
    await sleep(1_100)
    expect(await connect(attacker, alice)).toBe(true)

    // Bob was connected all along and still chats, both ways.
    for (let i = 0; i < 10; i++) await chat.send('after the burst')
    await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'and back' })
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).some(m => m.text === 'and back'), 'alice\'s answer')
    recordScenario({
      scenario: 'connection burst',
      chat: await chat.tally(),
      faults: { connections: attempts + 1 },
      latency: { 'after the burst': chat.latency['after the burst'] ?? [] },
      notes: [`${accepted} of ${attempts} connections accepted in ${windows} one-second window(s), ${refused} refused`]
    })
  })

  it('idle sockets from one host hold at most 2 handshake slots, for at most the handshake timeout, and other peers get in meanwhile', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const chat = new ChatMeter(bob, alice)
    const carol = await hearthPeer(defer, 'Carol')
    const { code } = await alice.hearth.api['invite.create']({})

    // Five sockets from one host, within the rate limit, never a byte sent: Alice keeps two in the handshake and drops the rest.
    await sleep(1_100)
    const opened = Date.now()
    const sockets = await Promise.all(Array.from({ length: NODE_LIMITS.inboundConnectionThreshold }, async () => idleSocket(alice.port, '127.0.0.2')))
    await waitFor(() => sockets.filter(s => !s.closed()).length <= NODE_LIMITS.pendingPerHost, 'the sockets over the per-host limit to be dropped', 2_000)
    const held = sockets.filter(s => !s.closed()).length
    expect(held).toBeGreaterThan(0)
    expect(held).toBeLessThanOrEqual(NODE_LIMITS.pendingPerHost)

    // Carol, another host, redeems her invite while those sockets are held; Bob chats on.
    expect((await carol.hearth.api['invite.accept']({ code })).contact.peerId).toBe(alice.hearth.peerId)
    const heldWhileCarol = sockets.filter(s => !s.closed()).length
    expect(heldWhileCarol).toBeGreaterThan(0)
    await chat.send('while sockets idle')

    // The held ones are dropped at the handshake timeout (here with a generous margin).
    await waitFor(() => sockets.every(s => s.closed()), 'the idle sockets to be dropped', NODE_LIMITS.inboundUpgradeTimeoutMs + 3_000)
    const droppedAt = Date.now() - opened
    const tally = await chat.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })
    recordScenario({
      scenario: 'idle sockets',
      chat: tally,
      faults: { 'idle sockets': sockets.length },
      notes: [`${sockets.length} idle TCP sockets from one host: ${held} held in the handshake (limit ${NODE_LIMITS.pendingPerHost} per host, ${NODE_LIMITS.maxIncomingPendingConnections} in all), the rest dropped at once; another host redeemed an invite meanwhile; the held ones were dropped after ${droppedAt} ms (handshake timeout ${NODE_LIMITS.inboundUpgradeTimeoutMs} ms)`]
    })
  })

  it('strangers cannot fill the connection slots: 4 per host, a share in all, closed when idle; contacts and other peers get in meanwhile', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    let bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const chat = new ChatMeter(bob, alice)
    // A contact that speaks by hand, made before the flood, then disconnected: it will dial in again.
    const friend = await rogueContact(defer, alice, 'Friend')
    await friend.hangUp(addressOf(alice))
    await chat.send('before')

    // One host, four connections a second for three seconds: Alice keeps four of them.
    let tried = 0
    const started = Date.now()
    const first = await rawNode(defer, { from: '127.0.0.2' })
    for (let window = 0; window < 3; window++) {
      const at = Date.now()
      for (let i = 0; i < NODE_LIMITS.strangersPerHost; i++) {
        tried++
        await connect(first, alice)
      }
      await sleep(Math.max(0, 1_050 - (Date.now() - at)))
    }
    await sleep(300)
    const perHost = openOf([first])
    expect(perHost).toBe(NODE_LIMITS.strangersPerHost)

    // Another peer, on another host, gets in: Carol redeems an invite.
    const carol = await hearthPeer(defer, 'Carol')
    const { code } = await alice.hearth.api['invite.create']({})
    expect((await carol.hearth.api['invite.accept']({ code })).contact.peerId).toBe(alice.hearth.peerId)

    // Ten more hosts, four connections each, all at once: strangers together keep their share, no more.
    const hosts = await Promise.all(Array.from({ length: 10 }, async (_, i) => rawNode(defer, { from: `127.0.0.${i + 3}` })))
    await Promise.all(hosts.map(async node => {
      for (let i = 0; i < NODE_LIMITS.strangersPerHost; i++) {
        tried++
        await connect(node, alice)
      }
    }))
    await sleep(300)
    const attackers = [first, ...hosts]
    const held = openOf(attackers)
    expect(held).toBeLessThanOrEqual(NODE_LIMITS.strangers)
    expect(held).toBeGreaterThan(NODE_LIMITS.strangers - NODE_LIMITS.strangersPerHost)
    // A new stranger is refused now...
    const late = await rawNode(defer, { from: '127.0.0.50' })
    expect(await connect(late, alice)).toBe(false)
    // ...but a contact is not: it dials in, and a restarted contact comes back.
    expect(await connect(friend, alice)).toBe(true)
    await bob.hearth.close()
    bob = await restartPeer(bob)
    defer(async () => bob.hearth.close())
    const back = Date.now()
    await online(alice, bob)
    const reconnectMs = Date.now() - back
    const again = new ChatMeter(bob, alice)
    await again.send('after a restart')

    // The strangers' connections opened no Hearth stream: each is closed once idle for long enough.
    await waitFor(() => openOf(attackers) === 0, 'the strangers\' idle connections to be closed', NODE_LIMITS.strangerIdleMs + 5_000)
    const closedAfter = Date.now() - started
    // And then there is room for strangers again.
    await sleep(1_100)
    expect(await connect(late, alice)).toBe(true)
    // The contacts' connections were never touched.
    expect(await connect(friend, alice)).toBe(true)
    await again.send('after the strangers left')

    const tally = await chat.tally()
    const tally2 = await again.tally()
    expect(tally).toMatchObject({ lost: 0, duplicates: 0 })
    expect(tally2).toMatchObject({ lost: 0, duplicates: 0 })
    recordScenario({
      scenario: 'connection slots',
      chat: { sent: tally.sent + tally2.sent, delivered: tally.delivered + tally2.delivered, duplicates: tally.duplicates + tally2.duplicates, lost: tally.lost + tally2.lost },
      faults: { connections: tried },
      notes: [`one host kept ${perHost} of ${3 * NODE_LIMITS.strangersPerHost} connections (limit ${NODE_LIMITS.strangersPerHost}); eleven hosts kept ${held} of ${tried} (limit ${NODE_LIMITS.strangers} for strangers, of ${NODE_LIMITS.maxConnections}); an invite was redeemed, a contact dialed in and a restarted contact was back in ${reconnectMs} ms meanwhile; every stranger connection was closed for idling within ${(closedAfter / 1000).toFixed(0)} s of the first`]
    })
  })
})
