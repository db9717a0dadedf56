/**
 * Hearth's core: one unlocked profile, its store, its libp2p node and the
 * protocols, behind the API contract. Plain Node; every front end (desktop
 * IPC, JSON-RPC, test bridge) drives the same object.
 */
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, CODE_P2P } from '@multiformats/multiaddr'
import type { PeerId } from '@libp2p/interface'
import { displayNameSchema, isGroupId, type ApiHandlers, type Contact, type ContactRequest, type ConversationSummary, type Events, type Identity, type Message } from '../../shared/api.js'
import { LIMITS } from '../../shared/limits.js'
import { toHex } from './bytes.js'
import { HybridClock } from './clock.js'
import { ContactBook } from './contact-book.js'
import { ContactLinks } from './contact-links.js'
import { Expiry } from './disappearing.js'
import { GroupBook } from './groups/group-book.js'
import { GroupProtocol } from './groups/group-protocol.js'
import { MessageBook } from './message-book.js'
import { randomBytes, safetyNumber, type ScryptParams } from './crypto/index.js'
import { Emitter } from './emitter.js'
import { HearthError } from './errors.js'
import { createLog } from './log.js'
import { createNode, type HearthNode } from './node/create-node.js'
import { isLanMultiaddr } from './node/lan.js'
import type { NearbyInit } from './node/nearby.js'
import { ChatProtocol } from './protocols/chat/chat-protocol.js'
import { ContactProtocol, newContact } from './protocols/contact/contact-protocol.js'
import { INVITE_SECRET_BYTES, INVITE_TTL_MS, decodeInvite, encodeInvite } from './protocols/contact/invite-code.js'
import { ContactReply } from './protocols/contact/pb/contact.js'
import {
  deleteIncomingRequest,
  deleteOutgoingRequest,
  listIncomingRequests,
  purgeStaleRequests,
  putIncomingRequest,
  putOutgoingRequest
} from './store/contacts.js'
import { purgeExpiredInvites, putInvite } from './store/invites.js'
import { countUnread, latestClock, listMessages } from './store/messages.js'
import { Outbox } from './store/outbox.js'
import { loadOrCreateProfile, loadProfile, loadSettings, saveName, saveSettings, type Profile } from './store/profile.js'
import type { ContactRecord, MessageRecord, SettingsRecord } from './store/records.js'
import { Store } from './store/store.js'

const log = createLog('core')

export interface HearthOptions {
  dataDir: string
  passphrase: string
  /** The display name for a new profile; on an existing one, a different name replaces the old. */
  name?: string
  /** Multiaddrs to listen on (default: TCP and WebRTC-direct on all interfaces, random ports). */
  listen?: string[]
  /** mDNS discovery (default on). */
  mdns?: boolean | NearbyInit
  /** KDF cost for a new profile or passphrase change (tests lower it). */
  kdf?: ScryptParams
  pingIntervalMs?: number
  /** The clock, for tests. */
  now?: () => number
}

export const DEFAULT_NAME = 'Anonymous'

/** Methods about the profile's lifecycle belong to the host; an open Hearth serves the rest. */
export type LifecycleMethod = 'profile.status' | 'profile.create' | 'profile.unlock' | 'profile.lock' | 'profile.forgetDevice' | 'profile.wipe'
export type CoreHandlers = Omit<ApiHandlers, LifecycleMethod>
const MAINTENANCE_MS = 60 * 60 * 1000
/** The nearby list is pushed to the UI at most this often. */
const NEARBY_EVENT_MS = 1000

export class Hearth {
  readonly events: Emitter<Events>
  readonly api: CoreHandlers
  readonly created: boolean

  readonly #options: HearthOptions
  readonly #store: Store
  readonly #profile: Profile
  #settings: SettingsRecord
  readonly #contacts: ContactBook
  readonly #outbox: Outbox
  readonly #node: HearthNode
  readonly #clock: HybridClock
  readonly #book: MessageBook
  readonly #expiry: Expiry
  readonly #chat: ChatProtocol
  readonly #groups: GroupBook
  readonly #groupProtocol: GroupProtocol
  readonly #contactProtocol: ContactProtocol
  readonly #links: ContactLinks
  readonly #now: () => number
  #maintenance?: ReturnType<typeof setInterval>
  #stopNearbyEvents?: () => void
  #closing?: Promise<void>

  private constructor (init: {
    options: HearthOptions
    store: Store
    created: boolean
    profile: Profile
    settings: SettingsRecord
    contacts: ContactBook
    outbox: Outbox
    node: HearthNode
    events: Emitter<Events>
    clock: HybridClock
    book: MessageBook
    groups: GroupBook
    expiry: Expiry
  }) {
    this.events = init.events
    this.#book = init.book
    this.#groups = init.groups
    this.#expiry = init.expiry
    this.#options = init.options
    this.#store = init.store
    this.created = init.created
    this.#profile = init.profile
    this.#settings = init.settings
    this.#contacts = init.contacts
    this.#outbox = init.outbox
    this.#node = init.node
    this.#now = init.options.now ?? Date.now
    this.#clock = init.clock
    this.#chat = new ChatProtocol({
      node: this.#node,
      outbox: this.#outbox,
      contacts: this.#contacts,
      book: this.#book,
      events: this.events
    })
    this.#groupProtocol = new GroupProtocol({ node: this.#node, book: this.#groups, isContact: (peerId) => this.#contacts.has(peerId) })
    this.#contactProtocol = new ContactProtocol({
      node: this.#node,
      store: this.#store,
      contacts: this.#contacts,
      events: this.events,
      myName: () => this.#profile.name,
      addressesOf: async (peerId) => this.knownAddresses(peerId),
      present: (c) => this.present(c),
      now: this.#now
    })
    this.#links = new ContactLinks(this.#node, this.#contacts, this.#now, (peerId, addresses) => {
      const contact = this.#contacts.get(peerId)
      if (contact == null) return
      log('a contact\'s address answered with another identity')
      this.events.emit('contact.identityMismatch', { peerId, name: contact.name, address: addresses[0] ?? '' })
    }, () => this.#groups.peers())
    this.api = this.handlers()
  }

  /** Unlocks (or creates) the profile in `dataDir` and brings the node online. */
  static async open (options: HearthOptions): Promise<Hearth> {
    const { store, created } = await Store.open({ dataDir: options.dataDir, passphrase: options.passphrase, kdf: options.kdf })
    try {
      const name = options.name == null ? undefined : displayNameSchema.safeParse(options.name)
      if (name != null && !name.success) throw new HearthError('INVALID_PARAMS', `the name is not valid: ${name.error.issues[0]?.message ?? 'invalid'}`)
      let profile = await loadProfile(store)
      profile ??= await loadOrCreateProfile(store, name?.data ?? DEFAULT_NAME)
      const events = new Emitter<Events>(err => { log.error('event listener failed - %e', err) })
      const now = options.now ?? Date.now
      const clock = new HybridClock(now)
      const outbox = await Outbox.open(store)
      const me = profile
      const selfId = peerIdFromPrivateKey(me.privateKey).toString()
      const contacts = await ContactBook.open(store, () => ({ peerId: selfId, name: me.name }))
      // Messages that expired while Hearth was closed go before anything is shown.
      await store.eraseEmptyEpochs()
      const expiry = new Expiry(store, outbox, now, (gone) => { for (const g of gone) events.emit('message.expired', g) })
      await expiry.run()
      let kick: (peerId: string) => void = () => {}
      const book = await MessageBook.open({
        store,
        outbox,
        clock,
        events,
        expiry,
        selfId,
        now,
        kick: (peerId) => { kick(peerId) }
      })
      const opened: { hearth?: Hearth, groups?: GroupBook } = {}
      const node = await createNode({
        privateKey: profile.privateKey,
        listen: options.listen,
        mdns: options.mdns,
        // Contacts and fellow group members are not strangers: they are never
        // refused for want of room, nor closed for idling.
        trusted: (peerId) => contacts.has(peerId) || opened.groups?.knows(peerId) === true,
        pingIntervalMs: options.pingIntervalMs
      })
      const settings = await loadSettings(store)
      const groups = await GroupBook.open({
        store,
        clock,
        events,
        expiry,
        book,
        contacts,
        privateKey: profile.privateKey,
        selfId,
        myName: () => profile.name,
        readReceipts: () => (opened.hearth != null ? opened.hearth.#settings : settings).readReceipts,
        online: (peerId) => node.getConnections(peerIdFromString(peerId)).length > 0,
        now
      })
      opened.groups = groups
      const hearth = new Hearth({
        options,
        store,
        created,
        profile,
        settings,
        contacts,
        outbox,
        node,
        events,
        clock,
        book,
        groups,
        expiry
      })
      opened.hearth = hearth
      kick = (peerId) => { hearth.#chat.kick(peerId) }
      await hearth.start()
      // A new name given at start reaches contacts like any other rename.
      if (name != null && name.data !== profile.name) await hearth.api['identity.setName']({ name: name.data })
      return hearth
    } catch (err) {
      await store.close()
      throw err
    }
  }

  get peerId (): string {
    return this.#node.peerId.toString()
  }

  get addresses (): string[] {
    return this.#node.getMultiaddrs().map(a => a.toString())
  }

  private async start (): Promise<void> {
    await this.#chat.start()
    await this.#contactProtocol.start()
    await this.#groupProtocol.start()
    const node = this.#node
    node.addEventListener('peer:connect', (evt) => {
      const peerId = evt.detail.toString()
      this.#groupProtocol.connected(peerId)
      if (!this.#contacts.has(peerId)) return
      this.events.emit('contact.online', { peerId, online: true })
      this.#chat.kick(peerId)
    })
    node.addEventListener('peer:disconnect', (evt) => {
      const peerId = evt.detail.toString()
      this.#groupProtocol.disconnected(peerId)
      if (!this.#contacts.has(peerId)) return
      this.#chat.disconnected(peerId)
      this.events.emit('contact.online', { peerId, online: false })
    })
    node.addEventListener('peer:identify', (evt) => {
      const peerId = evt.detail.peerId.toString()
      const addresses = evt.detail.listenAddrs.filter(isLanMultiaddr).map(a => a.toString())
      this.learnAddresses(peerId, addresses).catch(err => {
        log.error('could not record a contact address - %e', err)
      })
      if (this.#groups.knows(peerId)) {
        this.#groups.noteAddresses(peerId, addresses).catch(err => { log.error('could not record a group member address - %e', err) })
      }
    })
    // New fellow members are dialed at once, not at the next link check.
    this.events.on('group.changed', () => { this.#links.refresh() })
    node.services.nearby.addEventListener('seen', (evt) => { this.#links.seen(evt.detail.peerId) })
    // Announcements can come in floods; the nearby list goes out at most once a second.
    let nearbyTimer: ReturnType<typeof setTimeout> | undefined
    let nearbySent = 0
    const sendNearby = (): void => {
      nearbyTimer = undefined
      nearbySent = this.#now()
      this.events.emit('nearby.changed', { peers: this.nearby() })
    }
    node.services.nearby.addEventListener('change', () => {
      if (nearbyTimer != null) return
      const wait = nearbySent + NEARBY_EVENT_MS - this.#now()
      if (wait <= 0) sendNearby()
      else {
        nearbyTimer = setTimeout(sendNearby, wait)
        nearbyTimer.unref()
      }
    })
    this.#stopNearbyEvents = () => { if (nearbyTimer != null) clearTimeout(nearbyTimer) }
    // The clock resumes after the newest message we hold, so a reply written
    // after a restart still sorts after the message it answers.
    this.#clock.receive(await latestClock(this.#store, [...this.#contacts.list().map(c => c.peerId), ...this.#groups.ids()]))
    await node.start()
    this.#links.start()
    await purgeExpiredInvites(this.#store, this.#now())
    await purgeStaleRequests(this.#store, this.#now())
    this.#maintenance = setInterval(() => {
      purgeExpiredInvites(this.#store, this.#now()).catch(err => { log.error('invite purge failed - %e', err) })
      purgeStaleRequests(this.#store, this.#now()).catch(err => { log.error('request purge failed - %e', err) })
    }, MAINTENANCE_MS)
    this.#maintenance.unref()
  }

  /** Goes offline and closes the store. Safe to call more than once. */
  async close (): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#maintenance != null) clearInterval(this.#maintenance)
      this.#expiry.stop()
      this.#stopNearbyEvents?.()
      this.#links.stop()
      this.#groups.close()
      await this.#groupProtocol.stop().catch(err => { log.error('group stop failed - %e', err) })
      await this.#chat.stop().catch(err => { log.error('chat stop failed - %e', err) })
      await this.#contactProtocol.stop().catch(err => { log.error('contact stop failed - %e', err) })
      try {
        await this.#node.stop()
      } catch (err) {
        log.error('node stop failed - %e', err)
      }
      await this.#store.close()
    })()
    return this.#closing
  }

  // -------------------------------------------------------------- helpers

  private identity (): Identity {
    return { peerId: this.peerId, name: this.#profile.name, addresses: this.addresses }
  }

  private online (peerId: string): boolean {
    return this.#node.getConnections(peerIdFromString(peerId)).length > 0
  }

  private present (c: ContactRecord): Contact {
    const resembles = this.#contacts.resemblance(c)
    return { peerId: c.peerId, name: c.name, online: this.online(c.peerId), verified: c.verified, addedAt: c.addedAt, ...(resembles != null ? { resembles } : {}) }
  }

  /**
   * mDNS answers are unsigned, so anyone can claim a contact's peer id: a
   * contact is listed only while connected (Noise proved it is there), at
   * the addresses it announced itself.
   */
  private nearby (): Array<{ peerId: string, addresses: string[], contact: boolean }> {
    const bare = (a: string): string => multiaddr(a).decapsulateCode(CODE_P2P).toString()
    return this.#node.services.nearby.list().flatMap((e): Array<{ peerId: string, addresses: string[], contact: boolean }> => {
      const contact = this.#contacts.get(e.peerId)
      if (contact == null) return [{ peerId: e.peerId, addresses: e.addresses, contact: false }]
      if (!this.online(e.peerId)) return []
      const own = new Set(contact.addresses.map(bare))
      return [{ peerId: e.peerId, addresses: e.addresses.filter(a => own.has(bare(a))), contact: true }]
    })
  }

  private contactOrThrow (peerId: string): ContactRecord {
    const contact = this.#contacts.get(peerId)
    if (contact == null) throw new HearthError('NOT_A_CONTACT', 'that peer is not one of your contacts')
    return contact
  }

  private ed25519 (peerId: string): PeerId {
    let id: PeerId
    try {
      id = peerIdFromString(peerId)
    } catch (err) {
      throw new HearthError('INVALID_PARAMS', 'invalid params: peerId is not a valid peer id', { cause: err })
    }
    if (id.type !== 'Ed25519') throw new HearthError('INVALID_PARAMS', 'invalid params: peerId is not an Ed25519 identity')
    if (id.equals(this.#node.peerId)) throw new HearthError('INVALID_PARAMS', 'invalid params: peerId is your own')
    return id
  }

  /**
   * A peer's LAN addresses as we know them now: what mDNS shows, and what it
   * announced when it connected (identify puts that in the peer store).
   */
  private async knownAddresses (peerId: string): Promise<string[]> {
    const nearby = this.#node.services.nearby.get(peerId)?.addresses ?? []
    let announced: string[] = []
    try {
      const peer = await this.#node.peerStore.get(peerIdFromString(peerId))
      announced = peer.addresses.map(a => a.multiaddr).filter(isLanMultiaddr).map(a => a.decapsulateCode(CODE_P2P).toString())
    } catch {
      // Not in the peer store: nothing announced yet.
    }
    return [...new Set([...nearby, ...announced])].slice(0, 8)
  }

  /** Where a contact can be reached, for the op that puts them in a group. */
  private async memberAddresses (contact: ContactRecord): Promise<string[]> {
    return [...new Set([...contact.addresses, ...await this.knownAddresses(contact.peerId)])].slice(0, 8)
  }

  /** Records a contact's LAN addresses (`addresses`: LAN ones only), the first 8. */
  private async learnAddresses (peerId: string, addresses: string[]): Promise<void> {
    const lan = addresses.slice(0, 8)
    if (lan.length === 0) return
    await this.#contacts.update(peerId, c => lan.length === c.addresses.length && lan.every((a, i) => a === c.addresses[i]) ? undefined : { ...c, addresses: lan })
  }

  /** Our LAN addresses for an invite, without the /p2p suffix (the code carries the id), TCP first. */
  private inviteAddresses (): ReturnType<typeof multiaddr>[] {
    return this.#node.getMultiaddrs()
      .filter(isLanMultiaddr)
      .map(a => a.decapsulateCode(CODE_P2P))
      .sort((a, b) => Number(a.toString().includes('/webrtc-direct')) - Number(b.toString().includes('/webrtc-direct')))
  }

  private toMessage (r: MessageRecord): Message {
    return {
      id: r.id,
      from: r.from,
      with: r.with,
      text: r.text,
      sentAt: r.sentAt,
      status: r.status,
      outgoing: r.outgoing,
      ...(r.kind === 'system' ? { kind: 'system' as const } : {}),
      ...(r.expiresIn != null ? { expiresIn: r.expiresIn } : {}),
      ...(r.expiresAt != null ? { expiresAt: r.expiresAt } : {}),
      ...(r.editedAt != null ? { editedAt: r.editedAt } : {}),
      ...(r.system != null ? { system: r.system } : {}),
      ...(r.envelope != null && r.outgoing ? this.#groups.shown(r) : {})
    }
  }

  private replyError (status: ContactReply.Status): HearthError {
    switch (status) {
      case ContactReply.Status.INVALID: return new HearthError('INVALID_INVITE', 'the inviter does not recognise this invite code')
      case ContactReply.Status.EXPIRED: return new HearthError('INVITE_EXPIRED', 'this invite code has expired; ask for a new one')
      case ContactReply.Status.USED: return new HearthError('INVITE_USED', 'this invite code has already been used; ask for a new one')
      case ContactReply.Status.RATE_LIMITED: return new HearthError('RATE_LIMITED', 'that peer is receiving too many requests; try again in a minute')
      case ContactReply.Status.NOT_REQUESTED: return new HearthError('REJECTED', 'that peer no longer has a pending request to you')
      case ContactReply.Status.REJECTED: return new HearthError('REJECTED', 'that peer declined')
      case ContactReply.Status.OK:
      case ContactReply.Status.ACCEPTED: return new HearthError('INTERNAL', 'unexpected reply')
    }
  }

  // -------------------------------------------------------------- the API

  private handlers (): CoreHandlers {
    return {
      'identity.get': async () => this.identity(),

      'identity.setName': async ({ name }) => {
        await saveName(this.#store, this.#profile, name)
        await this.#outbox.commit(this.#contacts.list().map(c => ({ kind: 'profile', id: toHex(randomBytes(16)), to: c.peerId, name })))
        for (const c of this.#contacts.list()) this.#chat.kick(c.peerId)
        return this.identity()
      },

      'invite.create': async () => {
        const addresses = this.inviteAddresses()
        if (addresses.length === 0) throw new HearthError('UNREACHABLE', 'this peer has no address on the local network to put in an invite')
        const secret = randomBytes(INVITE_SECRET_BYTES)
        const expiresAt = this.#now() + INVITE_TTL_MS
        await this.#store.batch([putInvite(this.#store, secret, { createdAt: this.#now(), expiresAt })])
        return { code: encodeInvite({ peerId: this.#node.peerId, addresses, secret, expiresAt }), expiresAt }
      },

      'invite.accept': async ({ code }) => {
        const invite = decodeInvite(code, this.#now())
        if (invite.peerId.equals(this.#node.peerId)) throw new HearthError('OWN_INVITE', 'this is your own invite code; give it to the person you want to add')
        const reply = await this.#contactProtocol.call(invite.peerId, invite.addresses, { redeem: { secret: invite.secret, name: this.#profile.name } })
        if (reply.status !== ContactReply.Status.OK) throw this.replyError(reply.status)
        const peerId = invite.peerId.toString()
        const existing = this.#contacts.get(peerId)
        const name = reply.name.length > 0 ? reply.name : existing?.name ?? 'Unnamed'
        const contact = existing != null
          ? { ...existing, name }
          : newContact(peerId, name, 'invite', invite.addresses.map(a => a.toString()), this.#now())
        await this.#contacts.save(contact, [deleteIncomingRequest(this.#store, peerId), deleteOutgoingRequest(this.#store, peerId)])
        const presented = this.present(contact)
        this.events.emit('contact.added', { contact: presented })
        this.#chat.kick(peerId)
        return { contact: presented }
      },

      'peers.nearby': async () => this.nearby(),

      'contacts.list': async () => this.#contacts.list().map(c => this.present(c)).sort((a, b) => a.name.localeCompare(b.name)),

      'contacts.request': async ({ peerId }) => {
        const id = this.ed25519(peerId)
        if (this.#contacts.has(peerId)) return { peerId, state: 'already-contact' }
        const addresses = this.#node.services.nearby.get(peerId)?.addresses ?? []
        if (addresses.length === 0 && !this.online(peerId)) throw new HearthError('NOT_NEARBY', 'that peer is not nearby on this network')
        // Recorded first, so an accept that races our reply still finds it.
        await this.#store.batch([putOutgoingRequest(this.#store, { peerId, sentAt: this.#now() })])
        let reply: ContactReply
        try {
          reply = await this.#contactProtocol.call(id, addresses, { request: { name: this.#profile.name } })
        } catch (err) {
          await this.#store.batch([deleteOutgoingRequest(this.#store, peerId)])
          throw err
        }
        if (reply.status === ContactReply.Status.ACCEPTED) {
          // It holds us as a contact already (we had lost it, or never heard its answer).
          const contact = newContact(peerId, reply.name.length > 0 ? reply.name : 'Unnamed', 'request', addresses, this.#now())
          await this.#contacts.save(contact, [deleteOutgoingRequest(this.#store, peerId), deleteIncomingRequest(this.#store, peerId)])
          this.events.emit('contact.added', { contact: this.present(contact) })
          this.#chat.kick(peerId)
          return { peerId, state: 'added' }
        }
        if (reply.status !== ContactReply.Status.OK) {
          await this.#store.batch([deleteOutgoingRequest(this.#store, peerId)])
          throw this.replyError(reply.status)
        }
        return { peerId, state: 'requested' }
      },

      'contacts.requests': async () => (await listIncomingRequests(this.#store))
        .filter(r => r.declinedAt == null && !this.#contacts.has(r.peerId))
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map((r): ContactRequest => {
          const resembles = this.#contacts.resembling(r.name, r.peerId)
          return { peerId: r.peerId, name: r.name, receivedAt: r.receivedAt, ...(resembles != null ? { resembles } : {}) }
        }),

      'contacts.acceptRequest': async ({ peerId }) => {
        const id = this.ed25519(peerId)
        const request = (await listIncomingRequests(this.#store)).find(r => r.peerId === peerId && r.declinedAt == null)
        if (request == null) throw new HearthError('NOT_FOUND', 'there is no pending request from that peer')
        const addresses = [...new Set([...(this.#node.services.nearby.get(peerId)?.addresses ?? []), ...request.addresses])]
        const reply = await this.#contactProtocol.call(id, addresses, { accept: { name: this.#profile.name } })
        if (reply.status !== ContactReply.Status.OK) {
          if (reply.status === ContactReply.Status.NOT_REQUESTED) await this.#store.batch([deleteIncomingRequest(this.#store, peerId)])
          throw this.replyError(reply.status)
        }
        const contact = newContact(peerId, reply.name.length > 0 ? reply.name : request.name, 'request', addresses, this.#now())
        await this.#contacts.save(contact, [deleteIncomingRequest(this.#store, peerId), deleteOutgoingRequest(this.#store, peerId)])
        const presented = this.present(contact)
        this.events.emit('contact.added', { contact: presented })
        this.#chat.kick(peerId)
        return { contact: presented }
      },

      'contacts.declineRequest': async ({ peerId }) => {
        const request = (await listIncomingRequests(this.#store)).find(r => r.peerId === peerId && r.declinedAt == null)
        if (request == null) throw new HearthError('NOT_FOUND', 'there is no pending request from that peer')
        await this.#store.batch([putIncomingRequest(this.#store, { ...request, declinedAt: this.#now() })])
        return null
      },

      'contacts.safetyNumber': async ({ peerId }) => {
        this.contactOrThrow(peerId)
        const theirs = peerIdFromString(peerId)
        if (theirs.publicKey == null) throw new HearthError('INTERNAL', 'that contact has no public key')
        return {
          safetyNumber: safetyNumber(
            { publicKey: this.#profile.privateKey.publicKey.raw, id: this.#node.peerId.toMultihash().bytes },
            { publicKey: theirs.publicKey.raw, id: theirs.toMultihash().bytes }
          )
        }
      },

      'contacts.verify': async ({ peerId, verified }) => {
        const contact = await this.#contacts.update(peerId, c => ({ ...c, verified: verified ?? true }))
        if (contact == null) throw new HearthError('NOT_A_CONTACT', 'that peer is not one of your contacts')
        return { contact: this.present(contact) }
      },

      'messages.send': async ({ to, text, expiresInSeconds }) => {
        if (isGroupId(to)) return this.#groups.send(to, text, expiresInSeconds)
        this.contactOrThrow(to)
        return this.#book.send(to, text, expiresInSeconds)
      },

      'messages.delete': async ({ id, forEveryone }) => {
        await this.#book.delete(id, forEveryone ?? false)
        return null
      },

      'messages.edit': async ({ id, text }) => this.#book.edit(id, text),

      'conversations.setTimer': async ({ with: peerId, seconds }) => {
        if (isGroupId(peerId)) {
          await this.#groups.setTimer(peerId, seconds)
          return { with: peerId, seconds: this.#groups.timerOf(peerId) }
        }
        this.contactOrThrow(peerId)
        await this.#book.setTimer(peerId, seconds)
        return { with: peerId, seconds: this.#book.timerOf(peerId) }
      },

      'conversations.list': async () => {
        const summaries = await Promise.all(this.#contacts.list().map(async (c): Promise<ConversationSummary> => {
          const [last] = await listMessages(this.#store, c.peerId, { limit: 1 })
          return {
            contact: this.present(c),
            ...(last != null ? { lastMessage: { text: last.text, sentAt: last.sentAt, outgoing: last.outgoing, status: last.status, ...(last.kind === 'system' ? { kind: 'system' as const } : {}) } } : {}),
            unread: await countUnread(this.#store, c.peerId),
            timer: this.#book.timerOf(c.peerId)
          }
        }))
        // Most recent conversation first; contacts never written to, by when they were added.
        return summaries.sort((a, b) => (b.lastMessage?.sentAt ?? b.contact.addedAt) - (a.lastMessage?.sentAt ?? a.contact.addedAt))
      },

      'messages.list': async ({ with: peerId, limit, before }) => {
        if (isGroupId(peerId)) this.#groups.info(peerId)
        const page = await listMessages(this.#store, peerId, { limit: limit ?? LIMITS.pageDefault, before })
        return page.map(r => this.toMessage(r))
      },

      'messages.markRead': async ({ with: peerId }) => {
        if (isGroupId(peerId)) return { count: await this.#groups.markRead(peerId) }
        this.contactOrThrow(peerId)
        return { count: (await this.#book.markRead(peerId, this.#settings.readReceipts)).length }
      },

      'typing.set': async ({ with: peerId, typing }) => {
        this.contactOrThrow(peerId)
        await this.#chat.sendTyping(peerId, typing)
        return null
      },

      'groups.create': async ({ name, members }) => {
        const wanted = [...new Set(members)]
        const chosen = await Promise.all(wanted.map(async peerId => {
          if (peerId === this.peerId) throw new HearthError('INVALID_PARAMS', 'invalid params: you are in the group already')
          const contact = this.contactOrThrow(peerId)
          return { peerId, name: contact.name, addrs: await this.memberAddresses(contact) }
        }))
        return { groupId: await this.#groups.create(name, chosen) }
      },

      'groups.list': async () => (await this.#groups.list())
        .sort((a, b) => (b.lastMessage?.sentAt ?? 0) - (a.lastMessage?.sentAt ?? 0)),

      'groups.members': async ({ groupId }) => this.#groups.members(groupId),

      'groups.add': async ({ groupId, peerId }) => {
        const contact = this.contactOrThrow(peerId)
        return this.#groups.add(groupId, { peerId, name: contact.name, addrs: await this.memberAddresses(contact) })
      },

      'groups.remove': async ({ groupId, peerId }) => this.#groups.remove(groupId, peerId),

      'groups.promote': async ({ groupId, peerId }) => this.#groups.promote(groupId, peerId),

      'groups.rename': async ({ groupId, name }) => this.#groups.rename(groupId, name),

      'groups.leave': async ({ groupId }) => {
        await this.#groups.leave(groupId)
        return null
      },

      'groups.receipts': async ({ id }) => this.#groups.receipts(id),

      'settings.get': async () => ({ ...this.#settings }),

      'settings.set': async (changes) => {
        const next: SettingsRecord = {
          readReceipts: changes.readReceipts ?? this.#settings.readReceipts,
          hideNotificationText: changes.hideNotificationText ?? this.#settings.hideNotificationText,
          autoLockMinutes: changes.autoLockMinutes ?? this.#settings.autoLockMinutes
        }
        await saveSettings(this.#store, next)
        this.#settings = next
        return { ...next }
      },

      'profile.changePassphrase': async ({ current, next }) => {
        await this.#store.changePassphrase(current, next, this.#options.kdf)
        return null
      }
    }
  }
}
