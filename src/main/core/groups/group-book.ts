/**
 * Groups: what happens to them, whichever member starts it. Ours (create,
 * add, remove, promote, rename, timer, leave, send, read) and theirs (ops,
 * envelopes, key grants and summaries from members) come here, under one
 * lock, so one set of rules applies to both.
 *
 * A group's membership is the fold of its signed ops (ops.ts); its
 * messages are envelopes sealed with a group key and signed by their author
 * (envelope.ts), stored as ordinary message rows of the group's
 * conversation. Members keep, per author, which sequence numbers they have
 * seen; comparing those summaries tells each side what to hand the other.
 */
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Events, GroupChange, GroupInfo, GroupMember, GroupReceipts, GroupSummary, MessageStatus } from '../../../shared/api.js'
import { fromHex, owned, toHex } from '../bytes.js'
import { HybridClock } from '../clock.js'
import type { ContactBook } from '../contact-book.js'
import { randomBytes, constantTimeEqual } from '../crypto/index.js'
import { arrivalEpochs, epochFor, keepEpoch, type Expiry } from '../disappearing.js'
import type { Emitter } from '../emitter.js'
import { HearthError } from '../errors.js'
import { createLog } from '../log.js'
import type { MessageBook } from '../message-book.js'
import { Mutex } from '../mutex.js'
import { groupKeyEpoch, listGroups, loadGroupKeys, loadOps, putGroup, putGroupKey, putOp, putSeq, seqPointers } from '../store/groups.js'
import { countUnread, findMessage, getMessageAt, hasMessages, insertMessage, listMessages, removal, updateMessages } from '../store/messages.js'
import type { GroupRecord, MessageRecord } from '../store/records.js'
import type { BatchOp, EpochSpec, Store } from '../store/store.js'
import { checkEnvelope, EnvelopeError, openEnvelope, sealEnvelope, type CheckedEnvelope } from './envelope.js'
import { accepts, bringsKey, checkOp, entitled, fold, GroupOpError, groupIdOf, keyCheck, OP_LIMITS, peerFromBytes, reignOf, signOp, type CheckedOp, type GroupState } from './ops.js'
import { GroupEnvelope, type GroupOp, type KeyGrant, type Summary } from './pb/group.js'
import { SeqSet } from './ranges.js'

const log = createLog('groups')

/** Envelopes held in memory while their key or ops are on the way, per group. */
const MAX_PENDING = 2048
/** Status events one summary may cause (older messages show their status when listed). */
const MAX_STATUS_EVENTS = 200
/** Ops kept from an author who is not (or no longer) a member. */
const MAX_OUTSIDER_OPS = 32
/** Messages remembered as handed on, per member. */
const MAX_HANDED = 4096
/** Groups whose ops are gathered before I know whether I am in them. */
const MAX_UNKNOWN_GROUPS = 8
/** A message handed to a member (or stored here) this recently is not handed to them again in answer to a summary: it is on its way. */
const IN_FLIGHT_MS = 2_000
/** Key grants held while their op is on the way, per group. */
const MAX_EARLY_GRANTS = 64
/** What one answer to a summary may carry. */
export const SYNC_LIMITS = { ops: 256, envelopes: 256, authors: 64 }
const REKEY_DELAY_MS = { min: 50, max: 500 }

export function groupIdString (bytes: Uint8Array): string {
  return `grp-${toHex(bytes)}`
}

function groupIdBytes (id: string): Uint8Array<ArrayBuffer> {
  return fromHex(id.slice(4))
}

function peerBytes (peerId: string): Uint8Array<ArrayBuffer> {
  return owned(peerIdFromString(peerId).toMultihash().bytes)
}

interface Group {
  id: string
  bytes: Uint8Array<ArrayBuffer>
  record: GroupRecord
  ops: Map<string, CheckedOp>
  state: GroupState
  keys: Map<string, Uint8Array<ArrayBuffer>>
  /** Envelopes waiting for their key or their ops, by author:seq. */
  pending: Map<string, CheckedEnvelope>
  /** Keys that came before the op that brought them. */
  early: Map<string, Uint8Array<ArrayBuffer>>
  rekey?: ReturnType<typeof setTimeout>
}

/** What the network must send for the group book. */
export interface GroupOutput {
  /** New ops or messages: hand them to connected members now. */
  push: (groupId: string, what: { ops?: GroupOp[], envelopes?: GroupEnvelope[], grants?: Array<{ peer: string, grant: KeyGrant }> }) => void
  /**
   * Something changed (I hold more, or read more): tell connected members.
   * `soon` are told at once (the authors of what I just stored, who wait for
   * their ticks); the rest a little later, in one go.
   */
  changed: (groupId: string, soon?: string[]) => void
}

export interface GroupBookDeps {
  store: Store
  clock: HybridClock
  events: Emitter<Events>
  expiry: Expiry
  book: MessageBook
  contacts: ContactBook
  privateKey: PrivateKey
  selfId: string
  myName: () => string
  readReceipts: () => boolean
  online: (peerId: string) => boolean
  now: () => number
}

/** What a summary asks of me. */
export interface SyncAnswer {
  ops: GroupOp[]
  envelopes: GroupEnvelope[]
  grants: KeyGrant[]
  /** They hold something I lack: send them my summary. */
  askBack: boolean
}

const EMPTY_ANSWER: SyncAnswer = { ops: [], envelopes: [], grants: [], askBack: false }

/** A group as held in memory, from its record, with the ops and keys given (none: a group just made or joined). */
function newGroup (record: GroupRecord, ops = new Map<string, CheckedOp>(), keys = new Map<string, Uint8Array<ArrayBuffer>>()): Group {
  return { id: record.id, bytes: groupIdBytes(record.id), record, ops, state: fold(record.id.slice(4), ops.values()), keys, pending: new Map(), early: new Map() }
}

function seenOf (record: GroupRecord, author: string): SeqSet {
  return new SeqSet(pairs(record.seen[author] ?? []))
}

/**
 * What a member's receipt says they hold, parsed once per stored list (a
 * record's lists are replaced, never changed, when receipts come in): the
 * reach of every message listed reads it. Not to be changed.
 */
const receiptSets = new WeakMap<number[], SeqSet>()
function receivedBy (flat: number[]): SeqSet {
  let set = receiptSets.get(flat)
  if (set == null) {
    set = new SeqSet(pairs(flat))
    receiptSets.set(flat, set)
  }
  return set
}

function pairs (flat: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

function envelopeOf (record: MessageRecord): GroupEnvelope | undefined {
  if (record.envelope == null) return undefined
  try {
    return GroupEnvelope.decode(Buffer.from(record.envelope, 'base64'))
  } catch {
    return undefined
  }
}

export class GroupBook {
  readonly #d: GroupBookDeps
  readonly #groups = new Map<string, Group>()
  readonly #lock = new Mutex()
  /** Ops of groups I do not know (yet): kept while the rest of a group's ops is on its way. */
  readonly #unknown = new Map<string, Map<string, CheckedOp>>()
  /** When each member was last handed each message (author:seq), so one on its way is not sent again at once. */
  readonly #handed = new Map<string, Map<string, number>>()
  #closed = false
  output: GroupOutput = { push: () => {}, changed: () => {} }

  private constructor (deps: GroupBookDeps) {
    this.#d = deps
  }

  static async open (deps: GroupBookDeps): Promise<GroupBook> {
    const book = new GroupBook(deps)
    for (const record of await listGroups(deps.store)) {
      const ops = new Map<string, CheckedOp>()
      for (const raw of await loadOps(deps.store, record.id)) {
        try {
          const op = await checkOp(raw)
          ops.set(op.id, op)
        } catch (err) {
          log.error('a stored group op is damaged - %e', err)
        }
      }
      const keys = record.status === 'member' ? await loadGroupKeys(deps.store, record.id) : new Map<string, Uint8Array<ArrayBuffer>>()
      book.#groups.set(record.id, newGroup(record, ops, keys))
    }
    return book
  }

  close (): void {
    this.#closed = true
    for (const g of this.#groups.values()) if (g.rekey != null) clearTimeout(g.rekey)
  }

  // -------------------------------------------------------------- reading

  has (groupId: string): boolean {
    return this.#groups.has(groupId)
  }

  ids (): string[] {
    return [...this.#groups.keys()]
  }

  /** Groups in which `peerId` is a member (as I see it): what we compare when we meet. */
  groupsOf (peerId: string): string[] {
    return [...this.#groups.values()].filter(g => g.state.members.has(peerId)).map(g => g.id)
  }

  /** A group's ops, in order: what a member just added needs. */
  opsOf (groupId: string): GroupOp[] {
    return this.#groups.get(groupId)?.state.order.map(o => o.op) ?? []
  }

  /** The members of a group other than me: whom news of it goes to. */
  recipients (groupId: string): string[] {
    return [...(this.#groups.get(groupId)?.state.members.keys() ?? [])].filter(p => p !== this.#d.selfId)
  }

  peerOf (bytes: Uint8Array): string {
    try {
      return peerFromBytes(bytes).toString()
    } catch {
      return ''
    }
  }

  /** Whether `peerId` may talk to me about groups: a member, or a former member (who may learn how it ended). */
  knows (peerId: string): boolean {
    return [...this.#groups.values()].some(g => g.state.members.has(peerId) || g.state.former.has(peerId))
  }

  /** Everyone I share a group with, and where they were last seen: to keep connected. */
  peers (): Map<string, string[]> {
    const out = new Map<string, string[]>()
    for (const g of this.#groups.values()) {
      if (g.record.status !== 'member') continue
      for (const m of g.state.members.values()) {
        if (m.peerId === this.#d.selfId) continue
        out.set(m.peerId, [...new Set([...(out.get(m.peerId) ?? []), ...(g.record.addrs[m.peerId] ?? []), ...m.addrs])].slice(0, 8))
      }
    }
    return out
  }

  timerOf (groupId: string): number {
    return this.#groups.get(groupId)?.state.timer ?? 0
  }

  info (groupId: string): GroupInfo {
    return this.present(this.get(groupId))
  }

  async list (): Promise<GroupSummary[]> {
    const out: GroupSummary[] = []
    for (const g of this.#groups.values()) {
      const [last] = await listMessages(this.#d.store, g.id, { limit: 1 })
      out.push({
        ...this.present(g),
        ...(last != null
          ? {
              lastMessage: {
                id: last.id,
                text: last.text,
                sentAt: last.sentAt,
                outgoing: last.outgoing,
                from: last.from,
                ...this.shown(last),
                ...(last.kind === 'system' ? { kind: 'system' as const } : {}),
                ...(last.system != null ? { system: last.system } : {})
              }
            }
          : {}),
        unread: await countUnread(this.#d.store, g.id)
      })
    }
    return out
  }

  members (groupId: string): GroupMember[] {
    return this.present(this.get(groupId)).members
  }

  /** Who has one of my group messages, and who read it. */
  async receipts (messageId: string): Promise<{ delivered: GroupMember[], read: GroupMember[], waiting: GroupMember[] }> {
    const found = await findMessage(this.#d.store, messageId)
    const g = found == null ? undefined : this.#groups.get(found.record.with)
    const e = found == null ? undefined : envelopeOf(found.record)
    if (found == null || g == null || e == null || !found.record.outgoing) throw new HearthError('NOT_FOUND', 'there is no such message of yours in a group')
    const { delivered, read, of } = this.reach(g, toHex(e.keyOp), Number(e.seq))
    const member = (peerId: string): GroupMember => this.member(g, peerId)
    return { delivered: delivered.map(member), read: read.map(member), waiting: of.filter(p => !delivered.includes(p)).map(member) }
  }

  private reach (g: Group, keyOp: string, seq: number): { delivered: string[], read: string[], of: string[] } {
    const of = [...(reignOf(g.state, keyOp)?.entitled ?? [])].filter(p => p !== this.#d.selfId)
    const delivered = of.filter(p => {
      const seen = g.record.receipts[p]?.seen
      return seen != null && receivedBy(seen).has(seq)
    })
    const read = of.filter(p => (g.record.receipts[p]?.read ?? 0) >= seq)
    return { delivered, read, of }
  }

  private get (groupId: string): Group {
    const g = this.#groups.get(groupId)
    if (g == null) throw new HearthError('NOT_FOUND', 'there is no such group')
    return g
  }

  private nameOf (g: Group, peerId: string): string {
    if (peerId === this.#d.selfId) return this.#d.myName()
    const contact = this.#d.contacts.get(peerId)
    if (contact != null) return contact.name
    const label = g.state.members.get(peerId)?.name ?? g.state.former.get(peerId) ?? ''
    return label.length > 0 ? label : 'Unknown'
  }

  private member (g: Group, peerId: string): GroupMember {
    return {
      peerId,
      name: this.nameOf(g, peerId),
      admin: g.state.members.get(peerId)?.admin === true,
      you: peerId === this.#d.selfId,
      contact: this.#d.contacts.has(peerId),
      online: peerId === this.#d.selfId || this.#d.online(peerId)
    }
  }

  private present (g: Group): GroupInfo {
    const members = [...g.state.members.values()]
      .sort((a, b) => a.since - b.since || (a.peerId < b.peerId ? -1 : 1))
      .map(m => this.member(g, m.peerId))
    return {
      groupId: g.id,
      name: g.state.name,
      members,
      admin: g.record.status === 'member' && g.state.members.get(this.#d.selfId)?.admin === true,
      status: g.record.status,
      timer: g.state.timer,
      createdBy: g.state.createdBy,
      former: [...g.state.former.keys()].map(peerId => ({ peerId, name: this.nameOf(g, peerId) }))
    }
  }

  // -------------------------------------------------------------- ours

  /** Creates a group of me and `members` (contacts, with where they can be reached). */
  async create (name: string, members: Array<{ peerId: string, name: string, addrs: string[] }>): Promise<string> {
    return this.#lock.run(async () => {
      const key = randomBytes(32)
      const draft: GroupOp = {
        group: new Uint8Array(0),
        author: peerBytes(this.#d.selfId),
        hlc: this.#d.clock.tick(),
        deps: [],
        create: { name, members: members.map(m => ({ peer: peerBytes(m.peerId), name: m.name, addrs: encodeAddrs(m.addrs), cutoff: 0n })) },
        keyCheck: owned(keyCheck(key)),
        signature: new Uint8Array(0)
      }
      const op = await signOp(this.#d.privateKey, { ...draft, group: owned(groupIdOf(draft)) })
      const checked = await checkOp(op)
      const id = groupIdString(op.group)
      const g = newGroup(this.newRecord(id))
      for (const m of members) if (m.addrs.length > 0) g.record.addrs[m.peerId] = m.addrs.slice(0, 8)
      this.#groups.set(id, g)
      await this.integrate(g, [checked], new Map([[checked.id, key]]))
      this.output.push(id, { ops: [op], grants: this.grantsFor(g, checked.id, key) })
      return id
    })
  }

  async add (groupId: string, member: { peerId: string, name: string, addrs: string[] }): Promise<GroupInfo> {
    return this.local(groupId, 'add', g => {
      this.mustBeAdmin(g, 'add members')
      if (g.state.members.has(member.peerId)) throw new HearthError('NOT_ALLOWED', 'they are already in this group')
      if (g.state.members.size >= OP_LIMITS.createMembers + 1) throw new HearthError('NOT_ALLOWED', 'a group has at most 32 members')
      if (member.addrs.length > 0) g.record.addrs[member.peerId] = member.addrs.slice(0, 8)
      return { add: { peer: peerBytes(member.peerId), name: member.name, addrs: encodeAddrs(member.addrs), cutoff: 0n } }
    })
  }

  async remove (groupId: string, peerId: string): Promise<GroupInfo> {
    return this.local(groupId, 'remove', g => {
      this.mustBeAdmin(g, 'remove members')
      if (peerId === this.#d.selfId) throw new HearthError('NOT_ALLOWED', 'to leave a group, use leave')
      if (!g.state.members.has(peerId)) throw new HearthError('NOT_FOUND', 'they are not in this group')
      // Their messages up to the last I have seen count; anything later they sign is refused.
      return { remove: { peer: peerBytes(peerId), name: '', addrs: [], cutoff: BigInt(seenOf(g.record, peerId).max) } }
    })
  }

  async promote (groupId: string, peerId: string): Promise<GroupInfo> {
    return this.local(groupId, 'promote', g => {
      this.mustBeAdmin(g, 'make others admins')
      const m = g.state.members.get(peerId)
      if (m == null) throw new HearthError('NOT_FOUND', 'they are not in this group')
      if (m.admin) throw new HearthError('NOT_ALLOWED', 'they are an admin already')
      return { promote: { peer: peerBytes(peerId), name: '', addrs: [], cutoff: 0n } }
    })
  }

  async rename (groupId: string, name: string): Promise<GroupInfo> {
    return this.local(groupId, 'rename', () => ({ rename: { name } }))
  }

  async setTimer (groupId: string, seconds: number): Promise<void> {
    await this.local(groupId, 'timer', () => ({ timer: { seconds } }))
  }

  /** Leaves a group: the others are told; my keys for it are erased; its history stays here. */
  async leave (groupId: string): Promise<void> {
    await this.local(groupId, 'leave', g => ({ leave: { cutoff: BigInt(g.record.mySeq) } }))
  }

  private mustBeAdmin (g: Group, what: string): void {
    if (g.state.members.get(this.#d.selfId)?.admin !== true) throw new HearthError('NOT_ALLOWED', `only the group's admins can ${what}`)
  }

  private mustBeMember (g: Group): void {
    if (g.record.status !== 'member' || !g.state.members.has(this.#d.selfId)) throw new HearthError('NOT_ALLOWED', g.record.status === 'removed' ? 'you were removed from this group' : 'you are no longer in this group')
  }

  /** Makes, signs, applies and hands out an op of mine. */
  private async local (groupId: string, kind: CheckedOp['kind'], body: (g: Group) => Partial<GroupOp>): Promise<GroupInfo> {
    return this.#lock.run(async () => {
      const g = this.get(groupId)
      this.mustBeMember(g)
      await this.localNow(g, kind, body(g))
      return this.present(g)
    })
  }

  /** Under the lock. */
  private async localNow (g: Group, kind: CheckedOp['kind'], body: Partial<GroupOp>): Promise<CheckedOp> {
    if (g.ops.size >= OP_LIMITS.opsPerGroup) throw new HearthError('NOT_ALLOWED', 'this group has had too many changes; make a new one')
    const key = bringsKey(kind) ? randomBytes(32) : undefined
    const op = await signOp(this.#d.privateKey, {
      group: g.bytes,
      author: peerBytes(this.#d.selfId),
      hlc: this.#d.clock.tick(),
      deps: g.state.heads.slice(0, OP_LIMITS.deps).map(fromHex),
      keyCheck: key != null ? owned(keyCheck(key)) : new Uint8Array(0),
      signature: new Uint8Array(0),
      ...body
    })
    const checked = await checkOp(op)
    await this.integrate(g, [checked], key != null ? new Map([[checked.id, key]]) : new Map())
    this.output.push(g.id, { ops: [op], ...(key != null ? { grants: this.grantsFor(g, checked.id, key) } : {}) })
    return checked
  }

  private grantsFor (g: Group, keyOp: string, key: Uint8Array<ArrayBuffer>): Array<{ peer: string, grant: KeyGrant }> {
    return [...(reignOf(g.state, keyOp)?.entitled ?? [])]
      .filter(p => p !== this.#d.selfId)
      .map(peer => ({ peer, grant: { group: g.bytes, keyOp: fromHex(keyOp), key } }))
  }

  /** Sends a message to a group: stored (with its envelope) in one synced write before this returns. */
  async send (groupId: string, text: string, expiresInSeconds?: number): Promise<{ id: string, status: MessageStatus, sentAt: number, expiresAt?: number }> {
    const { record, envelope } = await this.#lock.run(async () => {
      const g = this.get(groupId)
      this.mustBeMember(g)
      let keyOp = g.state.currentKey
      if (keyOp == null || !g.keys.has(keyOp)) {
        // The key in force is not here yet (or someone left): bring a new one.
        keyOp = (await this.localNow(g, 'rekey', { rekey: {} })).id
      }
      const key = g.keys.get(keyOp)!
      const seq = g.record.mySeq + 1
      const hlc = this.#d.clock.tick()
      const sentAt = HybridClock.millis(hlc)
      const lifetime = expiresInSeconds ?? g.state.timer
      const id = toHex(randomBytes(16))
      const envelope = await sealEnvelope(this.#d.privateKey, key, {
        group: g.bytes, id: fromHex(id), author: peerBytes(this.#d.selfId), seq: BigInt(seq), hlc, keyOp: fromHex(keyOp)
      }, { text, ...(lifetime > 0 ? { expiresIn: lifetime } : {}) })
      const recipients = (reignOf(g.state, keyOp)?.entitled.size ?? 1) - 1
      const record: MessageRecord = {
        id,
        with: g.id,
        from: this.#d.selfId,
        outgoing: true,
        text,
        hlc: hlc.toString(),
        sentAt,
        receivedAt: sentAt,
        status: recipients > 0 ? 'pending' : 'sent',
        ...(lifetime > 0 ? { expiresIn: lifetime, expiresAt: sentAt + lifetime * 1000 } : {}),
        envelope: Buffer.from(GroupEnvelope.encode(envelope)).toString('base64')
      }
      const next = { ...g.record, mySeq: seq, seen: { ...g.record.seen, [this.#d.selfId]: withSeq(g.record, this.#d.selfId, seq) } }
      await this.#d.store.withEpochs([epochFor(this.#d.store, record, this.#d.now())], async ([epoch]) => {
        const rows = insertMessage(this.#d.store, record, epoch)
        await this.#d.store.batch([...rows, putSeq(this.#d.store, g.id, this.#d.selfId, seq, rows[0]!.key), putGroup(this.#d.store, next)], { sync: true })
      })
      g.record = next
      return { record, envelope }
    })
    if (record.expiresAt != null) void this.#d.expiry.run()
    this.output.push(groupId, { envelopes: [envelope] })
    return { id: record.id, status: record.status, sentAt: record.sentAt, ...(record.expiresAt != null ? { expiresAt: record.expiresAt } : {}) }
  }

  /** My messages reached at least one member's connection. */
  async markSent (groupId: string, envelopes: GroupEnvelope[]): Promise<void> {
    const g = this.#groups.get(groupId)
    if (g == null) return
    const keys: Uint8Array[] = []
    for (const e of envelopes) {
      const [p] = await seqPointers(this.#d.store, g.id, this.#d.selfId, Number(e.seq), Number(e.seq), 1)
      if (p != null) keys.push(p.messageKey)
    }
    const changed = await updateMessages(this.#d.store, keys, r => r.status === 'pending' ? { ...r, status: 'sent' } : undefined, [], { sync: false })
    for (const r of changed) this.#d.events.emit('message.status', { id: r.id, with: g.id, ...this.shown(r) })
  }

  /** Marks a group's messages read; members hear how far I read (if I send read receipts). */
  async markRead (groupId: string): Promise<number> {
    this.get(groupId)
    const ids = await this.#d.book.readConversation(groupId)
    await this.#lock.run(async () => {
      const g = this.get(groupId)
      const readUpTo = { ...g.record.readUpTo }
      let moved = false
      for (const [author, flat] of Object.entries(g.record.seen)) {
        const max = new SeqSet(pairs(flat)).max
        if (author !== this.#d.selfId && max > (readUpTo[author] ?? 0)) {
          readUpTo[author] = max
          moved = true
        }
      }
      if (!moved) return
      const next = { ...g.record, readUpTo }
      await this.#d.store.batch([putGroup(this.#d.store, next)])
      g.record = next
      if (this.#d.readReceipts()) this.output.changed(groupId, Object.keys(readUpTo))
    })
    return ids.length
  }

  // -------------------------------------------------------------- theirs

  /** What I tell `peer` of a group we share. */
  summaryFor (groupId: string, peer: string): Summary | undefined {
    const g = this.#groups.get(groupId)
    if (g == null) return undefined
    const taking = g.record.status === 'member' && g.state.members.has(peer)
    const authors = taking ? Object.keys(g.record.seen).slice(0, SYNC_LIMITS.authors) : []
    return {
      group: g.bytes,
      heads: g.state.heads.slice(0, OP_LIMITS.deps).map(fromHex),
      opCount: g.ops.size,
      seen: authors.map(a => ({ author: peerBytes(a), ranges: (g.record.seen[a] ?? []).map(BigInt) })),
      wantKeys: taking ? g.state.reigns.filter(r => r.entitled.has(this.#d.selfId) && !g.keys.has(r.op)).slice(-8).map(r => fromHex(r.op)) : [],
      readOfYours: taking && this.#d.readReceipts() ? BigInt(g.record.readUpTo[peer] ?? 0) : 0n
    }
  }

  /** A summary for a group I do not know: "send me everything" (I may have missed being added). */
  static emptySummary (group: Uint8Array): Summary {
    return { group: owned(group), heads: [], opCount: 0, seen: [], wantKeys: [], readOfYours: 0n }
  }

  /** A member's summary: what they lack that I can give, and whether they hold what I lack. */
  async onSummary (peer: string, summary: Summary): Promise<SyncAnswer> {
    if (summary.group.length !== 16) return EMPTY_ANSWER
    const g = this.#groups.get(groupIdString(summary.group))
    if (g == null) {
      // They think we share a group I do not know: if a contact says so, ask for it.
      return { ...EMPTY_ANSWER, askBack: this.#d.contacts.has(peer) && summary.heads.length > 0 }
    }
    return this.#lock.run(async () => {
      const answer: SyncAnswer = { ops: [], envelopes: [], grants: [], askBack: false }
      const theirHeads = summary.heads.map(toHex)
      const theirs = this.closure(g, theirHeads)
      if (!g.state.members.has(peer)) {
        // A former member learns how it ended (the op that removed them, and
        // what led to it), and nothing that came after.
        const departure = this.departureOf(g.state, peer)
        if (departure == null) return answer
        const upTo = this.closure(g, [departure.id])
        answer.ops = g.state.order.filter(o => upTo.has(o.id) && !theirs.has(o.id)).slice(0, SYNC_LIMITS.ops).map(o => o.op)
        return answer
      }
      answer.askBack = theirHeads.some(h => !g.ops.has(h))
      // Ops: everything I have placed that their heads do not already imply.
      answer.ops = g.state.order.filter(o => !theirs.has(o.id)).slice(0, SYNC_LIMITS.ops).map(o => o.op)
      if (g.record.status !== 'member') return answer

      for (const want of summary.wantKeys.slice(0, 8)) {
        const keyOp = toHex(want)
        const key = g.keys.get(keyOp)
        if (key != null && entitled(g.state, keyOp, peer)) answer.grants.push({ group: g.bytes, keyOp: want, key })
      }

      const theirSeen = new Map<string, SeqSet>()
      for (const a of summary.seen.slice(0, SYNC_LIMITS.authors)) {
        try {
          theirSeen.set(peerFromBytes(a.author).toString(), SeqSet.fromFlat(a.ranges))
        } catch {
          // A malformed entry: as if they had nothing of that author.
        }
      }
      // What they have that I lack.
      for (const [author, set] of theirSeen) if (seenOf(g.record, author).lacksAnyOf(set)) answer.askBack = true
      // What I have that they lack, and may have.
      let budget = SYNC_LIMITS.envelopes
      const handed = this.#handed.get(peer)
      for (const author of Object.keys(g.record.seen)) {
        if (budget <= 0) break
        const mine = seenOf(g.record, author)
        for (const [from, to] of (theirSeen.get(author) ?? new SeqSet()).gaps(mine.max)) {
          if (budget <= 0) break
          for (const p of await seqPointers(this.#d.store, g.id, author, from, to, budget)) {
            // On its way already: mine a moment ago (known without reading it), or its author's push. The next summary asks again if it is lost.
            if (this.#d.now() - (handed?.get(`${author}:${p.seq}`) ?? -Infinity) < IN_FLIGHT_MS) continue
            const record = await getMessageAt(this.#d.store, p.messageKey)
            const e = record == null ? undefined : envelopeOf(record)
            if (record == null || e == null) continue
            if (author !== this.#d.selfId && this.#d.now() - record.receivedAt < IN_FLIGHT_MS) continue
            const keyOp = toHex(e.keyOp)
            if (!entitled(g.state, keyOp, peer) || !accepts(g.state, keyOp, author, p.seq)) continue
            answer.envelopes.push(e)
            budget--
          }
        }
      }

      // Receipts: how much of mine they have, and how far they read.
      const mineSeen = theirSeen.get(this.#d.selfId)
      if (mineSeen != null) await this.noteReceipts(g, peer, mineSeen, Math.min(Number(summary.readOfYours), g.record.mySeq))
      return answer
    })
  }

  /** The applied op by which `peer` last left or was removed. */
  private departureOf (state: GroupState, peer: string): CheckedOp | undefined {
    return state.order.findLast(o => state.applied.has(o.id) && ((o.kind === 'remove' && o.target === peer) || (o.kind === 'leave' && o.author === peer)))
  }

  /** Messages were written to a member's stream: not to be sent again while they are on their way. */
  handedOn (peer: string, envelopes: GroupEnvelope[]): void {
    const now = this.#d.now()
    let handed = this.#handed.get(peer)
    if (handed == null) {
      handed = new Map()
      this.#handed.set(peer, handed)
    }
    for (const [key, at] of handed) if (now - at >= IN_FLIGHT_MS || handed.size > MAX_HANDED) handed.delete(key)
    for (const e of envelopes) handed.set(`${this.peerOf(e.author)}:${e.seq}`, now)
  }

  /** A member went away: what was on its way to them is not any more. */
  forgetHanded (peer: string): void {
    this.#handed.delete(peer)
  }

  /** Every op implied by these heads (those I know). */
  private closure (g: Group, heads: string[]): Set<string> {
    const out = new Set<string>()
    const stack = heads.filter(h => g.ops.has(h))
    while (stack.length > 0) {
      const id = stack.pop()!
      if (out.has(id)) continue
      out.add(id)
      stack.push(...(g.ops.get(id)?.deps ?? []).filter(d => g.ops.has(d)))
    }
    return out
  }

  /**
   * A member told me how much of mine they have and how far they read. The
   * record keeps it (statuses are worked out from it when shown); the most
   * recent of the messages whose reach changed get a status event.
   */
  private async noteReceipts (g: Group, peer: string, seen: SeqSet, read: number): Promise<void> {
    const before = g.record.receipts[peer] ?? { seen: [], read: 0 }
    const had = receivedBy(before.seen)
    const nowSeen = new SeqSet(seen.ranges.filter(([a]) => a <= g.record.mySeq).map(([a, b]) => [a, Math.min(b, g.record.mySeq)]))
    const newRead = Math.max(before.read, read)
    if (!had.lacksAnyOf(nowSeen) && newRead === before.read) return
    const next = { ...g.record, receipts: { ...g.record.receipts, [peer]: { seen: nowSeen.toFlat(), read: newRead } } }
    await this.#d.store.batch([putGroup(this.#d.store, next)], { sync: false })
    g.record = next
    // What changed, as ranges: newly seen, and newly read.
    const changed = new SeqSet()
    for (const [a, b] of nowSeen.ranges) {
      for (const [x, y] of had.gaps(b)) if (y >= a) changed.addRange(Math.max(x, a), y)
    }
    if (newRead > before.read) changed.addRange(before.read + 1, newRead)
    let budget = MAX_STATUS_EVENTS
    for (const [a, b] of changed.ranges.reverse()) {
      if (budget <= 0) break
      const from = Math.max(a, b - budget + 1)
      for (const p of await seqPointers(this.#d.store, g.id, this.#d.selfId, from, b, budget)) {
        const r = await getMessageAt(this.#d.store, p.messageKey)
        if (r == null) continue
        budget--
        this.#d.events.emit('message.status', { id: r.id, with: g.id, ...this.shown(r) })
      }
    }
  }

  /** A group message's status and reach as shown: delivered and read once every recipient has it, or read it. */
  shown (record: MessageRecord): { status: MessageStatus, receipts?: GroupReceipts } {
    const g = this.#groups.get(record.with)
    const e = envelopeOf(record)
    if (g == null || e == null || !record.outgoing) return { status: record.status }
    const { delivered, read, of } = this.reach(g, toHex(e.keyOp), Number(e.seq))
    const status: MessageStatus = of.length > 0 && read.length === of.length
      ? 'read'
      : of.length > 0 && delivered.length === of.length
        ? 'delivered'
        : record.status === 'pending' && delivered.length > 0 ? 'sent' : record.status
    return { status, receipts: { delivered: delivered.length, read: read.length, of: of.length } }
  }

  /** Ops from a member (or, for a group I am new to, from the contact who added me). */
  async receiveOps (peer: string, ops: GroupOp[]): Promise<void> {
    const checked: CheckedOp[] = []
    for (const op of ops) {
      try {
        checked.push(await checkOp(op))
      } catch (err) {
        if (!(err instanceof GroupOpError)) throw err
        log('refused a group op from a member: %s', err.message)
      }
    }
    const byGroup = new Map<string, CheckedOp[]>()
    for (const op of checked) byGroup.set(op.group, [...(byGroup.get(op.group) ?? []), op])
    for (const [hex, batch] of byGroup) {
      let list = batch
      await this.#lock.run(async () => {
        const id = `grp-${hex}`
        let g = this.#groups.get(id)
        // Who is a member, for the cap on outsiders' ops: for a group just adopted, as its gathered ops say.
        let standing = g?.state
        if (g == null) {
          // A group's ops come in several frames: gather them until they show whether I am in it.
          const gathered = this.#unknown.get(id) ?? new Map<string, CheckedOp>()
          this.#unknown.delete(id)
          for (const o of list) if (gathered.size < OP_LIMITS.opsPerGroup) gathered.set(o.id, o)
          list = [...gathered.values()]
          const adopted = this.adopt(peer, id, list)
          if (adopted == null) {
            if (this.#unknown.size >= MAX_UNKNOWN_GROUPS) this.#unknown.delete(this.#unknown.keys().next().value ?? '')
            this.#unknown.set(id, gathered)
            return
          }
          g = adopted.group
          standing = adopted.state
        } else if (!g.state.members.has(peer) && !g.state.former.has(peer)) {
          // A former member may still bring ops (a removal that crossed ours, say); the fold decides what counts.
          return
        }
        const members = (standing ?? g.state).members
        const outsiders = new Map<string, number>()
        for (const o of g.ops.values()) if (!members.has(o.author)) outsiders.set(o.author, (outsiders.get(o.author) ?? 0) + 1)
        const fresh = list.filter(o => {
          if (g.ops.has(o.id)) return false
          if (members.has(o.author)) return true
          // Someone no longer in the group cannot fill it with ops.
          const n = outsiders.get(o.author) ?? 0
          outsiders.set(o.author, n + 1)
          return n < MAX_OUTSIDER_OPS
        }).slice(0, Math.max(0, OP_LIMITS.opsPerGroup - g.ops.size))
        if (fresh.length > 0) await this.integrate(g, fresh, new Map())
      })
    }
  }

  /** A group I did not know: taken only if it has me in it, put there by a contact of mine. */
  private adopt (peer: string, id: string, ops: CheckedOp[]): { group: Group, state: GroupState } | undefined {
    const state = fold(id.slice(4), ops)
    const me = state.members.get(this.#d.selfId)
    if (me == null || !state.members.has(peer) || !this.#d.contacts.has(me.addedBy)) {
      log('ignored a group I am not in, or was put in by someone who is not a contact')
      return undefined
    }
    const g = newGroup(this.newRecord(id))
    this.#groups.set(id, g)
    return { group: g, state }
  }

  private newRecord (id: string): GroupRecord {
    return { id, mySeq: 0, seen: {}, readUpTo: {}, receipts: {}, addrs: {}, status: 'member', joinedAt: this.#d.now() }
  }

  /**
   * Adds ops (and any keys of mine for them) to a group, under the lock:
   * stores them, folds again, and follows through: system lines, my own
   * standing, waiting keys and envelopes, messages a removal voids, and a
   * rekey if one is needed.
   */
  private async integrate (g: Group, ops: CheckedOp[], myKeys: Map<string, Uint8Array<ArrayBuffer>>): Promise<void> {
    const store = this.#d.store
    const before = g.state
    for (const op of ops) g.ops.set(op.id, op)
    const state = fold(toHex(g.bytes), g.ops.values())
    for (const op of ops) this.#d.clock.receive(op.hlc)
    const wasMember = g.record.status === 'member'
    const isMember = state.members.has(this.#d.selfId)
    let record = g.record
    if (wasMember && !isMember) {
      const departure = this.departureOf(state, this.#d.selfId)
      record = { ...record, status: departure?.kind === 'leave' ? 'left' : 'removed' }
    } else if (!wasMember && isMember) {
      record = { ...record, status: 'member' }
    }

    const batch: BatchOp[] = [putGroup(store, record)]
    for (const op of ops) batch.push(putOp(store, g.id, op.id, op.op))
    // System lines follow the applied ops: new ones appear, voided ones go.
    const lines: MessageRecord[] = []
    for (const op of state.order) {
      if (!state.applied.has(op.id) || before.applied.has(op.id)) continue
      const line = this.lineFor(g, state, op)
      if (line != null) lines.push(line)
    }
    const known = await hasMessages(store, lines.map(l => l.id))
    const newLines = lines.filter((_, i) => known[i] !== true)
    const keeping = isMember && myKeys.size > 0
    // Only the epochs something goes in: no week's epoch is made for a change that brings no line.
    const specs: EpochSpec[] = []
    const linesAt = newLines.length > 0 ? specs.push(keepEpoch(store, g.id, this.#d.now())) - 1 : -1
    const keysAt = keeping ? specs.push(groupKeyEpoch(store, g.id)) - 1 : -1
    await store.withEpochs(specs, async (epochs) => {
      if (keysAt >= 0) for (const [keyOp, key] of myKeys) batch.push(...putGroupKey(store, g.id, keyOp, key, epochs[keysAt]!))
      await store.batch([...batch, ...(linesAt >= 0 ? newLines.flatMap(l => insertMessage(store, l, epochs[linesAt]!)) : [])], { sync: true })
    })
    if (keeping) for (const [keyOp, key] of myKeys) g.keys.set(keyOp, key)
    g.state = state
    g.record = record
    const unapplied = [...before.applied].filter(id => !state.applied.has(id) && g.ops.get(id)?.kind !== 'rekey')
    for (const id of unapplied) await this.dropLine(g, id.slice(0, 32))
    for (const line of newLines) {
      this.#d.events.emit('message.received', { id: line.id, from: line.from, text: '', sentAt: line.sentAt, group: g.id, kind: 'system', ...(line.system != null ? { system: line.system } : {}) })
    }

    if (wasMember && record.status !== 'member') await this.forgetKeys(g)
    if (record.status === 'member') {
      await this.takeEarlyGrants(g)
      await this.purgeVoidedMessages(g)
      await this.retryPending(g)
      this.scheduleRekey(g)
    }
    if (ops.length > 0) this.#d.events.emit('group.changed', { group: this.present(g) })
    this.output.changed(g.id, ops.length > 0 ? this.recipients(g.id) : [])
  }

  private lineFor (g: Group, state: GroupState, op: CheckedOp): MessageRecord | undefined {
    let change: GroupChange | undefined
    let timer: number | undefined
    const nameOf = (peer: string): string => state.members.get(peer)?.name ?? state.former.get(peer) ?? ''
    switch (op.kind) {
      case 'create': change = { kind: 'created', name: op.op.create!.name }; break
      case 'add': change = { kind: 'added', peerId: op.target!, name: nameOf(op.target!) }; break
      case 'remove': change = { kind: 'removed', peerId: op.target!, name: nameOf(op.target!) }; break
      case 'promote': change = { kind: 'promoted', peerId: op.target!, name: nameOf(op.target!) }; break
      case 'leave': change = { kind: 'left' }; break
      case 'rename': change = { kind: 'renamed', name: state.name }; break
      case 'timer': timer = op.op.timer!.seconds; break
      case 'rekey': return undefined
    }
    const hlc = op.hlc
    return {
      id: op.id.slice(0, 32),
      with: g.id,
      from: op.author,
      outgoing: op.author === this.#d.selfId,
      text: '',
      hlc: hlc.toString(),
      sentAt: HybridClock.millis(hlc),
      receivedAt: this.#d.now(),
      status: 'read',
      kind: 'system',
      system: { by: op.author, ...(timer != null ? { timer } : {}), ...(change != null ? { group: change } : {}) }
    }
  }

  private async dropLine (g: Group, id: string): Promise<void> {
    const found = await findMessage(this.#d.store, id)
    if (found == null || found.record.with !== g.id) return
    const plan = removal(this.#d.store, found)
    await this.#d.store.rewrite(plan.rows, plan.extra)
    this.#d.events.emit('message.deleted', { id, with: g.id })
  }

  /** I left or was removed: my keys for the group are erased (with the epoch they are sealed under). */
  private async forgetKeys (g: Group): Promise<void> {
    if (g.rekey != null) clearTimeout(g.rekey)
    g.keys.clear()
    g.pending.clear()
    g.early.clear()
    const bucket = groupKeyEpoch(this.#d.store, g.id).bucket
    const epochs = this.#d.store.epochs.list().filter(e => e.bucket === bucket).map(e => fromHex(e.id))
    await this.#d.store.eraseEpochs(epochs)
  }

  /** Messages a removal voids (signed by the removed member after their cutoff) go, everywhere they were shown. */
  private async purgeVoidedMessages (g: Group): Promise<void> {
    // Each removal's cutoff stands in every reign before it: read each author's messages past each cutoff once.
    const voiding = new Map<string, Map<number, Set<string>>>()
    for (const reign of g.state.reigns) {
      for (const [author, cutoff] of reign.cutoffs) {
        const byCutoff = voiding.get(author) ?? new Map<number, Set<string>>()
        voiding.set(author, byCutoff.set(cutoff, (byCutoff.get(cutoff) ?? new Set()).add(reign.op)))
      }
    }
    for (const [author, byCutoff] of voiding) {
      for (const [cutoff, keyOps] of byCutoff) {
        for (const p of await seqPointers(this.#d.store, g.id, author, cutoff + 1, Number.MAX_SAFE_INTEGER, 1000)) {
          const record = await getMessageAt(this.#d.store, p.messageKey)
          const e = record == null ? undefined : envelopeOf(record)
          if (record == null || e == null || !keyOps.has(toHex(e.keyOp))) continue
          const plan = removal(this.#d.store, { key: p.messageKey, record })
          await this.#d.store.rewrite(plan.rows, [...plan.extra, { type: 'del', key: p.pointer }])
          this.#d.events.emit('message.deleted', { id: record.id, with: g.id })
        }
      }
    }
  }

  private scheduleRekey (g: Group): void {
    if (this.#closed || g.rekey != null || g.state.currentKey != null || !g.state.members.has(this.#d.selfId)) return
    const delay = REKEY_DELAY_MS.min + Math.random() * (REKEY_DELAY_MS.max - REKEY_DELAY_MS.min)
    g.rekey = setTimeout(() => {
      g.rekey = undefined
      this.#lock.run(async () => {
        if (this.#closed || g.state.currentKey != null || g.record.status !== 'member') return
        await this.localNow(g, 'rekey', { rekey: {} })
      }).catch(err => { log.error('rekey failed - %e', err) })
    }, delay)
    g.rekey.unref()
  }

  /** A member handing me a key: kept if it is the one its op committed to, and mine to hold. */
  async receiveGrant (peer: string, grant: KeyGrant): Promise<void> {
    if (grant.group.length !== 16 || grant.keyOp.length !== 32 || grant.key.length !== 32) return
    const g = this.#groups.get(groupIdString(grant.group))
    if (g == null || !g.state.members.has(peer)) return
    await this.#lock.run(async () => {
      if (g.record.status !== 'member') return
      const keyOp = toHex(grant.keyOp)
      if (g.keys.has(keyOp)) return
      if (!g.ops.has(keyOp)) {
        if (g.early.size < MAX_EARLY_GRANTS) g.early.set(keyOp, grant.key)
        return
      }
      await this.takeKey(g, keyOp, grant.key)
    })
  }

  private async takeEarlyGrants (g: Group): Promise<void> {
    for (const [keyOp, key] of g.early) {
      if (!g.ops.has(keyOp)) continue
      g.early.delete(keyOp)
      await this.takeKey(g, keyOp, key)
    }
  }

  private async takeKey (g: Group, keyOp: string, key: Uint8Array<ArrayBuffer>): Promise<void> {
    const op = g.ops.get(keyOp)
    if (op == null || !constantTimeEqual(op.op.keyCheck, keyCheck(key))) {
      log('refused a group key that does not match its op')
      return
    }
    if (!entitled(g.state, keyOp, this.#d.selfId)) return
    const store = this.#d.store
    const spec = groupKeyEpoch(store, g.id)
    await store.withEpochs([spec], async ([epoch]) => {
      await store.batch(putGroupKey(store, g.id, keyOp, key, epoch!), { sync: true })
    })
    g.keys.set(keyOp, key)
    await this.retryPending(g)
    this.output.changed(g.id)
  }

  /** Envelopes from a member: checked, opened, and stored as messages of the group. */
  async receiveEnvelopes (peer: string, envelopes: GroupEnvelope[]): Promise<void> {
    const checked: CheckedEnvelope[] = []
    for (const e of envelopes) {
      // One I have seen costs no signature check (members may hand me the same message).
      const g = e.group.length === 16 ? this.#groups.get(groupIdString(e.group)) : undefined
      if (g != null && e.seq <= BigInt(Number.MAX_SAFE_INTEGER) && seenOf(g.record, this.peerOf(e.author)).has(Number(e.seq))) continue
      try {
        checked.push(await checkEnvelope(e))
      } catch (err) {
        if (!(err instanceof EnvelopeError)) throw err
        log('refused a group message: %s', err.message)
      }
    }
    const byGroup = new Map<string, CheckedEnvelope[]>()
    for (const e of checked) byGroup.set(e.group, [...(byGroup.get(e.group) ?? []), e])
    for (const [hex, list] of byGroup) {
      const g = this.#groups.get(`grp-${hex}`)
      if (g == null || !g.state.members.has(peer)) continue
      await this.#lock.run(async () => {
        if (g.record.status !== 'member') return
        await this.store(g, list)
      })
    }
  }

  private async retryPending (g: Group): Promise<void> {
    if (g.pending.size === 0) return
    const list = [...g.pending.values()]
    g.pending.clear()
    await this.store(g, list)
  }

  /** Under the lock: stores what can be opened now; keeps what waits for a key or an op. */
  private async store (g: Group, list: CheckedEnvelope[]): Promise<void> {
    const { store, events } = this.#d
    const now = this.#d.now()
    const records: Array<{ record: MessageRecord, e: CheckedEnvelope }> = []
    const seen = new Map<string, SeqSet>()
    const seenSet = (author: string): SeqSet => {
      let s = seen.get(author)
      if (s == null) {
        s = seenOf(g.record, author)
        seen.set(author, s)
      }
      return s
    }
    for (const e of list) {
      if (seenSet(e.author).has(e.seq)) continue
      const reign = reignOf(g.state, e.keyOp)
      const key = g.keys.get(e.keyOp)
      if (reign == null || key == null) {
        // Its op or its key is still on the way.
        if (g.pending.size < MAX_PENDING) g.pending.set(`${e.author}:${e.seq}`, e)
        continue
      }
      if (!accepts(g.state, e.keyOp, e.author, e.seq)) {
        log('refused a group message its author may not send')
        continue
      }
      let content
      try {
        content = openEnvelope(e.envelope, key)
      } catch (err) {
        log('refused a group message: %s', (err as Error).message)
        continue
      }
      const hlc = this.#d.clock.receive(e.hlc)
      seenSet(e.author).add(e.seq)
      records.push({
        e,
        record: {
          id: e.id,
          with: g.id,
          from: e.author,
          outgoing: e.author === this.#d.selfId,
          text: content.text,
          // The author's clock, so every member orders the group the same way.
          hlc: hlc.toString(),
          sentAt: HybridClock.millis(hlc),
          receivedAt: now,
          status: e.author === this.#d.selfId ? 'sent' : 'delivered',
          ...(content.expiresIn != null ? { expiresIn: content.expiresIn } : {}),
          envelope: Buffer.from(GroupEnvelope.encode(e.envelope)).toString('base64')
        }
      })
    }
    if (seen.size === 0 || records.length === 0) return
    const known = await hasMessages(store, records.map(r => r.record.id))
    const next = { ...g.record, seen: { ...g.record.seen } }
    for (const [author, set] of seen) next.seen[author] = set.toFlat()
    const fresh = records.filter((_, i) => known[i] !== true)
    const { specs, slot } = arrivalEpochs(store, g.id, fresh.map(f => f.record), now)
    await store.withEpochs(specs, async (epochs) => {
      const ops: BatchOp[] = [putGroup(store, next)]
      for (const [i, { record, e }] of fresh.entries()) {
        const rows = insertMessage(store, record, epochs[slot[i]!]!)
        ops.push(...rows, putSeq(store, g.id, e.author, e.seq, rows[0]!.key))
      }
      await store.batch(ops, { sync: true })
    })
    g.record = next
    for (const { record } of fresh) {
      events.emit('message.received', { id: record.id, from: record.from, text: record.text, sentAt: record.sentAt, group: g.id, ...(record.expiresIn != null ? { expiresIn: record.expiresIn } : {}) })
    }
    this.output.changed(g.id, [...new Set(fresh.map(f => f.e.author))])
  }

  /** Where a member was reached: kept so we can find them again. */
  async noteAddresses (peerId: string, addresses: string[]): Promise<void> {
    const lan = addresses.slice(0, 8)
    if (lan.length === 0) return
    await this.#lock.run(async () => {
      const batch: BatchOp[] = []
      for (const g of this.#groups.values()) {
        if (g.record.status !== 'member' || !g.state.members.has(peerId)) continue
        const had = g.record.addrs[peerId] ?? []
        if (had.length === lan.length && had.every((a, i) => a === lan[i])) continue
        g.record = { ...g.record, addrs: { ...g.record.addrs, [peerId]: lan } }
        batch.push(putGroup(this.#d.store, g.record))
      }
      await this.#d.store.batch(batch, { sync: false })
    })
  }
}

function withSeq (record: GroupRecord, author: string, seq: number): number[] {
  const set = seenOf(record, author)
  set.add(seq)
  return set.toFlat()
}

function encodeAddrs (addrs: string[]): Array<Uint8Array<ArrayBuffer>> {
  const out: Array<Uint8Array<ArrayBuffer>> = []
  for (const a of addrs.slice(0, OP_LIMITS.addrs)) {
    try {
      const bytes = multiaddr(a).bytes
      if (bytes.length <= OP_LIMITS.addrBytes) out.push(owned(bytes))
    } catch {
      // Not an address: left out.
    }
  }
  return out
}
