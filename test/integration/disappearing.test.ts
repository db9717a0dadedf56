/**
 * Reduced permanence between two real peers: the timer both sides agree
 * on, messages vanishing at the right moments (the reader's clock starting
 * at read), expiry catching up after a restart, delete for everyone
 * reaching a peer that was offline, edits, and the panic wipe.
 */
import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Events, Message } from '../../src/shared/api.js'
import { befriend, deferrals, hearthPeer, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { RpcPeer } from '../fixtures/rpc-peer.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** A peer whose handle stays current across restarts, so that the one open at the end is closed (closing twice is harmless). */
async function peer (name: string): Promise<{ current: TestPeer }> {
  const ref = { current: await hearthPeer(defer, name) }
  defer(async () => ref.current.hearth.close())
  return ref
}

async function pair (): Promise<[{ current: TestPeer }, { current: TestPeer }]> {
  const a = await peer('Alice')
  const b = await peer('Bob')
  await befriend(a.current, b.current)
  return [a, b]
}

async function texts (p: TestPeer, withPeer: string): Promise<string[]> {
  return (await p.hearth.api['messages.list']({ with: withPeer })).map(m => m.text)
}

function expired (p: TestPeer): string[] {
  return p.events.filter(e => e.name === 'message.expired').map(e => (e.payload as Events['message.expired']).id)
}

describe('the disappearing-message timer', () => {
  it('is agreed by both sides, shown as a system line on each, and the later change wins', async () => {
    const [a, b] = await pair()
    const alice = a.current
    const bob = b.current
    await alice.hearth.api['conversations.setTimer']({ with: bob.hearth.peerId, seconds: 300 })
    await waitFor(async () => (await bob.hearth.api['conversations.list']({}))[0]?.timer === 300, 'bob to hold the timer')
    const lines = async (p: TestPeer, other: string): Promise<Message[]> => (await p.hearth.api['messages.list']({ with: other })).filter(m => m.kind === 'system')
    expect((await lines(alice, bob.hearth.peerId)).map(m => [m.id, m.system])).toEqual((await lines(bob, alice.hearth.peerId)).map(m => [m.id, m.system]))
    expect((await lines(bob, alice.hearth.peerId))[0]?.system).toEqual({ timer: 300, by: alice.hearth.peerId })

    // Both change it at once: both end with the same one.
    await Promise.all([
      alice.hearth.api['conversations.setTimer']({ with: bob.hearth.peerId, seconds: 3600 }),
      bob.hearth.api['conversations.setTimer']({ with: alice.hearth.peerId, seconds: 30 })
    ])
    await waitFor(async () => (await lines(alice, bob.hearth.peerId)).length === 3 && (await lines(bob, alice.hearth.peerId)).length === 3, 'all three lines on both sides')
    const timerA = (await alice.hearth.api['conversations.list']({}))[0]?.timer
    const timerB = (await bob.hearth.api['conversations.list']({}))[0]?.timer
    expect(timerA).toBe(timerB)
    expect([3600, 30]).toContain(timerA)

    // Messages then take the agreed timer.
    await alice.hearth.api['conversations.setTimer']({ with: bob.hearth.peerId, seconds: 0 })
    await waitFor(async () => (await bob.hearth.api['conversations.list']({}))[0]?.timer === 0, 'timer off on both')
    const sent = await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'stays' })
    expect(sent.expiresAt).toBeUndefined()
  })

  it('refuses values other than the choices', async () => {
    const [a, b] = await pair()
    const { parseParams } = await import('../../src/shared/api.js')
    expect(parseParams('conversations.setTimer', { with: b.current.hearth.peerId, seconds: 45 }).ok).toBe(false)
    expect(parseParams('messages.send', { to: a.current.hearth.peerId, text: 'x', expiresInSeconds: 0 }).ok).toBe(false)
  })
})

describe('a disappearing message', () => {
  it('goes from the sender at send + lifetime, and from the reader only after read + lifetime', async () => {
    const [a, b] = await pair()
    const alice = a.current
    const bob = b.current
    const { id, expiresAt } = await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'read me soon', expiresInSeconds: 2 })
    expect(expiresAt).toBeDefined()
    await waitFor(async () => (await texts(bob, alice.hearth.peerId)).includes('read me soon'), 'delivery')
    const atBob = (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId }))[0]
    expect(atBob).toMatchObject({ id, expiresIn: 2 })
    expect(atBob?.expiresAt).toBeUndefined()

    await waitFor(() => expired(alice).includes(id), 'expiry at the sender', 10_000)
    expect(await texts(alice, bob.hearth.peerId)).toEqual([])
    // Unread at Bob: its clock has not started.
    expect(await texts(bob, alice.hearth.peerId)).toEqual(['read me soon'])

    await bob.hearth.api['messages.markRead']({ with: alice.hearth.peerId })
    const started = (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId }))[0]
    expect(started?.expiresAt).toBeGreaterThan(Date.now())
    await waitFor(() => expired(bob).includes(id), 'expiry at the reader', 10_000)
    expect(await texts(bob, alice.hearth.peerId)).toEqual([])
    expect((await bob.hearth.api['conversations.list']({}))[0]?.lastMessage).toBeUndefined()
  })

  it('that expired while Hearth was closed is gone before anything is shown', async () => {
    const [a, b] = await pair()
    const bobId = b.current.hearth.peerId
    await a.current.hearth.api['messages.send']({ to: bobId, text: 'brief', expiresInSeconds: 1 })
    await a.current.hearth.api['messages.send']({ to: bobId, text: 'lasting' })
    await a.current.hearth.close()
    await new Promise(resolve => setTimeout(resolve, 2500))
    a.current = await restartPeer(a.current)
    expect(await texts(a.current, bobId)).toEqual(['lasting'])
  })
})

describe('delete and edit', () => {
  it('delete for everyone reaches a peer that was offline, when it comes back', async () => {
    const [a, b] = await pair()
    const bobId = b.current.hearth.peerId
    const aliceId = a.current.hearth.peerId
    const { id } = await a.current.hearth.api['messages.send']({ to: bobId, text: 'oops, wrong chat' })
    await a.current.hearth.api['messages.send']({ to: bobId, text: 'this one stays' })
    await waitFor(async () => (await texts(b.current, aliceId)).length === 2, 'delivery')
    await b.current.hearth.close()
    await a.current.hearth.api['messages.delete']({ id, forEveryone: true })
    expect(await texts(a.current, bobId)).toEqual(['this one stays'])
    b.current = await restartPeer(b.current)
    await waitFor(async () => (await texts(b.current, aliceId)).length === 1, 'the retraction after the restart', 30_000)
    expect(await texts(b.current, aliceId)).toEqual(['this one stays'])
    expect(b.current.events.some(e => e.name === 'message.deleted' && (e.payload as { id: string }).id === id)).toBe(true)
  })

  it('only your own messages can be edited or deleted for everyone; delete for me works on any', async () => {
    const [a, b] = await pair()
    const aliceId = a.current.hearth.peerId
    const { id } = await a.current.hearth.api['messages.send']({ to: b.current.hearth.peerId, text: 'from alice' })
    await waitFor(async () => (await texts(b.current, aliceId)).length === 1, 'delivery')
    await expect(b.current.hearth.api['messages.edit']({ id, text: 'from bob?' })).rejects.toMatchObject({ code: 'NOT_ALLOWED' })
    await expect(b.current.hearth.api['messages.delete']({ id, forEveryone: true })).rejects.toMatchObject({ code: 'NOT_ALLOWED' })
    await b.current.hearth.api['messages.delete']({ id })
    expect(await texts(b.current, aliceId)).toEqual([])
    // Only locally: Alice still has it.
    expect(await texts(a.current, b.current.hearth.peerId)).toEqual(['from alice'])
  })

  it('an edit reaches the peer, marked edited, with the old text gone', async () => {
    const [a, b] = await pair()
    const aliceId = a.current.hearth.peerId
    const { id } = await a.current.hearth.api['messages.send']({ to: b.current.hearth.peerId, text: 'meet at 6' })
    await waitFor(async () => (await texts(b.current, aliceId)).includes('meet at 6'), 'delivery')
    const { editedAt } = await a.current.hearth.api['messages.edit']({ id, text: 'meet at 7' })
    await waitFor(async () => (await texts(b.current, aliceId)).includes('meet at 7'), 'the edit')
    const edited = (await b.current.hearth.api['messages.list']({ with: aliceId }))[0]
    expect(edited).toMatchObject({ id, text: 'meet at 7', editedAt })
    expect(await texts(b.current, aliceId)).toEqual(['meet at 7'])
  })
})

describe('the panic wipe', () => {
  it('over JSON-RPC leaves no data directory and no process', async () => {
    const dir = await tempDir()
    defer(dir.cleanup)
    const p = await RpcPeer.spawn({ dataDir: dir.path, name: 'Doomed' })
    defer(async () => { if (p.child.exitCode == null) p.kill() })
    await expect(p.call('profile.wipe', {})).rejects.toMatchObject({ code: -32602 })
    expect(await p.call('profile.wipe', { confirm: 'wipe' })).toBeNull()
    expect(await p.exited).toEqual({ code: 0, signal: null })
    expect(existsSync(dir.path)).toBe(false)
  })

  it('from the command line, without the passphrase', async () => {
    const dir = await tempDir()
    defer(dir.cleanup)
    const first = await RpcPeer.spawn({ dataDir: dir.path, name: 'Doomed' })
    expect(await first.end()).toEqual({ code: 0, signal: null })
    const wipe = RpcPeer.start({ dataDir: dir.path, passphrase: 'not needed at all', args: ['--wipe', '--yes'] })
    expect(await wipe.exited).toEqual({ code: 0, signal: null })
    expect(wipe.stderr).toMatch(/^Wiped .* in \d+ ms\.\n$/)
    expect(existsSync(dir.path)).toBe(false)
  })
})
