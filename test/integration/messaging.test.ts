/**
 * Chat between two real peers on 127.0.0.1: order, statuses, read receipts,
 * typing, history paging, and the persistent outbox across restarts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { parseParams, type MessageStatus } from '../../src/shared/api.js'
import { LIMITS, utf8Length } from '../../src/shared/limits.js'
import { allMessages, befriend, deferrals, hearthPeer, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** A peer whose handle stays current across restarts, so that the one open at the end is closed (closing twice is harmless). */
async function peer (name: string, options: Parameters<typeof hearthPeer>[2] = {}): Promise<{ current: TestPeer }> {
  const ref = { current: await hearthPeer(defer, name, options) }
  defer(async () => ref.current.hearth.close())
  return ref
}

const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3 }

function statusesOf (p: TestPeer, id: string): MessageStatus[] {
  return p.events
    .filter(e => e.name === 'message.status' && (e.payload as { id: string }).id === id)
    .map(e => (e.payload as { status: MessageStatus }).status)
}

describe('chat between two peers', () => {
  it('delivers 100 messages in order, each going pending → sent → delivered → read, never backwards', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)

    const ids: string[] = []
    for (let i = 0; i < 100; i++) {
      const r = await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: `message ${i}` })
      expect(r.status).toBe('pending')
      ids.push(r.id)
    }
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId, limit: 500 })).length === 100, 'all 100 at bob')
    const received = await bob.hearth.api['messages.list']({ with: alice.hearth.peerId, limit: 500 })
    expect(received.map(m => m.text)).toEqual(ids.map((_, i) => `message ${i}`))
    expect(received.map(m => m.id)).toEqual(ids)
    expect(received.every(m => m.from === alice.hearth.peerId && !m.outgoing && m.status === 'delivered')).toBe(true)
    expect(bob.events.filter(e => e.name === 'message.received')).toHaveLength(100)

    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId, limit: 500 })).every(m => m.status === 'delivered'), 'delivered at alice')
    expect(await bob.hearth.api['messages.markRead']({ with: alice.hearth.peerId })).toEqual({ count: 100 })
    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId, limit: 500 })).every(m => m.status === 'read'), 'read at alice')

    for (const id of ids) {
      const seen = statusesOf(alice, id)
      expect(seen.at(-1)).toBe('read')
      expect(seen).toContain('delivered')
      for (let i = 1; i < seen.length; i++) expect(RANK[seen[i]!]).toBeGreaterThan(RANK[seen[i - 1]!])
    }
    expect(await bob.hearth.api['messages.markRead']({ with: alice.hearth.peerId })).toEqual({ count: 0 })
  })

  it('orders a conversation the same way on both sides, including replies', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)
    for (let i = 0; i < 10; i++) {
      const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice]
      await from.hearth.api['messages.send']({ to: to.hearth.peerId, text: `turn ${i}` })
      await waitFor(async () => (await to.hearth.api['messages.list']({ with: from.hearth.peerId })).some(m => m.text === `turn ${i}`), `turn ${i}`)
    }
    const a = (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).map(m => m.text)
    const b = (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).map(m => m.text)
    expect(a).toEqual(Array.from({ length: 10 }, (_, i) => `turn ${i}`))
    expect(b).toEqual(a)
  })

  it('sends no read receipts when they are switched off', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)
    expect(await bob.hearth.api['settings.set']({ readReceipts: false })).toMatchObject({ readReceipts: false })
    const { id } = await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'hi' })
    await waitFor(() => statusesOf(alice, id).includes('delivered'), 'delivered')
    expect(await bob.hearth.api['messages.markRead']({ with: alice.hearth.peerId })).toEqual({ count: 1 })
    // A later message is acked after the read was processed: if a receipt had been sent, it would have arrived first.
    const { id: second } = await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'still there?' })
    await waitFor(() => statusesOf(alice, second).includes('delivered'), 'second delivered')
    expect(statusesOf(alice, id)).not.toContain('read')
    expect((await bob.hearth.api['messages.list']({ with: alice.hearth.peerId }))[0]?.status).toBe('read')
  })

  it('shows typing, and clears it', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)
    const typing = (): boolean[] => bob.events.filter(e => e.name === 'typing').map(e => (e.payload as { typing: boolean }).typing)
    await alice.hearth.api['typing.set']({ with: bob.hearth.peerId, typing: true })
    await waitFor(() => typing().at(-1) === true, 'typing on')
    expect(bob.events.find(e => e.name === 'typing')?.payload).toEqual({ peerId: alice.hearth.peerId, typing: true })
    await alice.hearth.api['typing.set']({ with: bob.hearth.peerId, typing: false })
    await waitFor(() => typing().at(-1) === false, 'typing off')
  })

  it('pages history backwards without gaps or repeats', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)
    for (let i = 0; i < 130; i++) await alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: `n${i}` })
    const newest = await alice.hearth.api['messages.list']({ with: bob.hearth.peerId, limit: 50 })
    const older = await alice.hearth.api['messages.list']({ with: bob.hearth.peerId, limit: 50, before: newest[0]!.id })
    const oldest = await alice.hearth.api['messages.list']({ with: bob.hearth.peerId, limit: 50, before: older[0]!.id })
    expect([...oldest, ...older, ...newest].map(m => m.text)).toEqual(Array.from({ length: 130 }, (_, i) => `n${i}`))
    expect(oldest).toHaveLength(30)
  })

  it('delivers a burst of the largest messages allowed, and refuses a larger one', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await befriend(alice, bob)
    const big = (i: number): string => `${i}:`.padEnd(LIMITS.textBytes / 2, 'é')
    const texts = Array.from({ length: 200 }, (_, i) => big(i))
    expect(utf8Length(texts[0]!)).toBeGreaterThan(LIMITS.textBytes - 16)
    await Promise.all(texts.map(async text => alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text })))
    await waitFor(async () => (await allMessages(bob, alice.hearth.peerId, 200)).length === 200, 'all 200 large messages', 30_000)
    expect((await allMessages(bob, alice.hearth.peerId, 200)).map(m => m.text)).toEqual(texts)
    const tooBig = parseParams('messages.send', { to: bob.hearth.peerId, text: 'x'.repeat(LIMITS.textBytes + 1) })
    expect(tooBig.ok).toBe(false)
  })

  it('works over WebRTC-direct alone', async () => {
    const listen = ['/ip4/127.0.0.1/udp/0/webrtc-direct']
    const alice = (await peer('Alice', { listen })).current
    const bob = (await peer('Bob', { listen })).current
    expect(alice.hearth.addresses.every(a => a.includes('/webrtc-direct/certhash/'))).toBe(true)
    await befriend(alice, bob)
    const { id } = await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'over a data channel' })
    await waitFor(() => statusesOf(bob, id).includes('delivered'), 'delivered over WebRTC-direct')
    expect((await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).map(m => m.text)).toEqual(['over a data channel'])
  })

  it('refuses to send to someone who is not a contact', async () => {
    const alice = (await peer('Alice')).current
    const bob = (await peer('Bob')).current
    await expect(alice.hearth.api['messages.send']({ to: bob.hearth.peerId, text: 'hello?' })).rejects.toMatchObject({ code: 'NOT_A_CONTACT' })
    expect(await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).toEqual([])
  })
})

describe('the outbox', () => {
  it('keeps messages for an offline contact across restarts of both sides, then delivers each once, in order', async () => {
    const a = await peer('Alice')
    const b = await peer('Bob')
    await befriend(a.current, b.current)
    const bobId = b.current.hearth.peerId
    await b.current.hearth.close()

    const sent: string[] = []
    for (let i = 0; i < 20; i++) sent.push((await a.current.hearth.api['messages.send']({ to: bobId, text: `while away ${i}` })).id)
    const pending = await a.current.hearth.api['messages.list']({ with: bobId })
    expect(pending.every(m => m.status === 'pending')).toBe(true)

    a.current = await restartPeer(a.current)
    expect((await a.current.hearth.api['messages.list']({ with: bobId })).map(m => m.id)).toEqual(sent)
    b.current = await restartPeer(b.current)

    await waitFor(async () => (await b.current.hearth.api['messages.list']({ with: a.current.hearth.peerId })).length === 20, 'delivery after restart', 30_000)
    await waitFor(async () => (await a.current.hearth.api['messages.list']({ with: bobId })).every(m => m.status === 'delivered'), 'delivered statuses')
    const got = await allMessages(b.current, a.current.hearth.peerId, 200)
    expect(got.map(m => m.id)).toEqual(sent)
    expect(b.current.events.filter(e => e.name === 'message.received')).toHaveLength(20)
  })
})
