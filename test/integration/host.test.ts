/**
 * What the desktop app needs from the core beyond chat: locking and
 * unlocking, "remember on this device", conversation summaries, and the
 * identity alarms (a request copying a contact's name; a contact's address
 * answering with another key).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { HearthHost, type Keychain } from '../../src/main/core/host.js'
import type { Events } from '../../src/shared/api.js'
import { befriend, deferrals, hearthPeer, openPeer, PASSPHRASE, restartPeer, TEST_KDF, testMdns } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** A keychain in memory, as safeStorage would be on a desktop with a working keyring. */
function memoryKeychain (available = true): Keychain & { stored: string | undefined } {
  const kc = {
    stored: undefined as string | undefined,
    support: () => available ? { available: true as const } : { available: false as const, reason: 'The system keychain stores secrets in the clear here.' },
    has: async () => kc.stored != null,
    load: async () => kc.stored,
    save: async (p: string) => { kc.stored = p },
    clear: async () => { kc.stored = undefined }
  }
  return kc
}

async function host (keychain?: Keychain): Promise<HearthHost> {
  const dir = await tempDir()
  const h = new HearthHost({ dataDir: dir.path, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, kdf: TEST_KDF, ...(keychain != null ? { keychain } : {}) })
  defer(dir.cleanup)
  defer(async () => h.lock())
  return h
}

describe('the host', () => {
  it('is locked until a profile is created or unlocked, and locking drops the core', async () => {
    const h = await host()
    expect(await h.api['profile.status']({})).toMatchObject({ exists: false, unlocked: false })
    await expect(h.api['contacts.list']({})).rejects.toMatchObject({ code: 'LOCKED' })
    await expect(h.api['profile.unlock']({ passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'NO_PROFILE' })
    const me = await h.api['profile.create']({ name: 'Ada', passphrase: PASSPHRASE })
    expect(me.name).toBe('Ada')
    await expect(h.api['profile.create']({ name: 'Ada', passphrase: PASSPHRASE })).resolves.toMatchObject({ name: 'Ada' })
    await h.api['profile.lock']({})
    expect(h.hearth).toBeUndefined()
    await expect(h.api['profile.create']({ name: 'Eve', passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'PROFILE_EXISTS' })
    await expect(h.api['profile.unlock']({ passphrase: 'wrong passphrase' })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect((await h.api['profile.unlock']({ passphrase: PASSPHRASE })).peerId).toBe(me.peerId)
  })

  it('refuses to remember the passphrase without a safe keychain, and changes nothing', async () => {
    const h = await host(memoryKeychain(false))
    const status = await h.api['profile.status']({})
    expect(status.remember).toEqual({ available: false, reason: 'The system keychain stores secrets in the clear here.', enabled: false })
    await expect(h.api['profile.create']({ name: 'Ada', passphrase: PASSPHRASE, remember: true })).rejects.toMatchObject({ code: 'REMEMBER_UNAVAILABLE', message: 'The system keychain stores secrets in the clear here.' })
    expect(await h.api['profile.status']({})).toMatchObject({ exists: false, unlocked: false })
  })

  it('remembers the passphrase when asked, unlocks with it at start, follows a change, and forgets it', async () => {
    const keychain = memoryKeychain()
    const dir = await tempDir()
    defer(dir.cleanup)
    const make = (): HearthHost => new HearthHost({ dataDir: dir.path, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, kdf: TEST_KDF, keychain })
    const first = make()
    await first.api['profile.create']({ name: 'Ada', passphrase: PASSPHRASE, remember: true })
    expect(keychain.stored).toBe(PASSPHRASE)
    expect((await first.api['profile.status']({})).remember.enabled).toBe(true)
    await first.api['profile.changePassphrase']({ current: PASSPHRASE, next: 'a brand new passphrase' })
    expect(keychain.stored).toBe('a brand new passphrase')
    await first.lock()

    const second = make()
    defer(async () => second.lock())
    expect(await second.unlockRemembered()).toBe(true)
    expect((await second.api['identity.get']({})).name).toBe('Ada')
    await second.api['profile.forgetDevice']({})
    expect(keychain.stored).toBeUndefined()
    await second.lock()
    expect(await second.unlockRemembered()).toBe(false)
    expect(second.hearth).toBeUndefined()
  })

  it('forgets a remembered passphrase that no longer works', async () => {
    const keychain = memoryKeychain()
    const h = await host(keychain)
    await h.api['profile.create']({ name: 'Ada', passphrase: PASSPHRASE })
    await h.lock()
    keychain.stored = 'something stale'
    expect(await h.unlockRemembered()).toBe(false)
    expect(keychain.stored).toBeUndefined()
  })
})

describe('conversation summaries', () => {
  it('list each contact with its last message and unread count, most recent first', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    const carol = await hearthPeer(defer, 'Carol')
    await befriend(alice, carol)
    await befriend(alice, bob)
    await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'one' })
    await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'two' })
    await waitFor(async () => (await alice.hearth.api['conversations.list']({}))[0]?.unread === 2, 'two unread')
    const list = await alice.hearth.api['conversations.list']({})
    expect(list.map(c => [c.contact.name, c.lastMessage?.text, c.unread])).toEqual([['Bob', 'two', 2], ['Carol', undefined, 0]])
    await alice.hearth.api['messages.markRead']({ with: bob.hearth.peerId })
    expect((await alice.hearth.api['conversations.list']({}))[0]?.unread).toBe(0)
  })
})

describe('identity alarms', () => {
  it('flag a contact request whose name copies a contact\'s', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const bob = await hearthPeer(defer, 'Bob Smith')
    await befriend(alice, bob)
    const mallory = await hearthPeer(defer, 'bob  smith', { mdns })
    await waitFor(async () => (await mallory.hearth.api['peers.nearby']({})).some(p => p.peerId === alice.hearth.peerId), 'alice nearby')
    const requests: Array<Events['contact.request']> = []
    alice.hearth.events.on('contact.request', (e) => { requests.push(e) })
    await mallory.hearth.api['contacts.request']({ peerId: alice.hearth.peerId })
    await waitFor(() => requests.length > 0, 'the request')
    expect(requests[0]).toEqual({ peerId: mallory.hearth.peerId, name: 'bob  smith', resembles: { peerId: bob.hearth.peerId, name: 'Bob Smith' } })
    expect((await alice.hearth.api['contacts.requests']({}))[0]?.resembles).toEqual({ peerId: bob.hearth.peerId, name: 'Bob Smith' })
  })

  it('go off when a contact\'s address answers with another identity', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    let bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const mismatches: Array<Events['contact.identityMismatch']> = []
    alice.hearth.events.on('contact.identityMismatch', (e) => { mismatches.push(e) })
    // Bob's port is taken over by a different identity: a new profile on the same address.
    await bob.hearth.close()
    const impostorDir = await tempDir()
    defer(impostorDir.cleanup)
    const impostor = await openPeer(impostorDir.path, 'Bob', { port: bob.port })
    defer(async () => impostor.hearth.close())
    await waitFor(() => mismatches.length > 0, 'the mismatch alarm', 30_000)
    expect(mismatches[0]).toMatchObject({ peerId: bob.hearth.peerId, name: 'Bob' })
    expect(mismatches[0]?.address).toContain(`/tcp/${bob.port}`)
    expect((await alice.hearth.api['contacts.list']({})).map(c => c.peerId)).toEqual([bob.hearth.peerId])
    expect(await alice.hearth.api['messages.list']({ with: impostor.hearth.peerId })).toEqual([])
    await impostor.hearth.close()
    bob = await restartPeer(bob)
    defer(async () => bob.hearth.close())
    await waitFor(async () => (await alice.hearth.api['contacts.list']({}))[0]?.online === true, 'the real Bob back', 30_000)
  })
})
