/**
 * /hearth/group/1.0.0: members keep each other's copies of a group in step.
 *
 * Each side opens its own stream to a member to send frames; nothing is
 * acknowledged. Instead, members exchange summaries (the heads of the op
 * DAG, which sequence numbers of each author they have seen, which keys
 * they lack) when they connect, after anything changes, and every little
 * while; each answers a summary with what the other lacks. New ops and
 * messages are also pushed at once to the members connected. A push that
 * is lost costs nothing but time: the next summary brings it.
 *
 * Streams are taken only from members and former members of my groups,
 * and from contacts (who may be adding me to a group).
 */
import type { LengthPrefixedStream } from '@libp2p/utils'
import type { Connection, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { peerIdFromString } from '@libp2p/peer-id'
import { toHex } from '../bytes.js'
import { createLog } from '../log.js'
import { Mutex } from '../mutex.js'
import { TokenBucket } from '../token-bucket.js'
import type { HearthNode } from '../node/create-node.js'
import { frameStream } from '../protocols/frames.js'
import { GroupBook, groupIdString } from './group-book.js'
import { OP_LIMITS } from './ops.js'
import { GroupFrame, type GroupEnvelope, type GroupOp, type KeyGrant, type Summary } from './pb/group.js'

const log = createLog('group')

export const GROUP_PROTOCOL = '/hearth/group/1.0.0'
/** The largest frame: 16 ops with 31 members each, or 32 envelopes of 16 KiB texts, fit. */
export const MAX_GROUP_FRAME_BYTES = 1024 * 1024
export const GROUP_FRAME_LIMITS = { ops: 16, envelopes: 32, heads: OP_LIMITS.deps, seen: 64, ranges: 128, wantKeys: 8 }
const MAX_STREAMS = 4
const OPEN_TIMEOUT_MS = 5_000
/** After a change, summaries go to those waiting for them this much later (changes in a burst share one)... */
const CHANGED_DELAY_MS = 40
/** ...and to every other connected member this much later (they only fill gaps a push left). */
const GOSSIP_DELAY_MS = 2_000
/** Every so often, connected members compare summaries anyway. */
const RESYNC_MS = 20_000
/** Summaries answered per peer: a burst, then one every so often (each may cost reads of the store). */
const SUMMARY_BURST = 64
const SUMMARY_REFILL_MS = 50

const MEMBER_LIMITS = { addrs: OP_LIMITS.addrs }
const OP_DECODE_LIMITS = {
  deps: OP_LIMITS.deps,
  create: { members: OP_LIMITS.createMembers, members$: MEMBER_LIMITS },
  add: MEMBER_LIMITS,
  remove: MEMBER_LIMITS,
  promote: MEMBER_LIMITS
}

export class GroupFrameError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'GroupFrameError'
  }
}

/** Decodes one frame within every bound; throws GroupFrameError. */
export function decodeGroupFrame (bytes: Uint8Array | Uint8ArrayList): GroupFrame {
  let frame: GroupFrame
  try {
    frame = GroupFrame.decode(bytes, {
      limits: {
        summary: { heads: GROUP_FRAME_LIMITS.heads, seen: GROUP_FRAME_LIMITS.seen, seen$: { ranges: GROUP_FRAME_LIMITS.ranges }, wantKeys: GROUP_FRAME_LIMITS.wantKeys },
        ops: { ops: GROUP_FRAME_LIMITS.ops, ops$: OP_DECODE_LIMITS },
        envelopes: { envelopes: GROUP_FRAME_LIMITS.envelopes }
      }
    })
  } catch (err) {
    throw new GroupFrameError(`undecodable group frame: ${(err as Error).message}`)
  }
  if (frame.summary == null && frame.ops == null && frame.envelopes == null && frame.key == null) throw new GroupFrameError('empty group frame')
  return frame
}

function chunks<T> (items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export interface GroupProtocolDeps {
  node: HearthNode
  book: GroupBook
  /** Contacts may open a group stream (to add me to a group). */
  isContact: (peerId: string) => boolean
}

export class GroupProtocol {
  readonly #d: GroupProtocolDeps
  readonly #links = new Map<string, OutboundLink>()
  readonly #changed = new Map<string, { peers: Set<string>, timer: ReturnType<typeof setTimeout> }>()
  readonly #gossip = new Map<string, ReturnType<typeof setTimeout>>()
  readonly #answering = new Map<string, TokenBucket>()
  #resync?: ReturnType<typeof setInterval>
  #started = false

  constructor (deps: GroupProtocolDeps) {
    this.#d = deps
  }

  async start (): Promise<void> {
    await this.#d.node.handle(GROUP_PROTOCOL, (stream, connection) => { this.handleInbound(stream, connection) }, {
      maxInboundStreams: MAX_STREAMS,
      maxOutboundStreams: MAX_STREAMS
    })
    this.#d.book.output = {
      push: (groupId, what) => { void this.push(groupId, what) },
      changed: (groupId, soon) => { this.changedSoon(groupId, soon ?? []) }
    }
    this.#resync = setInterval(() => {
      for (const peer of this.connectedMembers()) void this.sendSummaries(peer)
    }, RESYNC_MS)
    this.#resync.unref()
    this.#started = true
  }

  async stop (): Promise<void> {
    this.#started = false
    if (this.#resync != null) clearInterval(this.#resync)
    for (const c of this.#changed.values()) clearTimeout(c.timer)
    this.#changed.clear()
    for (const t of this.#gossip.values()) clearTimeout(t)
    this.#gossip.clear()
    for (const link of this.#links.values()) link.close()
    this.#links.clear()
    await this.#d.node.unhandle(GROUP_PROTOCOL)
  }

  /** A member connected: compare summaries of every group we share. */
  connected (peerId: string): void {
    if (this.#started && this.#d.book.knows(peerId)) void this.sendSummaries(peerId)
  }

  disconnected (peerId: string): void {
    this.#links.get(peerId)?.close()
    this.#links.delete(peerId)
    this.#answering.delete(peerId)
    this.#d.book.forgetHanded(peerId)
  }

  private isConnected (peerId: string): boolean {
    return this.#d.node.getConnections(peerIdFromString(peerId)).some(c => c.status === 'open')
  }

  private connectedMembers (): string[] {
    return [...this.#d.book.peers().keys()].filter(p => this.isConnected(p))
  }

  private link (peerId: string): OutboundLink {
    let link = this.#links.get(peerId)
    if (link == null) {
      link = new OutboundLink(this.#d.node, peerId)
      this.#links.set(peerId, link)
    }
    return link
  }

  /** Sends frames to a peer if it is connected; false if they could not be written. */
  private async send (peerId: string, frames: GroupFrame[]): Promise<boolean> {
    if (!this.#started || frames.length === 0 || !this.isConnected(peerId)) return false
    return this.link(peerId).write(frames.map(f => GroupFrame.encode(f)))
  }

  private async sendSummaries (peerId: string, only?: string): Promise<void> {
    const frames: GroupFrame[] = []
    for (const groupId of only != null ? [only] : this.#d.book.groupsOf(peerId)) {
      const summary = this.#d.book.summaryFor(groupId, peerId)
      if (summary != null) frames.push({ summary })
    }
    await this.send(peerId, frames)
  }

  private changedSoon (groupId: string, soon: string[]): void {
    if (!this.#started) return
    const members = new Set(this.#d.book.recipients(groupId))
    const urgent = soon.filter(p => members.has(p))
    if (urgent.length > 0) {
      let pending = this.#changed.get(groupId)
      if (pending == null) {
        const peers = new Set<string>()
        const timer = setTimeout(() => {
          this.#changed.delete(groupId)
          for (const peer of peers) if (this.isConnected(peer)) void this.sendSummaries(peer, groupId)
        }, CHANGED_DELAY_MS)
        timer.unref()
        pending = { peers, timer }
        this.#changed.set(groupId, pending)
      }
      for (const p of urgent) pending.peers.add(p)
    }
    if (this.#gossip.has(groupId)) return
    const timer = setTimeout(() => {
      this.#gossip.delete(groupId)
      for (const peer of this.#d.book.recipients(groupId)) if (this.isConnected(peer)) void this.sendSummaries(peer, groupId)
    }, GOSSIP_DELAY_MS)
    timer.unref()
    this.#gossip.set(groupId, timer)
  }

  private async push (groupId: string, what: { ops?: GroupOp[], envelopes?: GroupEnvelope[], grants?: Array<{ peer: string, grant: KeyGrant }> }): Promise<void> {
    const members = new Set(this.#d.book.recipients(groupId))
    const targets = new Set(members)
    // Someone just removed hears of it from the remover; someone just added gets the whole group.
    const added = new Set<string>()
    for (const op of what.ops ?? []) {
      const removed = op.remove != null ? this.#d.book.peerOf(op.remove.peer) : ''
      if (removed !== '') targets.add(removed)
      if (op.add != null) added.add(this.#d.book.peerOf(op.add.peer))
    }
    const frames = (peer: string): GroupFrame[] => [
      ...chunks(added.has(peer) ? this.#d.book.opsOf(groupId) : what.ops ?? [], GROUP_FRAME_LIMITS.ops).map(ops => ({ ops: { ops } })),
      ...(what.grants ?? []).filter(g => g.peer === peer).map(g => ({ key: g.grant })),
      ...(members.has(peer) ? chunks(what.envelopes ?? [], GROUP_FRAME_LIMITS.envelopes).map(envelopes => ({ envelopes: { envelopes } })) : [])
    ]
    const results = await Promise.all([...targets].map(async peer => {
      const sent = await this.send(peer, frames(peer))
      if (sent && what.envelopes != null) this.#d.book.handedOn(peer, what.envelopes)
      return sent
    }))
    if (what.envelopes != null && results.some(Boolean)) await this.#d.book.markSent(groupId, what.envelopes).catch(err => { log.error('could not mark group messages sent - %e', err) })
  }

  // -------------------------------------------------------------- receiving

  private handleInbound (stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (!this.#d.book.knows(peer) && !this.#d.isContact(peer)) {
      log('refused a group stream from a peer I share no group with')
      stream.abort(new GroupFrameError('no shared group'))
      return
    }
    const lp = frameStream(stream, MAX_GROUP_FRAME_BYTES)
    void (async () => {
      try {
        while (true) {
          const frame = decodeGroupFrame(await lp.read())
          await this.handleFrame(peer, frame)
        }
      } catch (err) {
        if ((err as Error).name !== 'UnexpectedEOFError' && stream.status === 'open') {
          log('reset a group stream: %s', (err as Error).message)
          stream.abort(err as Error)
        }
      }
    })()
  }

  private async handleFrame (peer: string, frame: GroupFrame): Promise<void> {
    const book = this.#d.book
    if (frame.summary != null) {
      let bucket = this.#answering.get(peer)
      if (bucket == null) {
        bucket = new TokenBucket(SUMMARY_BURST, SUMMARY_REFILL_MS)
        this.#answering.set(peer, bucket)
      }
      // Past the rate, a summary is dropped: the next one (they come again) will do.
      if (bucket.take()) await this.answer(peer, frame.summary)
    }
    else if (frame.ops != null) await book.receiveOps(peer, frame.ops.ops)
    else if (frame.envelopes != null) await book.receiveEnvelopes(peer, frame.envelopes.envelopes)
    else if (frame.key != null) await book.receiveGrant(peer, frame.key)
  }

  private async answer (peer: string, summary: Summary): Promise<void> {
    const book = this.#d.book
    const answer = await book.onSummary(peer, summary)
    const groupId = summary.group.length === 16 ? groupIdString(summary.group) : undefined
    const frames: GroupFrame[] = [
      ...chunks(answer.ops, GROUP_FRAME_LIMITS.ops).map(ops => ({ ops: { ops } })),
      ...answer.grants.map(key => ({ key })),
      ...chunks(answer.envelopes, GROUP_FRAME_LIMITS.envelopes).map(envelopes => ({ envelopes: { envelopes } }))
    ]
    if (answer.askBack && groupId != null) {
      frames.push({ summary: book.summaryFor(groupId, peer) ?? GroupBook.emptySummary(summary.group) })
    }
    if (frames.length > 0 && await this.send(peer, frames)) book.handedOn(peer, answer.envelopes)
    if (groupId != null && answer.envelopes.length > 0) log('sent %d group messages to a member catching up on %s', answer.envelopes.length, toHex(summary.group).slice(0, 6))
  }
}

/** The sending half towards one member: one stream, writes one after another. */
class OutboundLink {
  readonly #node: HearthNode
  readonly #peer: string
  readonly #lock = new Mutex()
  #lp?: LengthPrefixedStream<Stream>
  #stream?: Stream
  #closed = false

  constructor (node: HearthNode, peer: string) {
    this.#node = node
    this.#peer = peer
  }

  close (): void {
    this.#closed = true
    if (this.#stream?.status === 'open') void this.#stream.close().catch(() => {})
    this.#lp = undefined
    this.#stream = undefined
  }

  async write (frames: Uint8Array[]): Promise<boolean> {
    return this.#lock.run(async () => {
      if (this.#closed) return false
      try {
        if (this.#lp == null || this.#stream?.status !== 'open') {
          const stream = await this.#node.dialProtocol(peerIdFromString(this.#peer), GROUP_PROTOCOL, { signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) })
          this.#stream = stream
          this.#lp = frameStream(stream, MAX_GROUP_FRAME_BYTES)
        }
        for (const frame of frames) await this.#lp.write(frame)
        return true
      } catch (err) {
        log('could not send to a group member: %s', (err as Error).message)
        if (this.#stream?.status === 'open') this.#stream.abort(err as Error)
        this.#lp = undefined
        this.#stream = undefined
        return false
      }
    })
  }
}
