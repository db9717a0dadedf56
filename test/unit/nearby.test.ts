import { beforeAll, describe, it, expect } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import type { MulticastDNSComponents } from '@libp2p/mdns'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { isLanIp, isLanMultiaddr } from '../../src/main/core/node/lan.js'
import { NEARBY_DEFAULTS, NearbyService, type NearbyInit } from '../../src/main/core/node/nearby.js'

const T0 = 1_700_000_000_000

let self: PeerId
let alice: PeerId
let bob: PeerId

beforeAll(async () => {
  const newPeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  self = await newPeer()
  alice = await newPeer()
  bob = await newPeer()
})

/** A stand-in peer id: the table only ever uses a peer id's string form. */
function fakePeer (n: number): PeerId {
  const id = `12D3KooWFake${String(n).padStart(8, '0')}`
  return { toString: () => id } as unknown as PeerId
}

function service (init: Partial<NearbyInit> = {}): { nearby: NearbyService, changes: () => number } {
  const components = {
    peerId: self,
    addressManager: { getAddresses: () => [] },
    logger: defaultLogger()
  } as unknown as MulticastDNSComponents & { peerId: PeerId }
  const nearby = new NearbyService(components, { enabled: false, ...init })
  let changes = 0
  nearby.addEventListener('change', () => { changes++ })
  return { nearby, changes: () => changes }
}

const addrs = (...s: string[]): Multiaddr[] => s.map(a => multiaddr(a))

describe('NearbyService table', () => {
  it('lists an announced LAN peer with its addresses, and fires change', () => {
    const { nearby, changes } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/192.168.1.20/tcp/4001', '/ip6/fe80::1/tcp/4001') }, T0)
    expect(nearby.list()).toEqual([{ peerId: alice.toString(), addresses: ['/ip4/192.168.1.20/tcp/4001', '/ip6/fe80::1/tcp/4001'], lastSeen: T0 }])
    expect(nearby.get(alice.toString())?.addresses).toHaveLength(2)
    expect(changes()).toBe(1)
  })

  it('ignores its own announcements', () => {
    const { nearby, changes } = service()
    nearby.record({ id: self, multiaddrs: addrs('/ip4/192.168.1.2/tcp/4001') }, T0)
    expect(nearby.size).toBe(0)
    expect(changes()).toBe(0)
  })

  it('drops public addresses and DNS names, and does not list a peer that has only those', () => {
    const { nearby, changes } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/8.8.8.8/tcp/4001', '/dns4/example.com/tcp/4001', '/dns4/localhost/tcp/4001', '/ip4/10.1.2.3/tcp/4001', '/ip6/2001:db8::1/tcp/4001') }, T0)
    nearby.record({ id: bob, multiaddrs: addrs('/ip4/1.1.1.1/tcp/4001', '/dnsaddr/bootstrap.libp2p.io', '/ip4/100.64.0.1/tcp/1') }, T0)
    expect(nearby.list().map(e => [e.peerId, e.addresses])).toEqual([[alice.toString(), ['/ip4/10.1.2.3/tcp/4001']]])
    expect(nearby.get(bob.toString())).toBeUndefined()
    expect(changes()).toBe(1)
  })

  it('drops absurdly long addresses', () => {
    const { nearby } = service()
    const long = '/ip4/10.0.0.1/tcp/1/sni/' + 'a'.repeat(NEARBY_DEFAULTS.maxAddressLength)
    nearby.record({ id: alice, multiaddrs: addrs(long, '/ip4/10.0.0.1/tcp/2') }, T0)
    expect(nearby.get(alice.toString())?.addresses).toEqual(['/ip4/10.0.0.1/tcp/2'])
    nearby.record({ id: bob, multiaddrs: addrs(long) }, T0)
    expect(nearby.get(bob.toString())).toBeUndefined()
  })

  it(`keeps at most ${NEARBY_DEFAULTS.maxAddressesPerPeer} addresses per peer, newest first`, () => {
    const { nearby } = service()
    const many = Array.from({ length: 20 }, (_, i) => `/ip4/192.168.0.${i + 1}/tcp/4001`)
    nearby.record({ id: alice, multiaddrs: addrs(...many) }, T0)
    expect(nearby.get(alice.toString())?.addresses).toEqual(many.slice(0, NEARBY_DEFAULTS.maxAddressesPerPeer))

    for (let i = 0; i < 50; i++) nearby.record({ id: bob, multiaddrs: addrs(`/ip4/10.0.0.${i + 1}/tcp/4001`) }, T0 + i)
    const kept = nearby.get(bob.toString())?.addresses ?? []
    expect(kept).toHaveLength(NEARBY_DEFAULTS.maxAddressesPerPeer)
    expect(kept[0]).toBe('/ip4/10.0.0.50/tcp/4001')
  })

  it('keeps a peer\'s known addresses when it announces a few new ones', () => {
    const { nearby } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/192.168.1.20/tcp/4001') }, T0)
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/192.168.1.66/tcp/4001') }, T0 + 1)
    expect(nearby.get(alice.toString())?.addresses).toEqual(['/ip4/192.168.1.66/tcp/4001', '/ip4/192.168.1.20/tcp/4001'])
  })

  it('a single announcement cannot erase every address a peer was known by', () => {
    const { nearby } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/192.168.1.20/tcp/4001') }, T0)
    const spoofed = Array.from({ length: NEARBY_DEFAULTS.maxAddressesPerPeer }, (_, i) => `/ip4/10.66.0.${i + 1}/tcp/4001`)
    nearby.record({ id: alice, multiaddrs: addrs(...spoofed) }, T0 + 1)
    expect(nearby.get(alice.toString())?.addresses).toContain('/ip4/192.168.1.20/tcp/4001')
  })

  it('keeps at most maxPeers entries under a flood, and they are the newest', () => {
    const maxPeers = 100
    const { nearby } = service({ maxPeers })
    for (let i = 0; i < 10_000; i++) {
      nearby.record({ id: fakePeer(i), multiaddrs: addrs(`/ip4/10.${(i >> 8) & 0xff}.${i & 0xff}.1/tcp/4001`) }, T0 + i)
      if (nearby.size > maxPeers) throw new Error(`table grew to ${nearby.size} at peer ${i}`)
    }
    const listed = nearby.list()
    expect(listed).toHaveLength(maxPeers)
    expect(listed.map(e => e.peerId)).toEqual(Array.from({ length: maxPeers }, (_, i) => fakePeer(9_999 - i).toString()))
  })

  it('holds the default number of peers at most when not configured', () => {
    const { nearby } = service()
    for (let i = 0; i < NEARBY_DEFAULTS.maxPeers + 50; i++) nearby.record({ id: fakePeer(i), multiaddrs: addrs('/ip4/10.0.0.1/tcp/4001') }, T0 + i)
    expect(nearby.size).toBe(NEARBY_DEFAULTS.maxPeers)
  })

  it('evicts the peer refreshed longest ago, not the one added first', () => {
    const { nearby } = service({ maxPeers: 2 })
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    nearby.record({ id: bob, multiaddrs: addrs('/ip4/10.0.0.2/tcp/1') }, T0 + 1)
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0 + 2)
    nearby.record({ id: fakePeer(1), multiaddrs: addrs('/ip4/10.0.0.3/tcp/1') }, T0 + 3)
    expect(nearby.list().map(e => e.peerId)).toEqual([fakePeer(1).toString(), alice.toString()])
  })

  it('lists peers most recently seen first', () => {
    const { nearby } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    nearby.record({ id: bob, multiaddrs: addrs('/ip4/10.0.0.2/tcp/1') }, T0 + 5)
    expect(nearby.list().map(e => e.peerId)).toEqual([bob.toString(), alice.toString()])
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0 + 10)
    expect(nearby.list().map(e => e.peerId)).toEqual([alice.toString(), bob.toString()])
  })

  it('expires entries not refreshed within ttlMs, firing change once', () => {
    const ttlMs = 20_000
    const { nearby, changes } = service({ ttlMs })
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    nearby.record({ id: bob, multiaddrs: addrs('/ip4/10.0.0.2/tcp/1') }, T0 + 10_000)
    expect(changes()).toBe(2)

    nearby.expire(T0 + ttlMs)
    expect(nearby.size).toBe(2)
    expect(changes()).toBe(2)

    nearby.expire(T0 + ttlMs + 1)
    expect(nearby.list().map(e => e.peerId)).toEqual([bob.toString()])
    expect(changes()).toBe(3)

    // A refresh keeps an entry alive.
    nearby.record({ id: bob, multiaddrs: addrs('/ip4/10.0.0.2/tcp/1') }, T0 + 25_000)
    nearby.expire(T0 + 40_000)
    expect(nearby.size).toBe(1)
    nearby.expire(T0 + 45_001)
    expect(nearby.size).toBe(0)
    expect(changes()).toBe(4)
  })

  it('fires change when a peer\'s addresses change, not on an identical refresh; seen fires on both', () => {
    const { nearby, changes } = service()
    const seen: string[] = []
    nearby.addEventListener('seen', (evt) => { seen.push(evt.detail.peerId) })
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0 + 1)
    expect(changes()).toBe(1)
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.9/tcp/1') }, T0 + 2)
    expect(changes()).toBe(2)
    expect(seen).toEqual([alice.toString(), alice.toString(), alice.toString()])
  })

  it('hands out copies: changing a listed entry does not change the table', () => {
    const { nearby } = service()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    nearby.list()[0]?.addresses.push('/ip4/8.8.8.8/tcp/1')
    nearby.get(alice.toString())?.addresses.push('/ip4/8.8.8.8/tcp/1')
    expect(nearby.get(alice.toString())?.addresses).toEqual(['/ip4/10.0.0.1/tcp/1'])
  })

  it('starts and stops without a network when disabled, and stop clears the table', async () => {
    const { nearby } = service()
    expect(nearby.enabled).toBe(false)
    await nearby.start()
    nearby.record({ id: alice, multiaddrs: addrs('/ip4/10.0.0.1/tcp/1') }, T0)
    await nearby.stop()
    expect(nearby.size).toBe(0)
  })
})

describe('isLanIp / isLanMultiaddr', () => {
  const lan = ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.0.1', '192.168.255.255', '127.0.0.1', '127.8.9.10', '169.254.1.1', '::1', 'fe80::1', 'fe80::1%eth0', 'fd00::1', 'fc00::1', '::ffff:10.0.0.1', '::FFFF:192.168.1.1', '::ffff:a00:1']
  const notLan = ['8.8.8.8', '1.1.1.1', '100.64.0.1', '172.32.0.1', '172.15.255.255', '192.169.0.1', '11.0.0.1', '169.255.0.1', '0.0.0.0', '255.255.255.255', '2001:db8::1', '2606:4700::1111', '::', '::2', 'fec0::1', '::ffff:8.8.8.8', '::ffff:808:808', 'localhost', 'example.com', '', '10.0.0', '10.0.0.1.5']

  it.each(lan)('%s is on the LAN', (ip) => {
    expect(isLanIp(ip)).toBe(true)
  })

  it.each(notLan)('%s is not on the LAN', (ip) => {
    expect(isLanIp(ip)).toBe(false)
  })

  it('judges a multiaddr by its leading IP literal; names never count', () => {
    expect(isLanMultiaddr(multiaddr('/ip4/192.168.1.5/tcp/4001'))).toBe(true)
    expect(isLanMultiaddr(multiaddr('/ip6/fd00::5/udp/4001/webrtc-direct'))).toBe(true)
    expect(isLanMultiaddr(multiaddr('/ip6/::ffff:10.0.0.1/tcp/1'))).toBe(true)
    expect(isLanMultiaddr(multiaddr(`/ip4/10.0.0.1/tcp/1/p2p/${alice.toString()}`))).toBe(true)
    expect(isLanMultiaddr(multiaddr('/ip4/8.8.8.8/tcp/4001'))).toBe(false)
    expect(isLanMultiaddr(multiaddr('/ip6/::ffff:8.8.8.8/tcp/1'))).toBe(false)
    expect(isLanMultiaddr(multiaddr('/dns4/localhost/tcp/4001'))).toBe(false)
    expect(isLanMultiaddr(multiaddr('/dns6/localhost/tcp/4001'))).toBe(false)
    expect(isLanMultiaddr(multiaddr('/dns/router.local/tcp/4001'))).toBe(false)
    expect(isLanMultiaddr(multiaddr(`/p2p/${alice.toString()}`))).toBe(false)
    expect(isLanMultiaddr(multiaddr('/'))).toBe(false)
  })
})
