/**
 * Groups, with every member an in-process peer on 127.0.0.1: fan-out
 * latency (one member sends, one message at a time, until every other
 * member holds it, and until the sender's receipts say so), what a group
 * costs as it grows (CPU, bytes on the wire, RSS), every member sending at
 * once, and catch-up of a member who was away. Every peer is closed and
 * every temp dir removed before this returns, even when a step fails.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { rm } from 'node:fs/promises'
import type { Socket } from 'node:net'
import type { Events } from '../src/shared/api.js'
import { befriend, openPeer, restartPeer, type TestPeer } from '../test/fixtures/peers.js'
import type { Resources } from './resources.js'
import type { Section, Row } from './report.js'
import { fmtMiB, fmtMs, fmtRate, max, median, percentile, rssNow } from './stats.js'

interface GroupOptions {
  /** Group sizes, creator included, smallest first. */
  sizes: readonly number[]
  /** Sizes whose fan-out gets p95 and max (and more sends). */
  detailed: readonly number[]
  warmup: number
  /** Sends timed per size... */
  sends: number
  /** ...and per detailed size. */
  detailedSends: number
  /** A send not held by every member (or not receipted) within this long counts as stalled; the next one goes. */
  stallMs: number
  /** One member coming online is given up after this long (it has the group and links to everyone online)... */
  joinMs: number
  /** ...and forming the whole group (everyone has it, everyone connected to everyone) after this long. */
  formMs: number
  /** In the catch-up's group, before the catch-up: every member sends its share of these at once. */
  burstMessages: number
  catchUp: {
    /** The size of the group (a fresh one, after the others) in which one member is away; the burst is in it too. */
    size: number
    messages: number
    /** Catch-up is given up after this long without a new message arriving. */
    idleMs: number
  }
}

/** Times since `messages.send` was called, in ms; undefined when it did not happen within stallMs. */
interface FanoutTrip {
  stored: number
  /** The sender's message.status said 'sent': its pushes to the connected members were written, and that status stored. */
  sent?: number
  /** The first other member emitted message.received. */
  first?: number
  /** Every other member had. */
  all?: number
  /** The sender's message.status said receipts.delivered === n - 1. */
  delivered?: number
}

interface SizeResult {
  size: number
  /** From groups.create until every member had the group and every pair of members was connected (NaN: not within formMs). */
  formedMs: number
  /** Pairs of members connected when forming ended. */
  pairs: { connected: number, of: number }
  trips: FanoutTrip[]
  /** CPU time of the whole process (every peer) per timed send, user + system. */
  cpuMsPerSend: number
  /** Bytes written to TCP sockets (Noise and Yamux framing included, TCP/IP headers not) per timed send, by every peer. */
  bytesPerSend: number
  /** RSS after gc with the group formed and the sends done; and before its peers were opened. */
  rss: number
  rssBefore: number
}

interface CatchUpResult {
  size: number
  messages: number
  /** Sending them: the online members one at a time, in turn. */
  sendMs: number
  /** Until every online member held them all. */
  spreadMs: number
  /** Hearth.open of the member who was away. */
  openMs: number
  /** From Hearth.open resolving until the first, and the last, of the messages arrived (NaN: never). */
  firstMs: number
  allMs: number
  /** How many of them it held in the end (messages.list). */
  held: number
  /** Bytes written to TCP by every peer from the restart until it held them all. */
  bytes: number
}

interface BurstResult {
  size: number
  messages: number
  /** Until every messages.send call had returned. */
  sendMs: number
  /** Until every member held every other member's messages (NaN: not within idleMs of the last arrival). */
  allMs: number
  cpuMs: number
  bytes: number
}

export interface GroupResult {
  sizes: SizeResult[]
  burst?: BurstResult
  catchUp?: CatchUpResult
  /** What gave up or was slow, for the notes. */
  problems: string[]
}

/** The figures the group section is set against, from the chat measured in the same run. */
interface GroupReference {
  /** 1:1 messages.send to the 'delivered' status, p50. */
  chatDeliveredMs: number
  /** 1:1 messages.send to message.received at the other peer, p50. */
  chatReceivedMs: number
  rawRoundTripMs: number
  /** 1:1 pipelined burst, messages a second until all delivered. */
  chatBurstRate: number
  /** The goal: a 16-member group's delivery to all within this many times chatDeliveredMs. */
  factor: number
}

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, Math.max(0, ms)))

/** Members come online at most this often while a group forms: a node takes 5 new connections a second from one host. */
const JOIN_GAP_MS = 250

function cpuMs (since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since)
  return (d.user + d.system) / 1000
}

/**
 * Bytes every TCP socket of this process wrote, from Node's own counters:
 * the diagnostics channels name each socket as it is made.
 */
class ByteMeter {
  readonly #live = new Set<Socket>()
  #closedBytes = 0
  readonly #onSocket = (message: unknown): void => {
    const socket = (message as { socket?: Socket }).socket
    if (socket == null) return
    this.#live.add(socket)
    socket.once('close', () => {
      this.#closedBytes += socket.bytesWritten
      this.#live.delete(socket)
    })
  }

  start (): void {
    subscribe('net.client.socket', this.#onSocket)
    subscribe('net.server.socket', this.#onSocket)
  }

  stop (): void {
    unsubscribe('net.client.socket', this.#onSocket)
    unsubscribe('net.server.socket', this.#onSocket)
  }

  total (): number {
    let n = this.#closedBytes
    for (const s of this.#live) n += s.bytesWritten
    return n
  }
}

/** When each message reached each member, and when its sender's receipts counted every recipient. */
class GroupTimeline {
  readonly #received = new Map<string, { first: number, last: number, by: Set<TestPeer> }>()
  readonly #delivered = new Map<string, number>()
  readonly #sent = new Map<string, number>()
  readonly #off: Array<() => void> = []
  readonly #wake = new Set<() => void>()
  readonly #recipients: number

  constructor (groupId: string, sender: TestPeer, others: readonly TestPeer[]) {
    this.#recipients = others.length
    for (const p of others) {
      this.#off.push(p.hearth.events.on('message.received', (e: Events['message.received']) => {
        if (e.group !== groupId || e.kind === 'system') return
        const now = performance.now()
        const r = this.#received.get(e.id)
        if (r == null) this.#received.set(e.id, { first: now, last: now, by: new Set([p]) })
        else if (!r.by.has(p)) {
          r.last = now
          r.by.add(p)
        }
        this.#poke()
      }))
    }
    this.#off.push(sender.hearth.events.on('message.status', (e: Events['message.status']) => {
      if (e.with !== groupId) return
      if (e.status === 'sent' && !this.#sent.has(e.id)) this.#sent.set(e.id, performance.now())
      if (this.#delivered.has(e.id) || (e.receipts?.delivered ?? 0) < this.#recipients) return
      this.#delivered.set(e.id, performance.now())
      this.#poke()
    }))
  }

  #poke (): void {
    for (const wake of this.#wake) wake()
  }

  off (): void {
    for (const off of this.#off) off()
  }

  #done (id: string): boolean {
    return (this.#received.get(id)?.by.size ?? 0) >= this.#recipients && this.#delivered.has(id)
  }

  /** Waits until every recipient holds `id` and the sender's receipts say so, or `stallMs`. */
  async settle (id: string, stallMs: number): Promise<void> {
    if (this.#done(id)) return
    await new Promise<void>(resolve => {
      const finish = (): void => {
        clearTimeout(timer)
        this.#wake.delete(check)
        resolve()
      }
      const check = (): void => { if (this.#done(id)) finish() }
      const timer = setTimeout(finish, stallMs)
      this.#wake.add(check)
    })
  }

  trip (id: string, t0: number, stored: number): FanoutTrip {
    const r = this.#received.get(id)
    const delivered = this.#delivered.get(id)
    const sent = this.#sent.get(id)
    return {
      stored,
      ...(sent != null ? { sent: sent - t0 } : {}),
      ...(r != null ? { first: r.first - t0 } : {}),
      ...(r != null && r.by.size >= this.#recipients ? { all: r.last - t0 } : {}),
      ...(delivered != null ? { delivered: delivered - t0 } : {})
    }
  }
}

/** A peer that may be restarted: the deferred close reaches whichever Hearth is current. */
interface Member { current: TestPeer }

async function openMembers (resources: Resources, size: number, tag: string): Promise<{ members: Member[], dirs: string[] }> {
  const members: Member[] = []
  const dirs: string[] = []
  // A few at a time: each open starts a libp2p node and a store.
  for (let i = 0; i < size; i += 8) {
    const batch = await Promise.all(Array.from({ length: Math.min(8, size - i) }, async (_, j) => {
      const dir = await resources.tempDir(`${tag}-m${i + j}`)
      const member: Member = { current: await openPeer(dir, `Member ${i + j}`) }
      resources.defer(`close group member ${i + j} of ${tag}`, async () => member.current.hearth.close())
      return { member, dir }
    }))
    for (const { member, dir } of batch) {
      members.push(member)
      dirs.push(dir)
    }
  }
  return { members, dirs }
}

/** Closes every member and removes their dirs now (the Resources steps stay as a safety net, and find nothing left). */
async function closeMembers (members: readonly Member[], dirs: readonly string[]): Promise<void> {
  await Promise.all(members.map(async m => m.current.hearth.close()))
  await Promise.all(dirs.map(async d => rm(d, { recursive: true, force: true })))
}

/** Pairs of members connected to each other, counted from each side's groups.members. */
async function connectedPairs (members: readonly Member[], groupId: string): Promise<{ connected: number, of: number, everyoneHasIt: boolean }> {
  let links = 0
  let everyoneHasIt = true
  for (const m of members) {
    let list
    try {
      list = await m.current.hearth.api['groups.members']({ groupId })
    } catch {
      everyoneHasIt = false
      continue
    }
    if (list.length !== members.length) everyoneHasIt = false
    links += list.filter(x => !x.you && x.online).length
  }
  const of = members.length * (members.length - 1) / 2
  // A pair counts when both ends see the link.
  return { connected: Math.floor(links / 2), of, everyoneHasIt }
}

/**
 * The creator (member 0) befriends everyone (only contacts can be put in a
 * group), creates the group while the others are closed, and they come
 * online one after another: the next starts once the last holds the group
 * and is connected to everyone online, and JOIN_GAP_MS after it at least.
 *
 * Why not all at once: every peer here is the same host, 127.0.0.1, and a
 * node takes at most 5 new connections a second and 2 in the handshake from
 * one host. Members who all learn of the group at once all dial each other
 * at once, most dials are refused, and the links back off (2, 4, 8... s):
 * 16 members took about 40 s to connect every pair. On a LAN each member is
 * its own host.
 */
async function formGroup (members: Member[], options: GroupOptions, problems: string[]): Promise<{ groupId: string, formedMs: number, pairs: { connected: number, of: number } }> {
  const creator = members[0]!.current
  // Each member invites the creator, not the other way round: no one peer
  // redeems more than one invite (redemptions are rate-limited too).
  for (const m of members.slice(1)) await befriend(m.current, creator)
  await Promise.all(members.slice(1).map(async m => m.current.hearth.close()))
  const { groupId } = await creator.hearth.api['groups.create']({ name: `Bench ${members.length}`, members: members.slice(1).map(m => m.current.hearth.peerId) })
  const t0 = performance.now()
  const slow: string[] = []
  let lastJoin = Number.NEGATIVE_INFINITY
  for (let k = 1; k < members.length; k++) {
    // Each joiner dials the creator: more than 5 a second would be refused.
    await sleep(lastJoin + JOIN_GAP_MS - performance.now())
    const j0 = lastJoin = performance.now()
    const m = members[k]!
    m.current = await restartPeer(m.current)
    for (;;) {
      const links = await linksOf(m.current, groupId)
      if (links >= k) break
      if (performance.now() - j0 > options.joinMs) {
        slow.push(`member ${k} gave up after ${fmtMs(options.joinMs)} with ${Math.max(0, links)}/${k} links`)
        break
      }
      await sleep(5)
    }
    const took = performance.now() - j0
    if (took > 1_000) slow.push(`member ${k} ${fmtMs(took)}`)
  }
  const deadline = t0 + options.formMs
  for (;;) {
    const state = await connectedPairs(members, groupId)
    if (state.everyoneHasIt && state.connected === state.of) {
      if (slow.length > 0) problems.push(`group of ${members.length}: joins over 1 s (a refused or retried dial; see the forming note): ${slow.join(', ')}`)
      return { groupId, formedMs: performance.now() - t0, pairs: state }
    }
    if (performance.now() > deadline) {
      problems.push(`group of ${members.length}: not formed within ${fmtMs(options.formMs)} (${state.connected} of ${state.of} member pairs connected); the sends went ahead`)
      return { groupId, formedMs: Number.NaN, pairs: state }
    }
    await sleep(20)
  }
}

/** Fellow members a peer is connected to, as its groups.members says; -1 while it does not have the group. */
async function linksOf (peer: TestPeer, groupId: string): Promise<number> {
  try {
    return (await peer.hearth.api['groups.members']({ groupId })).filter(x => !x.you && x.online).length
  } catch {
    return -1
  }
}

async function timeSends (sender: TestPeer, others: readonly TestPeer[], groupId: string, count: number, stallMs: number, label: string): Promise<FanoutTrip[]> {
  const timeline = new GroupTimeline(groupId, sender, others)
  try {
    const trips: FanoutTrip[] = []
    for (let i = 0; i < count; i++) {
      const t0 = performance.now()
      const { id } = await sender.hearth.api['messages.send']({ to: groupId, text: `${label} ${String(i).padStart(5, '0')}: hello, group` })
      const stored = performance.now() - t0
      await timeline.settle(id, stallMs)
      trips.push(timeline.trip(id, t0, stored))
    }
    return trips
  } finally {
    timeline.off()
  }
}

/** Total group text messages each peer holds, counted from its message.received events. */
function countReceived (peer: TestPeer, groupId: string): { count: () => number, off: () => void, lastAt: () => number, firstAt: () => number } {
  let count = 0
  let first = Number.NaN
  let last = Number.NaN
  const off = peer.hearth.events.on('message.received', (e: Events['message.received']) => {
    if (e.group !== groupId || e.kind === 'system') return
    count++
    last = performance.now()
    if (Number.isNaN(first)) first = last
  })
  return { count: () => count, off, lastAt: () => last, firstAt: () => first }
}

/** Waits until `done()` or until `progress()` has not moved for idleMs; true if done. */
async function waitProgress (done: () => boolean, progress: () => number, idleMs: number): Promise<boolean> {
  let seen = progress()
  let movedAt = performance.now()
  while (!done()) {
    await sleep(10)
    const now = progress()
    if (now !== seen) {
      seen = now
      movedAt = performance.now()
    } else if (performance.now() - movedAt > idleMs) return false
  }
  return true
}

async function textCount (peer: TestPeer, groupId: string): Promise<number> {
  let n = 0
  let before: string | undefined
  for (;;) {
    const page = await peer.hearth.api['messages.list']({ with: groupId, limit: 500, ...(before != null ? { before } : {}) })
    n += page.filter(m => m.kind !== 'system').length
    if (page.length < 500) return n
    before = page[0]?.id
  }
}

/**
 * Every member sends its share of `messages` at once (each its own in
 * turn): until every member holds every message, and what that cost.
 */
async function burst (members: readonly Member[], groupId: string, messages: number, idleMs: number, meter: ByteMeter, problems: string[]): Promise<BurstResult> {
  const peers = members.map(m => m.current)
  const counters = peers.map(p => countReceived(p, groupId))
  const share = (i: number): number => Math.ceil((messages - i) / peers.length)
  const cpu0 = process.cpuUsage()
  const bytes0 = meter.total()
  const t0 = performance.now()
  await Promise.all(peers.map(async (p, i) => {
    for (let k = 0; k < share(i); k++) await p.hearth.api['messages.send']({ to: groupId, text: `burst ${i}.${k}: all at once` })
  }))
  const sendMs = performance.now() - t0
  const want = peers.map((_, i) => messages - share(i))
  const total = (): number => counters.reduce((n, c) => n + c.count(), 0)
  const all = await waitProgress(() => counters.every((c, i) => c.count() >= want[i]!), total, idleMs)
  const allMs = all ? Math.max(...counters.map(c => c.lastAt())) - t0 : Number.NaN
  const cpu = cpuMs(cpu0)
  const bytes = meter.total() - bytes0
  for (const c of counters) c.off()
  if (!all) problems.push(`burst: after nothing new for ${fmtMs(idleMs)}, the members held ${counters.map((c, i) => `${c.count()}/${want[i]}`).join(', ')} of the others' messages`)
  return { size: peers.length, messages, sendMs, allMs, cpuMs: cpu, bytes }
}

/**
 * The last member goes away; the others send `messages`, one at a time, in
 * turn (a busy evening's chat, not a flood: see burst() for that); once
 * they all hold them, it comes back and catches up.
 */
async function catchUp (members: Member[], groupId: string, options: GroupOptions, meter: ByteMeter, problems: string[]): Promise<CatchUpResult> {
  const { messages, idleMs } = options.catchUp
  const away = members.at(-1)!
  const online = members.slice(0, -1)
  await away.current.hearth.api['messages.markRead']({ with: groupId })
  const heldBefore = await textCount(away.current, groupId)
  await away.current.hearth.close()

  const counters = online.map(m => countReceived(m.current, groupId))
  const t0 = performance.now()
  for (let k = 0; k < messages; k++) {
    const author = online[k % online.length]!.current
    await author.hearth.api['messages.send']({ to: groupId, text: `catch-up ${String(k).padStart(5, '0')}: while you were away` })
  }
  const sendMs = performance.now() - t0
  const want = online.map((_, i) => messages - Math.ceil((messages - i) / online.length))
  const spread = await waitProgress(() => counters.every((c, i) => c.count() >= want[i]!), () => counters.reduce((n, c) => n + c.count(), 0), idleMs)
  const spreadMs = performance.now() - t0
  for (const c of counters) c.off()
  if (!spread) problems.push(`catch-up: the ${online.length} online members did not all get the ${messages} messages among themselves (${counters.map((c, i) => `${c.count()}/${want[i]}`).join(', ')}) after ${fmtMs(spreadMs)}`)

  const bytes0 = meter.total()
  const r0 = performance.now()
  away.current = await restartPeer(away.current)
  const openMs = performance.now() - r0
  const opened = performance.now()
  const arrivals = countReceived(away.current, groupId)
  // A message could in principle land between the node starting and open
  // resolving, before a listener can exist: the unread count sees those too.
  let unread = 0
  const poll = setInterval(() => {
    void away.current.hearth.api['groups.list']({}).then(gs => { unread = gs.find(g => g.groupId === groupId)?.unread ?? unread }, () => {})
  }, 250)
  let all: boolean
  try {
    all = await waitProgress(() => arrivals.count() >= messages || unread >= messages, () => Math.max(arrivals.count(), unread), idleMs)
  } finally {
    clearInterval(poll)
    arrivals.off()
  }
  const doneAt = arrivals.count() >= messages ? arrivals.lastAt() : performance.now()
  const bytes = meter.total() - bytes0
  const held = await textCount(away.current, groupId) - heldBefore
  if (!all) problems.push(`catch-up: the returning member had ${Math.max(arrivals.count(), unread)} of ${messages} after nothing new for ${fmtMs(idleMs)} (${fmtMs(performance.now() - opened)} after open)`)
  return {
    size: members.length,
    messages,
    sendMs,
    spreadMs,
    openMs,
    firstMs: arrivals.firstAt() - opened,
    allMs: all ? doneAt - opened : Number.NaN,
    held,
    bytes
  }
}

/** Runs every group size in turn, each with fresh peers; then the burst and the catch-up in a fresh group of their own. */
export async function runGroups (resources: Resources, options: GroupOptions, progress: (step: string) => void): Promise<GroupResult> {
  const meter = new ByteMeter()
  meter.start()
  const problems: string[] = []
  const sizes: SizeResult[] = []
  let catchUpResult: CatchUpResult | undefined
  let burstResult: BurstResult | undefined
  try {
    for (const size of options.sizes) {
      const sends = options.detailed.includes(size) ? options.detailedSends : options.sends
      progress(`group of ${size}: opening peers, befriending, forming`)
      const rssBefore = rssNow()
      const { members, dirs } = await openMembers(resources, size, `g${size}`)
      try {
        const formed = await formGroup(members, options, problems)
        // A member who is not the creator sends: its messages go over the member-to-member links, not the creator's contact links.
        const sender = members[1]!.current
        const others = members.map(m => m.current).filter(p => p !== sender)
        progress(`group of ${size}: ${options.warmup} warm-up and ${sends} timed sends`)
        await timeSends(sender, others, formed.groupId, options.warmup, options.stallMs, 'warm-up')
        const cpu0 = process.cpuUsage()
        const bytes0 = meter.total()
        const trips = await timeSends(sender, others, formed.groupId, sends, options.stallMs, 'timed')
        const cpu = cpuMs(cpu0)
        const bytes = meter.total() - bytes0
        sizes.push({ size, formedMs: formed.formedMs, pairs: formed.pairs, trips, cpuMsPerSend: cpu / sends, bytesPerSend: bytes / sends, rss: rssNow(), rssBefore })
      } catch (err) {
        // One size failing (a befriend refused, say) still leaves the others' figures.
        problems.push(`group of ${size}: FAILED - ${(err as Error).message}`)
      } finally {
        progress(`group of ${size}: closing its peers`)
        await closeMembers(members, dirs)
      }
    }

    const size = options.catchUp.size
    progress(`another group of ${size}: opening peers, befriending, forming`)
    const { members, dirs } = await openMembers(resources, size, `c${size}`)
    try {
      const formed = await formGroup(members, options, problems)
      progress(`group of ${size}: all ${size} send ${options.burstMessages} at once`)
      burstResult = await burst(members, formed.groupId, options.burstMessages, options.catchUp.idleMs, meter, problems)
      progress(`group of ${size}: one member away while the others send ${options.catchUp.messages.toLocaleString('en-US')}, then catching up`)
      catchUpResult = await catchUp(members, formed.groupId, options, meter, problems)
    } catch (err) {
      problems.push(`burst and catch-up in a group of ${size}: FAILED - ${(err as Error).message}`)
    } finally {
      progress(`group of ${size}: closing its peers`)
      await closeMembers(members, dirs)
    }
  } finally {
    meter.stop()
  }
  return { sizes, ...(burstResult != null ? { burst: burstResult } : {}), ...(catchUpResult != null ? { catchUp: catchUpResult } : {}), problems }
}

// ---------------------------------------------------------------- report

type Stage = 'sent' | 'first' | 'all' | 'delivered'
const pick = (trips: readonly FanoutTrip[], stage: Stage): number[] => trips.map(t => t[stage] ?? Number.POSITIVE_INFINITY)

function fmtKiB (bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : 'n/a'
}

/** The table's group section. */
export function groupSection (r: GroupResult, ref: GroupReference, options: GroupOptions): Section {
  const orStalled = (ms: number): string => Number.isFinite(ms) ? fmtMs(ms) : `> ${fmtMs(options.stallMs)}`
  const rows: Row[] = []
  for (const s of r.sizes.filter(s => options.detailed.includes(s.size))) {
    const all = pick(s.trips, 'all')
    const delivered = pick(s.trips, 'delivered')
    const p50 = median(all)
    const factor = p50 / ref.chatDeliveredMs
    const goal = s.size === 16 ? { goal: `≤ ${ref.factor}× 1:1 = ${fmtMs(ref.factor * ref.chatDeliveredMs)}`, ok: p50 <= ref.factor * ref.chatDeliveredMs } : {}
    const stalled = all.filter(ms => !Number.isFinite(ms)).length
    rows.push(
      { label: `${s.size} members: all ${s.size - 1} hold it, p50 (${s.trips.length} in turn)`, hearth: `${orStalled(p50)} = ${Number.isFinite(factor) ? factor.toFixed(1) : '∞'}× 1:1`, baseline: `1:1 ${fmtMs(ref.chatDeliveredMs)}; raw ${fmtMs(ref.rawRoundTripMs)}`, ...goal },
      { label: '  all hold it, p95 / max', hearth: `${orStalled(percentile(all, 95))} / ${orStalled(max(all))}` },
      { label: "  p50 path: stored / 'sent' / first / all hold it", hearth: `${fmtMs(median(s.trips.map(t => t.stored)))} / ${orStalled(median(pick(s.trips, 'sent')))} / ${orStalled(median(pick(s.trips, 'first')))} / ${orStalled(p50)}`, baseline: `1:1 at the peer: ${fmtMs(ref.chatReceivedMs)}` },
      { label: `  sender sees delivered ${s.size - 1}/${s.size - 1}, p50 / p95 / max`, hearth: `${orStalled(median(delivered))} / ${orStalled(percentile(delivered, 95))} / ${orStalled(max(delivered))}`, baseline: `1:1 delivered: ${fmtMs(ref.chatDeliveredMs)}` },
      { label: `  not all held, or not receipted, in ${fmtMs(options.stallMs)}`, hearth: `${stalled} / ${delivered.filter(ms => !Number.isFinite(ms)).length} of ${all.length}`, goal: 'none', ok: stalled === 0 && delivered.every(ms => Number.isFinite(ms)) }
    )
  }

  const b = r.burst
  if (b != null) {
    const seq = r.sizes.find(s => s.size === b.size)
    rows.push(
      { label: `${b.size} members all send at once, ${b.messages} in all`, hearth: Number.isFinite(b.allMs) ? fmtRate(b.messages / (b.allMs / 1000)) : 'STALLED', baseline: `1:1 burst: ${fmtRate(ref.chatBurstRate)}` },
      { label: '  until every member holds all / sends returned', hearth: `${Number.isFinite(b.allMs) ? fmtMs(b.allMs) : 'n/a'} / ${fmtMs(b.sendMs)}` },
      { label: '  per message: CPU / wire', hearth: `${fmtMs(b.cpuMs / b.messages)} / ${fmtKiB(b.bytes / b.messages)}`, baseline: seq != null ? `one at a time: ${fmtMs(seq.cpuMsPerSend)} / ${fmtKiB(seq.bytesPerSend)}` : '' }
    )
  }

  const c = r.catchUp
  if (c != null) {
    const n = c.messages.toLocaleString('en-US')
    rows.push(
      { label: `catch-up: ${c.size} members, 1 away for ${n} messages`, hearth: '' },
      { label: '  Hearth.open of the member who was away', hearth: fmtMs(c.openMs) },
      { label: `  open → all ${n} held`, hearth: Number.isFinite(c.allMs) ? fmtMs(c.allMs) : `${c.held}/${c.messages} held` },
      { label: '  rate, from open', hearth: fmtRate(c.messages / (c.allMs / 1000)) },
      { label: '  open → first held', hearth: fmtMs(c.firstMs) },
      { label: `  wire meanwhile (all ${c.size} peers), per message`, hearth: `${fmtMiB(c.bytes)}, ${(c.bytes / c.messages).toFixed(0)} B` },
      { label: `  held at the end (messages.list)`, hearth: `${c.held} of ${c.messages}`, goal: 'all', ok: c.held === c.messages },
      { label: `  the ${c.size - 1} others, one at a time: sent in / all held`, hearth: `${fmtMs(c.sendMs)} / ${fmtMs(c.spreadMs)}`, baseline: fmtRate(c.messages / (c.spreadMs / 1000)) }
    )
  }

  rows.push({ label: 'growth with the group:', hearth: 'all hold it, p50', baseline: 'delivered p50 / CPU / wire', goal: 'RSS (+ for its peers)' })
  for (const s of r.sizes) {
    rows.push({
      label: `  ${String(s.size).padStart(2)} members, ${s.trips.length} sends, formed in ${Number.isFinite(s.formedMs) ? fmtMs(s.formedMs) : `n/a (${s.pairs.connected}/${s.pairs.of} pairs)`}`,
      hearth: orStalled(median(pick(s.trips, 'all'))),
      baseline: `${orStalled(median(pick(s.trips, 'delivered')))} / ${fmtMs(s.cpuMsPerSend)} / ${fmtKiB(s.bytesPerSend)}`,
      goal: `${fmtMiB(s.rss)} (+${fmtMiB(s.rss - s.rssBefore)})`
    })
  }

  const notes = [
    'Every member is a peer in this process on 127.0.0.1: the receivers share one thread, one libuv pool and one disk, and each stores every message with a synced write, so they all finish at about the same moment ("first" is close to "all"); on separate machines they would not wait for each other.',
    'A member who is not the creator sends, one message at a time; the next goes once all hold it and its receipts say so. "all hold it": every other member emitted message.received. "delivered": the sender\'s message.status had receipts.delivered = n - 1 (receipts ride on summaries: a member that stored a message sends one to its author 40 ms later).',
    'CPU: this process\'s user + system time per message, every peer together. Wire: bytes written to TCP sockets per message, every peer together (Noise and Yamux framing, summaries and receipts included; not TCP/IP headers).',
    `"formed": from groups.create, the members (closed meanwhile) come online one after another, ${JOIN_GAP_MS} ms apart at least, each once the previous one holds the group and is connected to everyone online, until every pair is connected. All at once, most dials are refused: every peer here is one host, and a node takes 5 new connections a second and 2 in the handshake from one host.`,
    'The burst and the catch-up run in a fresh group after the others. Burst: every member sends its share at once, each its own in turn. Catch-up: one member closed while the others send one at a time, in turn; the figures start when its Hearth.open resolves.',
    `Repeat counts keep this section near 3 minutes on 2 cores: ${options.warmup} warm-up sends per size, then ${options.detailedSends} timed for ${options.detailed.join(' and ')} members and ${options.sends} for the others; RSS (after gc) is the whole process, "+" its growth while that group's peers were open.`,
    ...r.problems
  ]
  return { title: 'Groups over 127.0.0.1 (every member in this process)', rows, notes }
}
