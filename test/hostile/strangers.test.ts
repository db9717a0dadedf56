/**
 * Peers that are not contacts, or that misbehave: their chat streams are
 * refused and reset, their bytes are bounded, nothing of theirs reaches the
 * store, and the peer keeps serving its real contacts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { lpStream, pbStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { Stream } from '@libp2p/interface'
import { CHAT_PROTOCOL, MAX_FRAME_BYTES } from '../../src/main/core/protocols/chat/constants.js'
import { ChatFrame } from '../../src/main/core/protocols/chat/pb/chat.js'
import { CONTACT_PROTOCOL } from '../../src/main/core/protocols/contact/constants.js'
import { decodeInvite } from '../../src/main/core/protocols/contact/invite-code.js'
import { ContactHello, ContactReply } from '../../src/main/core/protocols/contact/pb/contact.js'
import { befriend, openPeer, type TestPeer } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function peer (name: string): Promise<TestPeer> {
  const dir = await tempDir()
  const p = await openPeer(dir.path, name)
  cleanups.push(dir.cleanup, async () => p.hearth.close())
  return p
}

async function rawNode (): Promise<Libp2p> {
  const node = await createLibp2p({ addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()] })
  cleanups.push(async () => node.stop())
  return node
}

function addr (p: TestPeer): ReturnType<typeof multiaddr> {
  return multiaddr(`/ip4/127.0.0.1/tcp/${p.port}/p2p/${p.hearth.peerId}`)
}

/** Resolves once the stream is closed, with how: 'reset' when the other side reset it. */
async function closed (stream: Stream): Promise<string> {
  if (stream.status === 'open') await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
  return stream.status
}

const message = (text: string): Uint8Array => ChatFrame.encode({ message: { id: crypto.getRandomValues(new Uint8Array(16)), hlc: BigInt(Date.now()) << 16n, text } })

describe('a stranger', () => {
  it('has its chat stream reset: nothing stored, nothing shown', async () => {
    const alice = await peer('Alice')
    const mallory = await rawNode()
    const stream = await mallory.dialProtocol(addr(alice), CHAT_PROTOCOL)
    const end = closed(stream)
    const lp = lpStream(stream)
    await lp.write(message('let me in')).catch(() => {})
    expect(await end).toBe('reset')
    await expect(lp.read()).rejects.toThrow()
    expect(await alice.hearth.api['messages.list']({ with: mallory.peerId.toString() })).toEqual([])
    expect(alice.events.filter(e => e.name === 'message.received')).toEqual([])
  })

  it('cannot push more than a bounded number of bytes at us', async () => {
    const alice = await peer('Alice')
    const mallory = await rawNode()
    const stream = await mallory.dialProtocol(addr(alice), CHAT_PROTOCOL)
    const chunk = new Uint8Array(16 * 1024)
    let sent = 0
    let failure: unknown
    try {
      while (sent < 8 * 1024 * 1024) {
        sent += chunk.length
        if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(5_000) })
      }
    } catch (err) {
      failure = err
    }
    expect(failure).toBeDefined()
    expect(sent).toBeLessThan(1024 * 1024)
  })
})

describe('a contact that misbehaves', () => {
  /** A raw node that redeems Alice's invite, so it is her contact but speaks the protocol by hand. */
  async function rogueContact (alice: TestPeer): Promise<Libp2p> {
    const rogue = await rawNode()
    const { code } = await alice.hearth.api['invite.create']({})
    const invite = decodeInvite(code)
    const stream = await rogue.dialProtocol(addr(alice), CONTACT_PROTOCOL)
    const pb = pbStream(stream)
    await pb.write({ redeem: { secret: invite.secret, name: 'Rogue' } }, ContactHello)
    expect((await pb.read(ContactReply)).status).toBe(ContactReply.Status.OK)
    await stream.close()
    return rogue
  }

  it('has oversized, garbage and acks-the-wrong-way frames reset, and is still served afterwards', async () => {
    const alice = await peer('Alice')
    const bob = await peer('Bob')
    await befriend(alice, bob)
    const rogue = await rogueContact(alice)

    const attacks: Array<(lp: ReturnType<typeof lpStream>, s: Stream) => Promise<void>> = [
      async (lp) => { await lp.write(new Uint8Array(MAX_FRAME_BYTES + 1)) },
      async (lp) => { await lp.write(crypto.getRandomValues(new Uint8Array(300))) },
      async (lp) => { await lp.write(ChatFrame.encode({ ack: { ids: [new Uint8Array(16)] } })) },
      async (_lp, s) => { s.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])) }
    ]
    for (const attack of attacks) {
      const stream = await rogue.dialProtocol(addr(alice), CHAT_PROTOCOL)
      const end = closed(stream)
      await attack(lpStream(stream), stream).catch(() => {})
      expect(await end).toBe('reset')
    }

    // A truncated frame followed by a close stores nothing.
    const truncated = await rogue.dialProtocol(addr(alice), CHAT_PROTOCOL)
    truncated.send(new Uint8Array([100, 1, 2, 3]))
    await truncated.close()
    expect(await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).toEqual([])

    // The same contact, behaving, is stored and acknowledged.
    const good = await rogue.dialProtocol(addr(alice), CHAT_PROTOCOL)
    const lp = lpStream(good)
    await lp.write(message('sorry about that'))
    const ack = ChatFrame.decode(await lp.read())
    expect(ack.ack?.ids).toHaveLength(1)
    expect((await alice.hearth.api['messages.list']({ with: rogue.peerId.toString() })).map(m => m.text)).toEqual(['sorry about that'])

    // And Bob's chat never stopped working.
    await bob.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'still here' })
    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bob.hearth.peerId })).length === 1, 'bob\'s message')
  })
})
