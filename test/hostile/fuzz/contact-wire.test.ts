/**
 * The contact protocol's decoders, fuzzed where the network reaches them:
 * through ContactProtocol itself, over in-memory libp2p streams.
 *
 * - A stranger opens /hearth/contact/1.0.0 and sends a hello that is
 *   random, a mutated valid hello, or not even a well-formed frame. The
 *   answer is a reply with a known status, or a reset stream; nothing is
 *   thrown past the handler; the stranger never becomes a contact (no
 *   invite exists and nothing was asked of it), and requests stay bounded.
 * - We call a peer that answers with such bytes. call() resolves to a
 *   reply with a known status, or rejects with UNREACHABLE.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { lpStream, streamPair } from '@libp2p/utils'
import type { PeerId, Stream } from '@libp2p/interface'
import { ContactBook } from '../../../src/main/core/contact-book.js'
import { Emitter } from '../../../src/main/core/emitter.js'
import { HearthError } from '../../../src/main/core/errors.js'
import type { HearthNode } from '../../../src/main/core/node/create-node.js'
import { MAX_CONTACT_FRAME_BYTES, MAX_PENDING_REQUESTS } from '../../../src/main/core/protocols/contact/constants.js'
import { ContactProtocol } from '../../../src/main/core/protocols/contact/contact-protocol.js'
import { ContactHello, ContactReply } from '../../../src/main/core/protocols/contact/pb/contact.js'
import { listIncomingRequests } from '../../../src/main/core/store/contacts.js'
import { Store } from '../../../src/main/core/store/store.js'
import type { Events } from '../../../src/shared/api.js'
import { tempDir } from '../../fixtures/tmp.js'
import { fuzz, hexCodec, type InputCodec } from './harness.js'
import { hostileBytes, wireMessage } from './mutate.js'

type Handler = (stream: Stream, connection: { remotePeer: PeerId }) => void

let store: Store
let contacts: ContactBook
let cleanup: () => Promise<void>
let handler: Handler | undefined
/** The remote end of the next stream we dial, for the test to play the peer on. */
let answer: ((stream: Stream) => Promise<void>) | undefined
let protocol: ContactProtocol
let ed25519: PeerId
let secp256k1: PeerId

beforeAll(async () => {
  const tmp = await tempDir('hearth-fuzz-contact-')
  cleanup = tmp.cleanup
  store = (await Store.open({ dataDir: join(tmp.path, 'p'), passphrase: 'correct horse battery', kdf: { logN: 10, r: 8, p: 1 } })).store
  contacts = await ContactBook.open(store)
  ed25519 = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  secp256k1 = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))
  const node = {
    handle: async (_p: string, h: Handler) => { handler = h },
    unhandle: async () => { handler = undefined },
    getConnections: () => [{ status: 'open' }],
    dial: async () => {},
    dialProtocol: async () => {
      const [outbound, inbound] = await streamPair({ delay: 0 })
      const play = answer
      if (play != null) void play(inbound).catch(() => {})
      return outbound
    }
  }
  protocol = new ContactProtocol({
    node: node as unknown as HearthNode,
    store,
    contacts,
    events: new Emitter<Events>(),
    myName: () => 'Alice',
    addressesOf: async () => [],
    present: c => ({ peerId: c.peerId, name: c.name, online: false, verified: c.verified, addedAt: c.addedAt }),
    now: Date.now
  })
  await protocol.start()
})

afterAll(async () => {
  await protocol.stop()
  await store.close()
  await cleanup()
})

const validHello = fc.oneof(
  fc.record({ secret: fc.uint8Array({ minLength: 16, maxLength: 16 }), name: fc.string({ maxLength: 20 }) }).map(redeem => ContactHello.encode({ redeem })),
  fc.record({ name: fc.string({ maxLength: 70 }) }).map(request => ContactHello.encode({ request })),
  fc.record({ name: fc.string({ maxLength: 20 }) }).map(accept => ContactHello.encode({ accept })),
  wireMessage
)
const validReply = fc.record({ status: fc.constantFrom(...Object.values(ContactReply.Status).filter((s): s is ContactReply.Status => typeof s === 'string')), name: fc.string({ maxLength: 70 }) })
  .map(r => ContactReply.encode(r))

/** Bytes for the wire: a frame around fuzzed content, or fuzzed bytes with no framing at all. */
interface WireInput { framed: boolean, bytes: Uint8Array, secp: boolean }

const wireCodec: InputCodec<WireInput> = {
  toJson: ({ framed, bytes, secp }) => ({ framed, secp, bytes: hexCodec.toJson(bytes) }),
  fromJson: json => {
    const j = json as Partial<Record<keyof WireInput, unknown>>
    if (typeof j.framed !== 'boolean' || typeof j.secp !== 'boolean') throw new Error('malformed contact-wire regression')
    return { framed: j.framed, secp: j.secp, bytes: hexCodec.fromJson(j.bytes) }
  }
}

const wireInput = (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<WireInput> => fc.record({
  framed: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  bytes: hostileBytes(valid).map(b => b.subarray(0, 2 * MAX_CONTACT_FRAME_BYTES)),
  secp: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })
})

/** Sends the input down a stream: as one length-prefixed frame, or raw. Then closes our writing end. */
async function put (stream: Stream, { framed, bytes }: WireInput): Promise<void> {
  if (framed) await lpStream(stream, { maxDataLength: 4 * MAX_CONTACT_FRAME_BYTES }).write(bytes)
  else if (bytes.length > 0) stream.send(bytes)
  await stream.close().catch(() => {})
}

const STATUSES = new Set<unknown>(Object.values(ContactReply.Status))

describe('ContactProtocol under a hostile stranger', () => {
  it('answers any hello with a known status or a reset, and never adds a stranger', async () => {
    await fuzz('contact-hello', wireInput(validHello), wireCodec, async (input) => {
      if (handler == null) throw new Error('the protocol is not handling streams')
      const [outbound, inbound] = await streamPair({ delay: 0 })
      handler(inbound, { remotePeer: input.secp ? secp256k1 : ed25519 })
      await put(outbound, input)
      let raw: Awaited<ReturnType<ReturnType<typeof lpStream>['read']>> | undefined
      try {
        raw = await lpStream(outbound, { maxDataLength: MAX_CONTACT_FRAME_BYTES }).read({ signal: AbortSignal.timeout(5_000) })
      } catch (err) {
        // No reply: the stream was reset or closed, which is an answer too. A hang is not.
        expect((err as Error).name).not.toBe('TimeoutError')
      }
      // A reply, if any, decodes, with a known status (checked outside the catch, so a wrong one fails).
      if (raw != null) {
        const reply = ContactReply.decode(raw)
        expect(STATUSES.has(reply.status)).toBe(true)
        if (input.secp) expect(reply.status).toBe(ContactReply.Status.REJECTED)
      }
      expect(contacts.list()).toEqual([])
      expect((await listIncomingRequests(store)).length).toBeLessThanOrEqual(MAX_PENDING_REQUESTS)
    }, { runs: 400, timeoutMs: 10_000, maxMsPerInput: 8_000 })
  })
})

describe('ContactProtocol.call against a hostile peer', () => {
  it('resolves to a reply with a known status, or rejects with UNREACHABLE', async () => {
    await fuzz('contact-reply', wireInput(validReply), wireCodec, async (input) => {
      answer = async (stream) => {
        // Read the hello (or not), then answer with the fuzzed bytes.
        await lpStream(stream, { maxDataLength: MAX_CONTACT_FRAME_BYTES }).read({ signal: AbortSignal.timeout(2_000) }).catch(() => {})
        await put(stream, input)
      }
      try {
        const reply = await protocol.call(ed25519, [], { request: { name: 'Alice' } })
        expect(STATUSES.has(reply.status)).toBe(true)
        expect(typeof reply.name).toBe('string')
      } catch (err) {
        expect(err).toBeInstanceOf(HearthError)
        expect((err as HearthError).code).toBe('UNREACHABLE')
      } finally {
        answer = undefined
      }
    }, { runs: 300, timeoutMs: 10_000, maxMsPerInput: 8_000 })
  })
})
