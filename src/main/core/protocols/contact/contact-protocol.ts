/**
 * /hearth/contact/1.0.0: how two peers become contacts. One hello, one
 * reply, then the stream closes.
 *
 * - redeem: "I hold your invite code" (the secret proves it). The inviter
 *   pins the redeemer; the redeemer pins the inviter on an OK reply.
 * - request: a nearby stranger asks to become a contact. At most one
 *   pending request per peer, a global rate limit, and a cap on how many
 *   wait; none of it ever reaches the message store.
 * - accept: the answer to our own earlier request.
 *
 * Pinning is by peer id, which is the Ed25519 public key: Noise has already
 * proved that the remote holds its private key.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import { displayNameSchema, type Events } from '../../../../shared/api.js'
import type { ContactBook } from '../../contact-book.js'
import type { Emitter } from '../../emitter.js'
import { HearthError } from '../../errors.js'
import { createLog } from '../../log.js'
import type { HearthNode } from '../../node/create-node.js'
import { isLanMultiaddr } from '../../node/lan.js'
import {
  deleteIncomingRequest,
  deleteOutgoingRequest,
  getOutgoingRequest,
  listIncomingRequests,
  putIncomingRequest
} from '../../store/contacts.js'
import { getInvite, putInvite } from '../../store/invites.js'
import type { ContactRecord } from '../../store/records.js'
import type { Store } from '../../store/store.js'
import { Mutex } from '../../mutex.js'
import { TokenBucket } from '../../token-bucket.js'
import {
  CONTACT_PROTOCOL,
  CONTACT_TIMEOUT_MS,
  DECLINE_COOLDOWN_MS,
  MAX_CONTACT_FRAME_BYTES,
  MAX_INBOUND_STREAMS,
  MAX_OUTBOUND_STREAMS,
  MAX_PENDING_REQUESTS,
  REDEEM_BURST,
  REDEEM_REFILL_MS,
  REQUEST_BURST,
  REQUEST_REFILL_MS
} from './constants.js'
import { protobufStream } from '../frames.js'
import { ContactHello, ContactReply } from './pb/contact.js'

const log = createLog('contact')
const Status = ContactReply.Status

export interface ContactProtocolDeps {
  node: HearthNode
  store: Store
  contacts: ContactBook
  events: Emitter<Events>
  /** Our current display name, sent only to the peer in the exchange. */
  myName: () => string
  /** LAN addresses we know for a peer (nearby table, what it announced on connecting), to remember with it. */
  addressesOf: (peerId: string) => Promise<string[]>
  /** Turns a stored contact into what the API shows. */
  present: (contact: ContactRecord) => Events['contact.added']['contact']
  now: () => number
}

export function newContact (peerId: string, name: string, via: ContactRecord['via'], addresses: string[], now: number): ContactRecord {
  return { peerId, name, verified: false, addedAt: now, addresses: addresses.slice(0, 8), via }
}

function cleanName (name: string): string | undefined {
  const parsed = displayNameSchema.safeParse(name)
  return parsed.success ? parsed.data : undefined
}

export class ContactProtocol {
  readonly #deps: ContactProtocolDeps
  readonly #requests: TokenBucket
  readonly #redeems: TokenBucket
  readonly #lock = new Mutex()

  constructor (deps: ContactProtocolDeps) {
    this.#deps = deps
    this.#requests = new TokenBucket(REQUEST_BURST, REQUEST_REFILL_MS, deps.now)
    this.#redeems = new TokenBucket(REDEEM_BURST, REDEEM_REFILL_MS, deps.now)
  }

  async start (): Promise<void> {
    await this.#deps.node.handle(CONTACT_PROTOCOL, (stream, connection) => {
      this.handle(stream, connection).catch(err => {
        log('contact exchange failed: %e', err)
        stream.abort(err as Error)
      })
    }, { maxInboundStreams: MAX_INBOUND_STREAMS, maxOutboundStreams: MAX_OUTBOUND_STREAMS })
  }

  async stop (): Promise<void> {
    await this.#deps.node.unhandle(CONTACT_PROTOCOL)
  }

  // -------------------------------------------------------------- answering

  private async handle (stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.timeout(CONTACT_TIMEOUT_MS)
    const pb = protobufStream(stream, MAX_CONTACT_FRAME_BYTES)
    const hello = await pb.read(ContactHello, { signal })
    const reply = await this.answer(hello, connection.remotePeer)
    await pb.write(reply, ContactReply, { signal })
    await stream.close({ signal })
  }

  /** Hellos are answered one at a time, so two peers cannot both redeem a one-time invite. */
  private async answer (hello: ContactHello, remote: PeerId): Promise<ContactReply> {
    return this.#lock.run(async () => this.answerOne(hello, remote))
  }

  private async answerOne (hello: ContactHello, remote: PeerId): Promise<ContactReply> {
    const refuse = (status: ContactReply.Status): ContactReply => ({ status, name: '' })
    if (remote.type !== 'Ed25519') return refuse(Status.REJECTED)
    const peerId = remote.toString()
    const { store, contacts, events, now } = this.#deps

    if (hello.redeem != null) {
      if (!this.#redeems.take()) return refuse(Status.RATE_LIMITED)
      const name = cleanName(hello.redeem.name)
      if (name == null || hello.redeem.secret.length !== 16) return refuse(Status.INVALID)
      const invite = await getInvite(store, hello.redeem.secret)
      if (invite == null) return refuse(Status.INVALID)
      if (invite.expiresAt <= now()) return refuse(Status.EXPIRED)
      // Used by someone else: refused. Used by this same peer: its answer was
      // lost, so the exchange is repeated rather than left one-sided.
      if (invite.usedAt != null && invite.usedBy !== peerId) return refuse(Status.USED)
      const existing = contacts.get(peerId)
      const contact = existing != null ? { ...existing, name } : newContact(peerId, name, 'invite', await this.#deps.addressesOf(peerId), now())
      await contacts.save(contact, [
        putInvite(store, hello.redeem.secret, { ...invite, usedAt: invite.usedAt ?? now(), usedBy: peerId }),
        deleteIncomingRequest(store, peerId),
        deleteOutgoingRequest(store, peerId)
      ])
      if (existing == null) events.emit('contact.added', { contact: this.#deps.present(contact) })
      return { status: Status.OK, name: this.#deps.myName() }
    }

    if (hello.request != null) {
      const name = cleanName(hello.request.name)
      if (name == null) return refuse(Status.INVALID)
      // We hold it already; it asks because it lost us or never heard back.
      if (contacts.has(peerId)) return { status: Status.ACCEPTED, name: this.#deps.myName() }
      const pending = await listIncomingRequests(store)
      const previous = pending.find(r => r.peerId === peerId)
      if (previous?.declinedAt != null && now() - previous.declinedAt < DECLINE_COOLDOWN_MS) return refuse(Status.REJECTED)
      if (previous != null && previous.declinedAt == null) return { status: Status.OK, name: '' }
      if (pending.filter(r => r.declinedAt == null).length >= MAX_PENDING_REQUESTS || !this.#requests.take()) return refuse(Status.RATE_LIMITED)
      await store.batch([putIncomingRequest(store, { peerId, name, receivedAt: now(), addresses: (await this.#deps.addressesOf(peerId)).slice(0, 8) })])
      const resembles = contacts.resembling(name, peerId)
      events.emit('contact.request', { peerId, name, ...(resembles != null ? { resembles } : {}) })
      return { status: Status.OK, name: '' }
    }

    if (hello.accept != null) {
      const name = cleanName(hello.accept.name)
      if (name == null) return refuse(Status.INVALID)
      // Accepted before, and our answer was lost: answer again.
      if (contacts.has(peerId)) return { status: Status.OK, name: this.#deps.myName() }
      if (await getOutgoingRequest(store, peerId) == null) return refuse(Status.NOT_REQUESTED)
      const contact = newContact(peerId, name, 'request', await this.#deps.addressesOf(peerId), now())
      await contacts.save(contact, [deleteOutgoingRequest(store, peerId), deleteIncomingRequest(store, peerId)])
      events.emit('contact.added', { contact: this.#deps.present(contact) })
      return { status: Status.OK, name: this.#deps.myName() }
    }

    return refuse(Status.INVALID)
  }

  // -------------------------------------------------------------- asking

  /**
   * Sends one hello to a peer and returns its reply. Dials the given LAN
   * addresses (each bound to the peer id, so Noise checks who answers), or
   * an existing connection.
   */
  async call (peerId: PeerId, addresses: Array<string | Multiaddr>, hello: ContactHello): Promise<ContactReply> {
    const signal = AbortSignal.timeout(CONTACT_TIMEOUT_MS)
    const targets = addresses
      .map(a => typeof a === 'string' ? multiaddr(a) : a)
      .filter(isLanMultiaddr)
      .map(a => a.getComponents().some(c => c.name === 'p2p') ? a : a.encapsulate(`/p2p/${peerId.toString()}`))
    let stream: Stream
    try {
      if (this.#deps.node.getConnections(peerId).length === 0 && targets.length > 0) {
        await this.#deps.node.dial(targets, { signal })
      }
      stream = await this.#deps.node.dialProtocol(peerId, CONTACT_PROTOCOL, { signal })
    } catch (err) {
      throw new HearthError('UNREACHABLE', 'could not reach that peer on the local network; is it running and nearby?', { cause: err })
    }
    try {
      const pb = protobufStream(stream, MAX_CONTACT_FRAME_BYTES)
      await pb.write(hello, ContactHello, { signal })
      const reply = await pb.read(ContactReply, { signal })
      await stream.close({ signal })
      return reply
    } catch (err) {
      stream.abort(err as Error)
      throw new HearthError('UNREACHABLE', 'the peer did not complete the exchange', { cause: err })
    }
  }
}
