/**
 * kill -9 in the middle of a burst, on either side: every message that
 * `messages.send` accepted arrives exactly once, in order, after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { allMessages, deferrals, freePort, hearthPeer, type TestPeer } from '../fixtures/peers.js'
import { RpcPeer } from '../fixtures/rpc-peer.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const BURST = 4000
const defer = deferrals(afterEach)

async function child (dataDir: string, port: number, name: string): Promise<RpcPeer> {
  const p = await RpcPeer.spawn({ dataDir, name, listen: [`/ip4/127.0.0.1/tcp/${port}`] })
  defer(async () => {
    if (p.child.exitCode == null && p.child.signalCode == null) p.kill()
    await p.exited
  })
  return p
}

async function befriendChild (childPeer: RpcPeer, local: TestPeer): Promise<void> {
  const { code } = await childPeer.call<{ code: string }>('invite.create')
  await local.hearth.api['invite.accept']({ code })
  await waitFor(async () => (await local.hearth.api['contacts.list']({}))[0]?.online === true, 'the child online')
}

describe('kill -9 mid-burst', () => {
  it('of the sender: every accepted message arrives exactly once after it restarts', async () => {
    const dir = await tempDir()
    defer(dir.cleanup)
    const port = await freePort()
    let sender = await child(dir.path, port, 'Sender')
    const receiver = await hearthPeer(defer, 'Receiver')
    await befriendChild(sender, receiver)
    const to = receiver.hearth.peerId

    const accepted = new Map<number, string>()
    const calls = Array.from({ length: BURST }, async (_, i) => {
      const r = await sender.call<{ id: string }>('messages.send', { to, text: `burst ${i}` })
      accepted.set(i, r.id)
    })
    await waitFor(() => accepted.size >= BURST / 20, 'the first part of the burst accepted', 15_000, 1)
    sender.kill('SIGKILL')
    await Promise.allSettled(calls)
    expect(accepted.size).toBeLessThan(BURST)
    const acceptedAtKill = new Map(accepted)

    sender = await child(dir.path, port, 'Sender')
    await waitFor(async () => {
      const have = new Set((await allMessages(receiver, sender.ready.peerId)).map(m => m.id))
      return [...acceptedAtKill.values()].every(id => have.has(id))
    }, 'every accepted message at the receiver', 60_000)

    const got = await allMessages(receiver, sender.ready.peerId)
    const ids = got.map(m => m.id)
    expect(new Set(ids).size).toBe(ids.length)
    const indexes = got.map(m => Number(m.text.split(' ')[1]))
    expect(indexes).toEqual([...indexes].sort((x, y) => x - y))
    expect(new Set(indexes).size).toBe(indexes.length)
    const received = receiver.events.filter(e => e.name === 'message.received').map(e => (e.payload as { id: string }).id)
    expect(new Set(received).size).toBe(received.length)
    expect(await sender.end()).toEqual({ code: 0, signal: null })
  })

  it('of the receiver: it gets every message exactly once, in order, after it restarts', async () => {
    const dir = await tempDir()
    defer(dir.cleanup)
    const port = await freePort()
    let receiver = await child(dir.path, port, 'Receiver')
    const sender = await hearthPeer(defer, 'Sender')
    await befriendChild(receiver, sender)
    const to = receiver.ready.peerId

    const sent = (await Promise.all(Array.from({ length: BURST }, async (_, i) => sender.hearth.api['messages.send']({ to, text: `burst ${i}` })))).map(r => r.id)
    const receivedSoFar = (): number => receiver.notifications.filter(n => n.method === 'message.received').length
    await waitFor(() => receivedSoFar() >= BURST / 10, 'part of the burst received', 15_000, 1)
    receiver.kill('SIGKILL')
    await receiver.exited
    expect(receivedSoFar()).toBeLessThan(BURST)

    receiver = await child(dir.path, port, 'Receiver')
    await waitFor(async () => (await receiver.conversation(sender.hearth.peerId)).length >= BURST, 'the whole burst', 60_000)
    const got = await receiver.conversation(sender.hearth.peerId)
    expect(got.map(m => m.id)).toEqual(sent)
    await waitFor(async () => (await allMessages(sender, to)).every(m => m.status === 'delivered'), 'delivered statuses at the sender', 30_000)
    expect(await receiver.end()).toEqual({ code: 0, signal: null })
  })
})
