/**
 * Becoming contacts: invite codes (one-time, expiring, pinned), safety
 * numbers, verification, and requests between nearby peers over real mDNS
 * on the loopback interface.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { ContactHello, ContactReply } from '../../src/main/core/protocols/contact/pb/contact.js'
import { CONTACT_PROTOCOL, REQUEST_BURST } from '../../src/main/core/protocols/contact/constants.js'
import type { HearthError } from '../../src/main/core/errors.js'
import { befriend, deferrals, freePort, hearthPeer, openPeer, testMdns } from '../fixtures/peers.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

async function codeOf (err: Promise<unknown>): Promise<string | undefined> {
  try {
    await err
  } catch (e) {
    return (e as HearthError).code
  }
  return undefined
}

describe('invite codes', () => {
  it('make both sides contacts of each other, under the names they chose, with pinned peer ids', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    const { code, expiresAt } = await alice.hearth.api['invite.create']({})
    expect(code).toMatch(/^hearth1[1-9A-HJ-NP-Za-km-z]+$/)
    expect(expiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000)

    const { contact } = await bob.hearth.api['invite.accept']({ code })
    expect(contact).toMatchObject({ peerId: alice.hearth.peerId, name: 'Alice', verified: false })

    const aliceContacts = await alice.hearth.api['contacts.list']({})
    expect(aliceContacts.map(c => [c.peerId, c.name])).toEqual([[bob.hearth.peerId, 'Bob']])
    expect(alice.events.some(e => e.name === 'contact.added')).toBe(true)
  })

  it('work once only', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    const carol = await hearthPeer(defer, 'Carol')
    const { code } = await alice.hearth.api['invite.create']({})
    await bob.hearth.api['invite.accept']({ code })
    expect(await codeOf(carol.hearth.api['invite.accept']({ code }))).toBe('INVITE_USED')
    expect((await alice.hearth.api['contacts.list']({})).map(c => c.name)).toEqual(['Bob'])
    expect(await carol.hearth.api['contacts.list']({})).toEqual([])
  })

  it('expire: the inviter refuses a code past its expiry even when the redeemer\'s clock disagrees', async () => {
    let aliceNow = Date.now()
    const alice = await hearthPeer(defer, 'Alice', { now: () => aliceNow })
    const bob = await hearthPeer(defer, 'Bob')
    const { code } = await alice.hearth.api['invite.create']({})
    aliceNow += 25 * 3600_000
    expect(await codeOf(bob.hearth.api['invite.accept']({ code }))).toBe('INVITE_EXPIRED')
    expect(await alice.hearth.api['contacts.list']({})).toEqual([])
  })

  it('refuse an expired code before contacting anyone', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob', { now: () => Date.now() + 25 * 3600_000 })
    const { code } = await alice.hearth.api['invite.create']({})
    expect(await codeOf(bob.hearth.api['invite.accept']({ code }))).toBe('INVITE_EXPIRED')
  })

  it('refuse a code that was tampered with, and one\'s own code', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    const { code } = await alice.hearth.api['invite.create']({})
    const i = code.length - 10
    const tampered = code.slice(0, i) + (code[i] === 'a' ? 'b' : 'a') + code.slice(i + 1)
    expect(await codeOf(bob.hearth.api['invite.accept']({ code: tampered }))).toBe('INVALID_INVITE')
    expect(await codeOf(alice.hearth.api['invite.accept']({ code }))).toBe('OWN_INVITE')
    expect(await alice.hearth.api['contacts.list']({})).toEqual([])
  })

  it('report an unreachable inviter clearly', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    const { code } = await alice.hearth.api['invite.create']({})
    await alice.hearth.close()
    expect(await codeOf(bob.hearth.api['invite.accept']({ code }))).toBe('UNREACHABLE')
  })
})

describe('safety numbers and verification', () => {
  it('show the same digits on both sides, and a verified mark that persists', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const a = await alice.hearth.api['contacts.safetyNumber']({ peerId: bob.hearth.peerId })
    const b = await bob.hearth.api['contacts.safetyNumber']({ peerId: alice.hearth.peerId })
    expect(a.safetyNumber).toMatch(/^(\d{5} ){11}\d{5}$/)
    expect(a).toEqual(b)

    const carol = await hearthPeer(defer, 'Carol')
    await befriend(alice, carol)
    const ac = await alice.hearth.api['contacts.safetyNumber']({ peerId: carol.hearth.peerId })
    expect(ac.safetyNumber).not.toEqual(a.safetyNumber)

    const { contact } = await alice.hearth.api['contacts.verify']({ peerId: bob.hearth.peerId })
    expect(contact.verified).toBe(true)
    await alice.hearth.close()
    const again = await openPeer(alice.dataDir, 'Alice', { port: alice.port })
    defer(async () => again.hearth.close())
    expect((await again.hearth.api['contacts.list']({})).find(c => c.peerId === bob.hearth.peerId)?.verified).toBe(true)
  })

  it('are refused for a peer that is not a contact', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    expect(await codeOf(alice.hearth.api['contacts.safetyNumber']({ peerId: bob.hearth.peerId }))).toBe('NOT_A_CONTACT')
  })
})

describe('contact requests between nearby peers', () => {
  it('find each other over mDNS, then request and accept without an invite code', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const bob = await hearthPeer(defer, 'Bob', { mdns })
    await waitFor(async () => (await bob.hearth.api['peers.nearby']({})).some(p => p.peerId === alice.hearth.peerId), 'bob to see alice nearby')
    await waitFor(async () => (await alice.hearth.api['peers.nearby']({})).some(p => p.peerId === bob.hearth.peerId), 'alice to see bob nearby')

    expect(await bob.hearth.api['contacts.request']({ peerId: alice.hearth.peerId })).toEqual({ peerId: alice.hearth.peerId, state: 'requested' })
    await waitFor(() => alice.events.some(e => e.name === 'contact.request'), 'the request event')
    const requests = await alice.hearth.api['contacts.requests']({})
    expect(requests.map(r => [r.peerId, r.name])).toEqual([[bob.hearth.peerId, 'Bob']])
    // Asking twice leaves one request.
    await bob.hearth.api['contacts.request']({ peerId: alice.hearth.peerId })
    expect(await alice.hearth.api['contacts.requests']({})).toHaveLength(1)

    const { contact } = await alice.hearth.api['contacts.acceptRequest']({ peerId: bob.hearth.peerId })
    expect(contact).toMatchObject({ peerId: bob.hearth.peerId, name: 'Bob' })
    expect((await bob.hearth.api['contacts.list']({})).map(c => [c.peerId, c.name])).toEqual([[alice.hearth.peerId, 'Alice']])
    expect(await alice.hearth.api['contacts.requests']({})).toEqual([])

    await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'welcome' })
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).length === 1, 'the first message')
  })

  it('refuse a request to a peer that is not nearby', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    expect(await codeOf(bob.hearth.api['contacts.request']({ peerId: alice.hearth.peerId }))).toBe('NOT_NEARBY')
  })

  it('let a stranger leave one request at most, rate-limit strangers as a whole, and keep a declined peer out', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const target = multiaddr(`/ip4/127.0.0.1/tcp/${alice.port}/p2p/${alice.hearth.peerId}`)
    const strangers = []
    const ask = async (node: Awaited<ReturnType<typeof createLibp2p>>): Promise<ContactReply.Status> => {
      const stream = await node.dialProtocol(target, CONTACT_PROTOCOL)
      const pb = pbStream(stream)
      await pb.write({ request: { name: 'Mallory' } }, ContactHello)
      const reply = await pb.read(ContactReply)
      await stream.close()
      // And leaves, as a stranger does (one host may hold only a few stranger connections).
      await node.hangUp(target)
      return reply.status
    }
    for (let i = 0; i < REQUEST_BURST + 1; i++) {
      const node = await createLibp2p({ addresses: { listen: [`/ip4/127.0.0.1/tcp/${await freePort()}`] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
      defer(async () => node.stop())
      strangers.push(node)
    }
    const first = strangers[0]!
    expect(await ask(first)).toBe(ContactReply.Status.OK)
    expect(await ask(first)).toBe(ContactReply.Status.OK)
    expect(await alice.hearth.api['contacts.requests']({})).toHaveLength(1)

    const statuses = []
    for (const s of strangers.slice(1)) {
      // One host may open only a few connections a second (a separate limit, tested elsewhere).
      await sleep(300)
      statuses.push(await ask(s))
    }
    expect(statuses.filter(s => s === ContactReply.Status.OK)).toHaveLength(REQUEST_BURST - 1)
    expect(statuses.at(-1)).toBe(ContactReply.Status.RATE_LIMITED)
    expect(await alice.hearth.api['contacts.requests']({})).toHaveLength(REQUEST_BURST)

    await alice.hearth.api['contacts.declineRequest']({ peerId: first.peerId.toString() })
    expect((await alice.hearth.api['contacts.requests']({})).map(r => r.peerId)).not.toContain(first.peerId.toString())
    expect(await ask(first)).toBe(ContactReply.Status.REJECTED)
    expect(await alice.hearth.api['contacts.list']({})).toEqual([])
  })
})
