/**
 * Races and lost answers that a review found: two processes creating one
 * profile, two passphrase changes at once, two peers redeeming one invite,
 * a redeemer whose answer was lost, concurrent edits of one contact, and a
 * clock that must survive a restart.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { CONTACT_PROTOCOL } from '../../src/main/core/protocols/contact/constants.js'
import { decodeInvite } from '../../src/main/core/protocols/contact/invite-code.js'
import { ContactHello, ContactReply } from '../../src/main/core/protocols/contact/pb/contact.js'
import { loadOrCreateProfile, loadProfile } from '../../src/main/core/store/profile.js'
import { Store } from '../../src/main/core/store/store.js'
import { befriend, deferrals, hearthPeer, openPeer, PASSPHRASE, restartPeer, TEST_KDF, testMdns, type TestPeer } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

async function rawNode (): Promise<Libp2p> {
  const node = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  defer(async () => node.stop())
  return node
}

async function hello (node: Libp2p, to: TestPeer, message: ContactHello): Promise<ContactReply> {
  const stream = await node.dialProtocol(multiaddr(`/ip4/127.0.0.1/tcp/${to.port}/p2p/${to.hearth.peerId}`), CONTACT_PROTOCOL)
  const pb = pbStream(stream)
  await pb.write(message, ContactHello)
  const reply = await pb.read(ContactReply)
  await stream.close()
  return reply
}

describe('the profile on disk', () => {
  it('survives two processes creating it at the same moment: one wins, the other is told, nothing is lost', async () => {
    for (let round = 0; round < 8; round++) {
      const dir = await tempDir()
      defer(dir.cleanup)
      const outcomes = await Promise.allSettled([0, 1].map(async (i) => {
        const { store } = await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, kdf: TEST_KDF })
        await loadOrCreateProfile(store, `process ${i}`)
        await store.close()
      }))
      const refused = outcomes.filter(o => o.status === 'rejected').map(o => (o.reason as { code?: string }).code)
      expect(refused.every(code => code === 'ALREADY_OPEN')).toBe(true)
      const { store } = await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, kdf: TEST_KDF })
      expect((await loadProfile(store))?.name).toMatch(/^process [01]$/)
      await store.close()
    }
  })

  it('takes two passphrase changes at once one after the other, and reports the truth about each', async () => {
    const dir = await tempDir()
    defer(dir.cleanup)
    const { store } = await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, kdf: TEST_KDF })
    const results = await Promise.allSettled([
      store.changePassphrase(PASSPHRASE, 'first new passphrase', TEST_KDF),
      store.changePassphrase(PASSPHRASE, 'second new passphrase', TEST_KDF)
    ])
    await store.close()
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected'])
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(Store.open({ dataDir: dir.path, passphrase: 'second new passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    const reopened = await Store.open({ dataDir: dir.path, passphrase: 'first new passphrase' })
    await reopened.store.close()
  })
})

describe('invites', () => {
  it('are redeemed by one peer only, even when two try at the same moment', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const { secret } = decodeInvite((await alice.hearth.api['invite.create']({})).code)
    const [b, c] = [await rawNode(), await rawNode()]
    const replies = await Promise.all([b, c].map(async node => hello(node, alice, { redeem: { secret, name: 'Taker' } })))
    expect(replies.map(r => r.status).sort()).toEqual([ContactReply.Status.OK, ContactReply.Status.USED].sort())
    expect(await alice.hearth.api['contacts.list']({})).toHaveLength(1)
  })

  it('can be redeemed again by the same peer whose answer was lost, and by nobody else', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const { secret } = decodeInvite((await alice.hearth.api['invite.create']({})).code)
    const redeemer = await rawNode()
    expect((await hello(redeemer, alice, { redeem: { secret, name: 'Bob' } })).status).toBe(ContactReply.Status.OK)
    // The answer never arrived; Bob asks again.
    const again = await hello(redeemer, alice, { redeem: { secret, name: 'Bob' } })
    expect(again).toEqual({ status: ContactReply.Status.OK, name: 'Alice' })
    expect((await hello(await rawNode(), alice, { redeem: { secret, name: 'Eve' } })).status).toBe(ContactReply.Status.USED)
    expect((await alice.hearth.api['contacts.list']({})).map(c => c.name)).toEqual(['Bob'])
    expect(alice.events.filter(e => e.name === 'contact.added')).toHaveLength(1)
  })
})

describe('a one-sided contact', () => {
  it('is repaired by a contact request: the side that still holds us answers that it accepts', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const { secret } = decodeInvite((await alice.hearth.api['invite.create']({})).code)
    // Bob's identity, made first, redeems by hand and "loses" the answer:
    // Alice now holds Bob, and Bob does not hold Alice.
    const bobDir = await tempDir()
    defer(bobDir.cleanup)
    const { store } = await Store.open({ dataDir: bobDir.path, passphrase: PASSPHRASE, kdf: TEST_KDF })
    const { privateKey } = await loadOrCreateProfile(store, 'Bob')
    await store.close()
    const asBob = await createLibp2p({ privateKey, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
    expect((await hello(asBob, alice, { redeem: { secret, name: 'Bob' } })).status).toBe(ContactReply.Status.OK)
    await asBob.stop()

    const bob = await openPeer(bobDir.path, 'Bob', { mdns })
    defer(async () => bob.hearth.close())
    expect(await bob.hearth.api['contacts.list']({})).toEqual([])
    await waitFor(async () => (await bob.hearth.api['peers.nearby']({})).some(p => p.peerId === alice.hearth.peerId), 'alice nearby')
    expect(await bob.hearth.api['contacts.request']({ peerId: alice.hearth.peerId })).toEqual({ peerId: alice.hearth.peerId, state: 'added' })
    expect((await bob.hearth.api['contacts.list']({})).map(c => c.name)).toEqual(['Alice'])
    await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'finally' })
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).length === 1, 'the message')
  })
})

describe('a contact edited from two places at once', () => {
  it('keeps both changes: a verification and an address update', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    await Promise.all([
      alice.hearth.api['contacts.verify']({ peerId: bob.hearth.peerId }),
      bob.hearth.api['identity.setName']({ name: 'Robert' })
    ])
    await waitFor(async () => (await alice.hearth.api['contacts.list']({}))[0]?.name === 'Robert', 'the new name')
    expect((await alice.hearth.api['contacts.list']({}))[0]).toMatchObject({ name: 'Robert', verified: true })
    const again = await restartPeer(alice)
    defer(async () => again.hearth.close())
    expect((await again.hearth.api['contacts.list']({}))[0]).toMatchObject({ name: 'Robert', verified: true })
  })
})

describe('the clock', () => {
  it('resumes after the newest stored message, so a reply after a restart sorts after what it answers', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob', { now: () => Date.now() + 50_000 })
    await befriend(alice, bob)
    await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: '1. are you coming?' })
    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).length === 1, 'the question')
    const restarted = await restartPeer(alice)
    defer(async () => restarted.hearth.close())
    await waitFor(async () => (await restarted.hearth.api['contacts.list']({}))[0]?.online === true, 'reconnected')
    await restarted.hearth.api['messages.send']({ to: bob.hearth.peerId, text: '2. yes' })
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).length === 2, 'the reply')
    const order = ['1. are you coming?', '2. yes']
    expect((await restarted.hearth.api['messages.list']({ with: bob.hearth.peerId })).map(m => m.text)).toEqual(order)
    expect((await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).map(m => m.text)).toEqual(order)
  })
})
