/**
 * Group membership as a set of signed changes ("ops"), and the one state
 * every member derives from them.
 *
 * Each op names the ops its author had seen (deps), so the ops form a DAG
 * rooted at the group's create op (whose hash is the group's id). Every
 * member sorts the DAG the same way (deps first; ties by clock, then id)
 * and folds it into a state: who is in, who is admin, which key is current.
 * An op that breaks a rule at its place in that order (a non-admin adding
 * someone, a former member acting) is skipped, by everyone alike.
 *
 * Removals win over what their target did concurrently: the target's ops
 * that neither caused nor followed the removal are void. So a removed
 * admin cannot strike back by back-dating an op to before its removal.
 * When two admins remove each other concurrently, the one who has been in
 * the group longer prevails.
 *
 * Keys: the create op and every add, removal and rekey bring a new group
 * key. A key's reign lasts until the next one; the members at its start are
 * entitled to it, and no one else. A key is "clean" when every removal
 * before it in the order is among its causes (its author knew of them, so
 * did not hand it to anyone removed). New messages are sealed with the last
 * key if it is clean and nobody left after it; otherwise a member must
 * rekey first.
 */
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { displayNameSchema, MAX_GROUP_MEMBERS, TIMER_CHOICES } from '../../../shared/api.js'
import { concat, toHex, utf8 } from '../bytes.js'
import { sha256 } from '../crypto/index.js'
import { isLanMultiaddr } from '../node/lan.js'
import { GroupOp } from './pb/group.js'

export const GROUP_ID_BYTES = 16
/** Bounds on what one op may carry, and on a group's ops. */
export const OP_LIMITS = { deps: 64, createMembers: MAX_GROUP_MEMBERS - 1, addrs: 8, addrBytes: 128, opsPerGroup: 1024 }

const OP_DOMAIN = utf8.encode('hearth/group-op/1')
const GROUP_ID_DOMAIN = utf8.encode('hearth/group-id/1')
const KEY_DOMAIN = utf8.encode('hearth/group-key/1')

export type OpKind = 'create' | 'add' | 'remove' | 'promote' | 'leave' | 'rename' | 'rekey' | 'timer'
const KEY_OPS: ReadonlySet<OpKind> = new Set(['create', 'add', 'remove', 'rekey'])

/** An op as received: checked, with its id and author. */
export interface CheckedOp {
  id: string
  group: string
  author: string
  hlc: bigint
  deps: string[]
  kind: OpKind
  /** For add, remove and promote: whom it is about. */
  target?: string
  /** For a create, its members' peer ids in its order (parsed once, not at every fold); else none. */
  members: string[]
  op: GroupOp
}

export class GroupOpError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'GroupOpError'
  }
}

function unsigned (op: GroupOp): Uint8Array {
  return GroupOp.encode({ ...op, signature: new Uint8Array(0) })
}

/** An op's id: SHA-256 of its unsigned encoding. */
export function opId (op: GroupOp): string {
  return toHex(sha256(unsigned(op)))
}

/** A group's id, from its create op (which carries it, so it is bound to it). */
export function groupIdOf (create: GroupOp): Uint8Array {
  return sha256(concat(GROUP_ID_DOMAIN, GroupOp.encode({ ...create, group: new Uint8Array(0), signature: new Uint8Array(0) }))).subarray(0, GROUP_ID_BYTES)
}

function kindOf (op: GroupOp): OpKind | undefined {
  if (op.create != null) return 'create'
  if (op.add != null) return 'add'
  if (op.remove != null) return 'remove'
  if (op.promote != null) return 'promote'
  if (op.leave != null) return 'leave'
  if (op.rename != null) return 'rename'
  if (op.rekey != null) return 'rekey'
  if (op.timer != null) return 'timer'
  return undefined
}

export function peerFromBytes (bytes: Uint8Array): PeerId {
  return peerIdFromMultihash(Digest.decode(bytes))
}

export function bringsKey (kind: OpKind): boolean {
  return KEY_OPS.has(kind)
}

/** The commitment to a group key that the op bringing it carries. */
export function keyCheck (key: Uint8Array): Uint8Array {
  return sha256(concat(KEY_DOMAIN, key))
}

export async function signOp (key: PrivateKey, op: GroupOp): Promise<GroupOp> {
  return { ...op, signature: new Uint8Array(await key.sign(concat(OP_DOMAIN, unsigned(op)))) }
}

function memberId (bytes: Uint8Array): string {
  let id: PeerId
  try {
    id = peerFromBytes(bytes)
  } catch {
    throw new GroupOpError('bad member id')
  }
  if (id.type !== 'Ed25519') throw new GroupOpError('a member must be an Ed25519 identity')
  return id.toString()
}

/**
 * The author named by `authorBytes`, if it is an Ed25519 identity whose
 * signature over `signed` is `signature`; else throws what `fail` makes.
 */
export async function signedBy (authorBytes: Uint8Array, signed: Uint8Array, signature: Uint8Array, fail: (reason: string) => Error): Promise<PeerId> {
  let author: PeerId
  try {
    author = peerFromBytes(authorBytes)
  } catch {
    throw fail('bad author id')
  }
  if (author.type !== 'Ed25519' || author.publicKey == null) throw fail('the author is not an Ed25519 identity')
  let valid: boolean
  try {
    valid = await author.publicKey.verify(signed, signature)
  } catch {
    valid = false
  }
  if (!valid) throw fail('bad signature')
  return author
}

/** Checks an op's shape and signature; throws GroupOpError, never anything else. */
export async function checkOp (op: GroupOp): Promise<CheckedOp> {
  if (op.group.length !== GROUP_ID_BYTES) throw new GroupOpError('bad group id')
  if (op.deps.length > OP_LIMITS.deps || op.deps.some(d => d.length !== 32)) throw new GroupOpError('bad deps')
  if (new Set(op.deps.map(toHex)).size !== op.deps.length) throw new GroupOpError('repeated deps')
  if (op.hlc === 0n) throw new GroupOpError('an op with no clock')
  const kind = kindOf(op)
  if (kind == null) throw new GroupOpError('an op with no body')
  if (kind === 'create') {
    if (op.deps.length > 0) throw new GroupOpError('a create has no deps')
    if (toHex(groupIdOf(op)) !== toHex(op.group)) throw new GroupOpError('the group id is not this create op\'s')
    if (op.create!.members.length > OP_LIMITS.createMembers) throw new GroupOpError('too many members')
  } else if (op.deps.length === 0) {
    throw new GroupOpError('only a create has no deps')
  }
  const ids: string[] = []
  for (const m of [...(op.create?.members ?? []), op.add, op.remove, op.promote]) {
    if (m == null) continue
    ids.push(memberId(m.peer))
    if (m.addrs.length > OP_LIMITS.addrs || m.addrs.some(a => a.length > OP_LIMITS.addrBytes)) throw new GroupOpError('too many or too long addresses')
  }
  if (bringsKey(kind) !== (op.keyCheck.length === 32)) throw new GroupOpError(bringsKey(kind) ? 'a key op needs its key check' : 'only key ops carry a key check')
  const author = await signedBy(op.author, concat(OP_DOMAIN, unsigned(op)), op.signature, reason => new GroupOpError(reason))
  const about = op.add ?? op.remove ?? op.promote
  return {
    id: opId(op),
    group: toHex(op.group),
    author: author.toString(),
    hlc: op.hlc,
    deps: op.deps.map(toHex),
    kind,
    ...(about != null ? { target: memberId(about.peer) } : {}),
    members: kind === 'create' ? ids.slice(0, op.create!.members.length) : [],
    op
  }
}

/** The LAN addresses an op gives for a member, as strings (anything else is dropped). */
export function memberAddrs (addrs: Uint8Array[]): string[] {
  const out: string[] = []
  for (const bytes of addrs) {
    try {
      const ma = multiaddr(bytes)
      if (isLanMultiaddr(ma)) out.push(ma.toString())
    } catch {
      // Not a multiaddr: ignored.
    }
  }
  return out
}

export interface MemberState {
  peerId: string
  /** The label the admin who added them gave ('' for the creator). */
  name: string
  admin: boolean
  addrs: string[]
  /** Position in the order at which they joined: lower is more senior. */
  since: number
  /** Who added them (the creator for the first members). */
  addedBy: string
}

export interface KeyReign {
  /** The op that introduced the key. */
  op: string
  author: string
  /** The members when the key came in: the only ones who may hold it. */
  entitled: Set<string>
  clean: boolean
  /**
   * Members removed (or who left) after this key came in, and the last of
   * their sequence numbers that counts: later messages from them under
   * this key are refused.
   */
  cutoffs: Map<string, number>
}

/** What a group looks like once its ops are applied, in order. */
export interface GroupState {
  groupId: string
  name: string
  timer: number
  createdBy: string
  members: Map<string, MemberState>
  /** Former members and what they were called. */
  former: Map<string, string>
  /** Every op placed in the order (applied or not). */
  order: CheckedOp[]
  applied: Set<string>
  /** Ops voided by a concurrent removal of their author, and removals and adds their author could not make where they stood. */
  voided: Set<string>
  reigns: KeyReign[]
  /** The key to seal new messages with; undefined while a rekey is needed. */
  currentKey?: string
  /** Ops that cannot be placed yet (a dep is missing). */
  waiting: CheckedOp[]
  /** Ops nobody depends on: what a new op names as its deps. */
  heads: string[]
}

function compareOps (a: CheckedOp, b: CheckedOp): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Deps first; among ops ready at once, by clock, then id. */
function topoOrder (byId: Map<string, CheckedOp>): { order: CheckedOp[], waiting: CheckedOp[] } {
  const children = new Map<string, string[]>()
  const missing = new Map<string, number>()
  const unplaceable = new Set<string>()
  for (const op of byId.values()) {
    let n = 0
    for (const d of op.deps) {
      if (!byId.has(d)) unplaceable.add(op.id)
      n++
      const list = children.get(d)
      if (list == null) children.set(d, [op.id])
      else list.push(op.id)
    }
    missing.set(op.id, n)
  }
  // Only one create can be the root: the one whose hash is the group id (checked on receipt).
  const ready = [...byId.values()].filter(op => missing.get(op.id) === 0 && op.kind === 'create')
  const order: CheckedOp[] = []
  while (ready.length > 0) {
    ready.sort(compareOps)
    const next = ready.shift()!
    order.push(next)
    for (const c of children.get(next.id) ?? []) {
      const left = (missing.get(c) ?? 0) - 1
      missing.set(c, left)
      if (left === 0 && !unplaceable.has(c)) ready.push(byId.get(c)!)
    }
  }
  const placed = new Set(order.map(o => o.id))
  return { order, waiting: [...byId.values()].filter(op => !placed.has(op.id)) }
}

function label (name: string): string {
  return displayNameSchema.safeParse(name).data ?? 'Unnamed'
}

interface Linear {
  members: Map<string, MemberState>
  former: Map<string, string>
  applied: Set<string>
  name: string
  timer: number
  createdBy: string
  reigns: Array<KeyReign & { index: number }>
  /** Applied removals and leaves: their position, target and cutoff. */
  removals: Array<{ index: number, id: string, target: string, cutoff: number }>
  /** Removals and leaves that did not apply only because their target was gone already. */
  redundant: Set<string>
}

/** Applies ops in the given order, skipping `skip`; each op is checked against the state before it. */
function applyInOrder (order: CheckedOp[], skip: ReadonlySet<string>): Linear {
  const s: Linear = { members: new Map(), former: new Map(), applied: new Set(), name: '', timer: 0, createdBy: '', reigns: [], removals: [], redundant: new Set() }
  let created = false
  const isAdmin = (peer: string): boolean => s.members.get(peer)?.admin === true
  const startReign = (op: CheckedOp, index: number): void => {
    s.reigns.push({ op: op.id, author: op.author, index, entitled: new Set(s.members.keys()), clean: true, cutoffs: new Map() })
  }
  const join = (peer: string, name: string, addrs: Uint8Array[], index: number, by: string): void => {
    s.former.delete(peer)
    s.members.set(peer, { peerId: peer, name: label(name), admin: false, addrs: memberAddrs(addrs), since: index, addedBy: by })
  }
  const depart = (peer: string, index: number, op: CheckedOp, cutoff: bigint): void => {
    const m = s.members.get(peer)
    s.members.delete(peer)
    s.former.set(peer, m?.name ?? '')
    s.removals.push({ index, id: op.id, target: peer, cutoff: Number(cutoff > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : cutoff) })
  }

  for (const [index, op] of order.entries()) {
    if (skip.has(op.id)) continue
    const apply = (): boolean => {
      if (op.kind === 'create') {
        if (created) return false
        created = true
        const c = op.op.create!
        s.name = label(c.name)
        s.createdBy = op.author
        s.members.set(op.author, { peerId: op.author, name: '', admin: true, addrs: [], since: -1, addedBy: op.author })
        for (const [i, m] of c.members.entries()) {
          const peer = op.members[i]!
          if (s.members.has(peer) || s.members.size >= MAX_GROUP_MEMBERS) continue
          join(peer, m.name, m.addrs, index, op.author)
        }
        startReign(op, index)
        return true
      }
      if (op.kind === 'leave' && s.former.has(op.author)) s.redundant.add(op.id)
      if (!created || !s.members.has(op.author)) return false
      const target = op.target ?? ''
      switch (op.kind) {
        case 'add':
          if (!isAdmin(op.author) || s.members.has(target) || s.members.size >= MAX_GROUP_MEMBERS) return false
          join(target, op.op.add!.name, op.op.add!.addrs, index, op.author)
          startReign(op, index)
          return true
        case 'remove':
          if (!isAdmin(op.author) || target === op.author) return false
          if (!s.members.has(target)) {
            if (s.former.has(target)) s.redundant.add(op.id)
            return false
          }
          depart(target, index, op, op.op.remove!.cutoff)
          startReign(op, index)
          return true
        case 'promote': {
          const m = s.members.get(target)
          if (!isAdmin(op.author) || m == null || m.admin) return false
          m.admin = true
          return true
        }
        case 'leave':
          depart(op.author, index, op, op.op.leave!.cutoff)
          return true
        case 'rename':
          s.name = label(op.op.rename!.name)
          return true
        case 'rekey':
          startReign(op, index)
          return true
        case 'timer':
          if (!(TIMER_CHOICES as readonly number[]).includes(op.op.timer!.seconds)) return false
          s.timer = op.op.timer!.seconds
          return true
      }
    }
    if (!apply()) continue
    s.applied.add(op.id)
    // A group never lacks an admin while it has members: the longest-standing member steps up.
    if (s.members.size > 0 && ![...s.members.values()].some(m => m.admin)) {
      const senior = [...s.members.values()].sort((a, b) => a.since - b.since || (a.peerId < b.peerId ? -1 : 1))[0]
      if (senior != null) senior.admin = true
    }
  }
  return s
}

/**
 * Sorts the ops and applies them, voiding what removed members did
 * concurrently with their removal. Pure: the same ops give the same state,
 * on every member.
 */
export function fold (groupId: string, ops: Iterable<CheckedOp>): GroupState {
  const byId = new Map<string, CheckedOp>()
  for (const op of ops) if (op.group === groupId) byId.set(op.id, op)
  const { order, waiting } = topoOrder(byId)

  const ancestors = new Map<string, Set<string>>()
  const ancestorsOf = (id: string): Set<string> => {
    let known = ancestors.get(id)
    if (known != null) return known
    // Iterative, so a long chain of ops cannot overflow the stack.
    known = new Set<string>()
    const stack = [...(byId.get(id)?.deps ?? [])]
    while (stack.length > 0) {
      const d = stack.pop()!
      if (known.has(d)) continue
      known.add(d)
      const cached = ancestors.get(d)
      if (cached != null) {
        for (const a of cached) known.add(a)
        continue
      }
      stack.push(...(byId.get(d)?.deps ?? []))
    }
    ancestors.set(id, known)
    return known
  }
  const concurrent = (a: CheckedOp, b: CheckedOp): boolean => a.id !== b.id && !ancestorsOf(a.id).has(b.id) && !ancestorsOf(b.id).has(a.id)

  // Seniority: the creator first, then the first members, then by the place
  // of the add that brought each member in (only adds that took effect count).
  const plain = applyInOrder(order, new Set())
  const joined = new Map<string, number>()
  for (const [i, o] of order.entries()) {
    if (!plain.applied.has(o.id)) continue
    if (o.kind === 'create') {
      joined.set(o.author, -1)
      for (const peer of o.members) if (!joined.has(peer)) joined.set(peer, i)
    } else if (o.kind === 'add' && !joined.has(o.target!)) {
      joined.set(o.target!, i)
    }
  }
  // Who prevails in a conflict: the more senior; between equals, the lower
  // peer id (a fixed order, which no one can change by back-dating an op).
  const outranks = (a: string, b: string): number => (joined.get(a) ?? Infinity) - (joined.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0)
  const targetOf = (r: CheckedOp): string => r.kind === 'leave' ? r.author : r.target!
  const byAuthor = new Map<string, CheckedOp[]>()
  for (const o of order) byAuthor.set(o.author, [...(byAuthor.get(o.author) ?? []), o])

  /**
   * Which ops of `sub` (ops closed under their causes, in order) are void.
   * A removal counts only if it took effect where its author stood (in the
   * fold of its own causes, voids and all); one that did not is void. One
   * that counts, and takes effect here or finds its target gone already,
   * voids what its target did concurrently. A removal waits for those of
   * its author to be settled first; removals that remove each other are
   * settled by rank.
   */
  const voidsMemo = new Map<string, Set<string>>()
  const voidsOf = (sub: CheckedOp[], memoKey?: string): Set<string> => {
    if (memoKey != null) {
      const known = voidsMemo.get(memoKey)
      if (known != null) return known
    }
    const removals = sub.filter(o => o.kind === 'remove' || o.kind === 'leave')
    // A removal or an add its author could not make where they stood (a
    // stale or hostile view) is void itself, whatever its place in the
    // order: so an add races no removal it did not see.
    const unfounded = sub.filter(o => (o.kind === 'remove' || o.kind === 'leave' || o.kind === 'add') && !standsAt(o)).map(o => o.id)
    let candidates = removals.filter(o => standsAt(o))
    let voided = new Set<string>()
    for (let round = 0; round < 8; round++) {
      voided = settle(candidates)
      for (const id of unfounded) voided.add(id)
      // A removal that did not apply for want of standing counts no more;
      // one whose target was gone already still does.
      const { applied, redundant } = applyInOrder(sub, voided)
      const kept = candidates.filter(r => voided.has(r.id) || applied.has(r.id) || redundant.has(r.id))
      if (kept.length === candidates.length) break
      candidates = kept
    }
    if (memoKey != null) voidsMemo.set(memoKey, voided)
    return voided
  }
  const settle = (candidates: CheckedOp[]): Set<string> => {
    const voided = new Set<string>()
    const undecided = new Set(candidates)
    const against = new Map<string, Set<CheckedOp>>()
    for (const q of candidates) {
      const t = targetOf(q)
      against.set(t, (against.get(t) ?? new Set()).add(q))
    }
    const waitsOn = (r: CheckedOp): boolean => [...(against.get(r.author) ?? [])].some(q => q !== r && concurrent(q, r))
    const decide = (r: CheckedOp): void => {
      undecided.delete(r)
      against.get(targetOf(r))?.delete(r)
    }
    while (undecided.size > 0) {
      // A removal voided already is settled: it voids nothing, and no one waits on it.
      for (const r of undecided) if (voided.has(r.id)) decide(r)
      if (undecided.size === 0) break
      let ready = [...undecided].filter(r => !waitsOn(r))
      if (ready.length === 0) {
        // Removals that remove each other (a cycle): the highest-ranked
        // author's prevail, over every removal of them they waited on. An
        // author's own leave comes before their other removals (it voids
        // them), so no clock picks which of them counts.
        const author = [...undecided].map(r => r.author).sort(outranks)[0]!
        const theirs = [...undecided].filter(r => r.author === author)
        const leave = theirs.filter(r => r.kind === 'leave').sort((x, y) => (x.id < y.id ? -1 : 1))[0]
        ready = leave != null ? [leave] : theirs
        for (const r of ready) for (const q of against.get(author) ?? []) if (q !== r && concurrent(q, r)) voided.add(q.id)
      }
      for (const r of ready) {
        decide(r)
        if (voided.has(r.id)) continue
        for (const o of byAuthor.get(targetOf(r)) ?? []) if (concurrent(o, r)) voided.add(o.id)
      }
    }
    return voided
  }
  /** Whether a removal or an add took effect where its author stood: in the fold of its causes. */
  const standsMemo = new Map<string, boolean>()
  const standsAt = (r: CheckedOp): boolean => {
    let known = standsMemo.get(r.id)
    if (known != null) return known
    const causes = ancestorsOf(r.id)
    const before = order.filter(o => causes.has(o.id))
    known = applyInOrder([...before, r], voidsOf(before, r.id)).applied.has(r.id)
    standsMemo.set(r.id, known)
    return known
  }
  const voided = voidsOf(order)

  const s = applyInOrder(order, voided)
  for (const reign of s.reigns) {
    const op = byId.get(reign.op)!
    // Its own removal, if it is one, its author knew of.
    reign.clean = s.removals.every(r => r.index >= reign.index || ancestorsOf(op.id).has(r.id))
    for (const r of s.removals) {
      if (r.index <= reign.index) continue
      const had = reign.cutoffs.get(r.target)
      if (had == null || r.cutoff < had) reign.cutoffs.set(r.target, r.cutoff)
    }
  }
  const last = s.reigns.at(-1)
  const leftSince = last != null && s.removals.some(r => r.index > last.index)
  const depended = new Set(order.flatMap(o => o.deps))
  return {
    groupId,
    name: s.name,
    timer: s.timer,
    createdBy: s.createdBy,
    members: s.members,
    former: s.former,
    order,
    applied: s.applied,
    voided,
    reigns: s.reigns.map(({ index: _index, ...r }) => r),
    ...(last != null && last.clean && !leftSince && s.members.size > 0 ? { currentKey: last.op } : {}),
    waiting,
    heads: order.filter(o => !depended.has(o.id)).map(o => o.id)
  }
}

/** The reign of a key, if the key is one this group knows. */
export function reignOf (state: GroupState, keyOp: string): KeyReign | undefined {
  return state.reigns.find(r => r.op === keyOp)
}

/** Whether `peer` may hold the key of `keyOp`. */
export function entitled (state: GroupState, keyOp: string, peer: string): boolean {
  return reignOf(state, keyOp)?.entitled.has(peer) === true
}

/** Whether a message by `author` with sequence number `seq`, sealed under `keyOp`, counts. */
export function accepts (state: GroupState, keyOp: string, author: string, seq: number): boolean {
  const reign = reignOf(state, keyOp)
  if (reign == null || !reign.entitled.has(author)) return false
  const cutoff = reign.cutoffs.get(author)
  return cutoff == null || seq <= cutoff
}
