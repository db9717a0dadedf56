/**
 * /hearth/chat/1.0.0: reliable, ordered, deduplicated delivery between
 * contacts.
 *
 * Each side opens its own stream to send. Data frames (messages, read
 * receipts, profile updates) come from the persistent outbox; the receiver
 * stores a whole batch in one synced write, then acknowledges every frame of
 * the batch with a single ack. The sender deletes acknowledged items from
 * the outbox. A dropped stream loses nothing: unacknowledged items are sent
 * again on the next stream, and the receiver drops duplicates by id.
 */
import type { LengthPrefixedStream } from '@libp2p/utils'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { peerIdFromString } from '@libp2p/peer-id'
import { displayNameSchema, MAX_EXPIRES_IN, TIMER_CHOICES, type Events } from '../../../../shared/api.js'
import { LIMITS, utf8Length } from '../../../../shared/limits.js'
import { BatchQueue } from '../../batch-queue.js'
import { fromHex, toHex } from '../../bytes.js'
import type { ContactBook } from '../../contact-book.js'
import type { Emitter } from '../../emitter.js'
import { createLog } from '../../log.js'
import { Mutex } from '../../mutex.js'
import { TokenBucket } from '../../token-bucket.js'
import type { HearthNode } from '../../node/create-node.js'
import type { Outbox, QueuedItem } from '../../store/outbox.js'
import type { OutboxItem } from '../../store/records.js'
import type { MessageBook } from '../../message-book.js'
import {
  ACK_TIMEOUT_MS,
  CHAT_PROTOCOL,
  MAX_ACK_IDS,
  MAX_FRAME_BYTES,
  MAX_INBOUND_STREAMS,
  MAX_OUTBOUND_STREAMS,
  MAX_RECEIPT_IDS,
  OPEN_TIMEOUT_MS,
  RECEIVE_BATCH,
  RECEIVE_QUEUE,
  RETRY_MAX_MS,
  RETRY_MIN_MS,
  SEND_WINDOW,
  TYPING_TTL_MS,
  UNKNOWN_RECEIPT_BURST,
  UNKNOWN_RECEIPT_REFILL_MS,
  WRITE_SLICE_BYTES
} from './constants.js'
import { frameStream } from '../frames.js'
import { ChatFrame } from './pb/chat.js'

const log = createLog('chat')

export class ProtocolViolation extends Error {
  readonly code = 'PROTOCOL_VIOLATION'
  constructor (message: string) {
    super(message)
    this.name = 'ProtocolViolation'
  }
}

export interface ChatProtocolDeps {
  node: HearthNode
  outbox: Outbox
  contacts: ContactBook
  book: MessageBook
  events: Emitter<Events>
}

/** What sessions share with the protocol: its deps and the lock that keeps one contact's frames in order. */
interface SessionDeps extends ChatProtocolDeps {
  /** Serialises the handling of inbound batches and of acks. */
  lock: Mutex
}

/** A data frame decoded and checked, ready to commit. */
type InboundFrame =
  | { kind: 'message', id: string, hlc: bigint, text: string, expiresIn?: number }
  | { kind: 'read', id: string, messageIds: string[] }
  | { kind: 'profile', id: string, name: string }
  | { kind: 'retract', id: string, messageId: string }
  | { kind: 'edit', id: string, messageId: string, text: string, editedAt: number }
  | { kind: 'timer', id: string, seconds: number, hlc: bigint }

const ID_BYTES = 16

function checkId (id: Uint8Array, what: string): string {
  if (id.length !== ID_BYTES) throw new ProtocolViolation(`${what} id must be ${ID_BYTES} bytes`)
  return toHex(id)
}

function checkText (text: string): void {
  if (text.length === 0 || utf8Length(text) > LIMITS.textBytes) throw new ProtocolViolation('message text is empty or too long')
  if (!text.isWellFormed()) throw new ProtocolViolation('message text is not valid UTF-8')
}

/** Decodes and validates one data frame (the only kind a stream's opener may send). */
export function decodeDataFrame (bytes: Uint8Array | Uint8ArrayList): InboundFrame | { kind: 'typing', typing: boolean } {
  let frame: ChatFrame
  try {
    frame = ChatFrame.decode(bytes, { limits: { read: { messageIds: MAX_RECEIPT_IDS }, ack: { ids: MAX_ACK_IDS } } })
  } catch (err) {
    throw new ProtocolViolation(`undecodable frame: ${(err as Error).message}`)
  }
  if (frame.message != null) {
    const { id, hlc, text, expiresIn } = frame.message
    checkText(text)
    if (hlc === 0n) throw new ProtocolViolation('message has no timestamp')
    if (expiresIn != null && expiresIn > MAX_EXPIRES_IN) throw new ProtocolViolation('message lifetime is over the limit')
    return { kind: 'message', id: checkId(id, 'message'), hlc, text, ...(expiresIn != null && expiresIn > 0 ? { expiresIn } : {}) }
  }
  if (frame.retract != null) {
    return { kind: 'retract', id: checkId(frame.retract.id, 'retraction'), messageId: checkId(frame.retract.messageId, 'message') }
  }
  if (frame.edit != null) {
    checkText(frame.edit.text)
    const editedAt = Number(frame.edit.editedAt)
    if (!Number.isSafeInteger(editedAt) || editedAt === 0) throw new ProtocolViolation('edit has no time')
    return { kind: 'edit', id: checkId(frame.edit.id, 'edit'), messageId: checkId(frame.edit.messageId, 'message'), text: frame.edit.text, editedAt }
  }
  if (frame.timer != null) {
    if (!(TIMER_CHOICES as readonly number[]).includes(frame.timer.seconds)) throw new ProtocolViolation('timer is not one of the allowed values')
    if (frame.timer.hlc === 0n) throw new ProtocolViolation('timer change has no timestamp')
    return { kind: 'timer', id: checkId(frame.timer.id, 'timer change'), seconds: frame.timer.seconds, hlc: frame.timer.hlc }
  }
  if (frame.read != null) {
    if (frame.read.messageIds.length === 0) throw new ProtocolViolation('read receipt names no message')
    return { kind: 'read', id: checkId(frame.read.id, 'receipt'), messageIds: frame.read.messageIds.map(m => checkId(m, 'message')) }
  }
  if (frame.profile != null) {
    const name = displayNameSchema.safeParse(frame.profile.name)
    if (!name.success) throw new ProtocolViolation('profile name is invalid')
    return { kind: 'profile', id: checkId(frame.profile.id, 'profile'), name: name.data }
  }
  if (frame.typing != null) return { kind: 'typing', typing: frame.typing.typing }
  throw new ProtocolViolation(frame.ack != null ? 'acks flow only towards the stream opener' : 'empty frame')
}

export class ChatProtocol {
  readonly #deps: SessionDeps
  readonly #sessions = new Map<string, OutboundSession>()
  readonly #typing = new Map<string, ReturnType<typeof setTimeout>>()
  /** Per contact: how many receipt ids naming nothing we hold it may still make us look up. */
  readonly #receiptBudgets = new Map<string, TokenBucket>()
  #started = false

  constructor (deps: ChatProtocolDeps) {
    this.#deps = { ...deps, lock: new Mutex() }
  }

  async start (): Promise<void> {
    await this.#deps.node.handle(CHAT_PROTOCOL, (stream, connection) => { this.handleInbound(stream, connection) }, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.#started = true
  }

  async stop (): Promise<void> {
    this.#started = false
    for (const session of this.#sessions.values()) session.close()
    this.#sessions.clear()
    for (const timer of this.#typing.values()) clearTimeout(timer)
    this.#typing.clear()
    await this.#deps.node.unhandle(CHAT_PROTOCOL)
  }

  /** Something was queued for `peerId` (or it came online): send what can be sent. */
  kick (peerId: string): void {
    if (!this.#started || !this.#deps.contacts.has(peerId)) return
    this.session(peerId).kick()
  }

  /** The peer went offline: forget in-flight state; the outbox keeps everything. */
  disconnected (peerId: string): void {
    this.#sessions.get(peerId)?.reset(false)
    this.clearTyping(peerId)
  }

  /** Sends a typing indicator if the peer is connected. Returns false if it could not be sent. */
  async sendTyping (peerId: string, typing: boolean): Promise<boolean> {
    if (!this.#started || !this.#deps.contacts.has(peerId)) return false
    return this.session(peerId).sendUnreliable(ChatFrame.encode({ typing: { typing } }))
  }

  private session (peerId: string): OutboundSession {
    let session = this.#sessions.get(peerId)
    if (session == null) {
      session = new OutboundSession(peerIdFromString(peerId), this.#deps)
      this.#sessions.set(peerId, session)
    }
    return session
  }

  private clearTyping (peerId: string): void {
    const timer = this.#typing.get(peerId)
    if (timer == null) return
    clearTimeout(timer)
    this.#typing.delete(peerId)
    this.#deps.events.emit('typing', { peerId, typing: false })
  }

  private showTyping (peerId: string, typing: boolean): void {
    const had = this.#typing.get(peerId)
    if (had != null) clearTimeout(had)
    if (!typing) {
      this.#typing.delete(peerId)
      if (had != null) this.#deps.events.emit('typing', { peerId, typing: false })
      return
    }
    const timer = setTimeout(() => { this.clearTyping(peerId) }, TYPING_TTL_MS)
    timer.unref()
    this.#typing.set(peerId, timer)
    if (had == null) this.#deps.events.emit('typing', { peerId, typing: true })
  }

  // -------------------------------------------------------------- receiving

  private handleInbound (stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (!this.#deps.contacts.has(peer)) {
      // A stranger: nothing is read, nothing is stored, nothing is shown.
      log('refused a chat stream from a peer that is not a contact')
      stream.abort(new ProtocolViolation('not a contact'))
      return
    }
    const lp = frameStream(stream, MAX_FRAME_BYTES)
    const queue = new BatchQueue<InboundFrame>(RECEIVE_QUEUE)

    const reader = (async () => {
      try {
        while (true) {
          const frame = decodeDataFrame(await lp.read())
          if (frame.kind === 'typing') this.showTyping(peer, frame.typing)
          else await queue.push(frame)
        }
      } catch (err) {
        // The sender closing its end is the normal way a stream ends; anything
        // else (a bad frame, a length over the limit, a reset) resets it.
        if ((err as Error).name !== 'UnexpectedEOFError' && stream.status === 'open') {
          log('reset a chat stream from a contact: %s', (err as Error).message)
          stream.abort(err as Error)
        }
      } finally {
        queue.end()
      }
    })()

    const committer = (async () => {
      while (true) {
        const batch = await queue.take(RECEIVE_BATCH)
        if (batch == null) break
        // Receipts change only our own messages' status, each in one atomic
        // update, so they need not wait for (nor hold up) anyone's delivery.
        await this.applyReceipts(peer, batch)
        const ids = await this.#deps.lock.run(async () => this.commitInbound(peer, batch))
        if (stream.status === 'open') await lp.write(ChatFrame.encode({ ack: { ids: ids.map(fromHex) } }))
      }
    })()

    // If storing fails, the reader must not wait for ever on a queue nobody drains.
    committer.catch(() => { queue.end() })
    Promise.all([reader, committer]).then(async () => {
      if (stream.status === 'open') await stream.close()
    }).catch(err => {
      log('chat stream from a contact ended: %e', err)
      stream.abort(err as Error)
    })
  }

  /**
   * A batch's read receipts, outside the delivery lock: each looked up in one
   * read. Ids that name nothing we hold spend the contact's budget; once it
   * is spent, its receipts are dropped unread until it refills.
   */
  private async applyReceipts (peer: string, frames: InboundFrame[]): Promise<void> {
    for (const frame of frames) {
      if (frame.kind !== 'read') continue
      let budget = this.#receiptBudgets.get(peer)
      if (budget == null) {
        budget = new TokenBucket(UNKNOWN_RECEIPT_BURST, UNKNOWN_RECEIPT_REFILL_MS)
        this.#receiptBudgets.set(peer, budget)
      }
      if (budget.available() < 1) {
        log('dropped a read receipt from a contact that named too many unknown messages')
        continue
      }
      budget.spend(await this.#deps.book.receipts(peer, frame.messageIds))
    }
  }

  /**
   * Applies a batch of frames, in order, before acknowledging any: runs of
   * messages are stored in one synced write; retractions, edits, timer
   * changes and renames each take effect after what came before them (read
   * receipts were applied before, see applyReceipts).
   */
  private async commitInbound (peer: string, frames: InboundFrame[]): Promise<string[]> {
    const { book, contacts, events } = this.#deps
    let run: Array<Extract<InboundFrame, { kind: 'message' }>> = []
    const flush = async (): Promise<void> => {
      if (run.length === 0) return
      const messages = run
      run = []
      await book.receive(peer, messages)
      // A message ends whatever typing it came from.
      this.showTyping(peer, false)
    }
    for (const frame of frames) {
      if (frame.kind === 'message') {
        run.push(frame)
        continue
      }
      await flush()
      switch (frame.kind) {
        case 'read': break
        case 'retract': await book.retracted(peer, frame.messageId); break
        case 'edit': await book.edited(peer, frame.messageId, frame.text, frame.editedAt); break
        case 'timer': await book.timerChanged(peer, frame); break
        case 'profile': {
          // Stored (through the contact book, which serialises changes to a
          // contact) before the frame that carried it is acknowledged.
          // A name that looks like another contact's (or ours) is kept, and flagged.
          const before = contacts.get(peer)?.name
          const after = await contacts.update(peer, c => c.name === frame.name ? undefined : { ...c, name: frame.name })
          const resembles = after != null ? contacts.resemblance(after) : undefined
          if (before !== frame.name) events.emit('contact.renamed', { peerId: peer, name: frame.name, ...(resembles != null ? { resembles } : {}) })
          break
        }
      }
    }
    await flush()
    return frames.map(f => f.id)
  }
}

/** The sending half towards one contact: one stream, a window of in-flight frames, acks. */
class OutboundSession {
  readonly #peer: PeerId
  readonly #peerKey: string
  readonly #deps: SessionDeps
  #lp?: LengthPrefixedStream<Stream>
  #stream?: Stream
  #opening?: Promise<LengthPrefixedStream<Stream>>
  readonly #inflight = new Map<string, QueuedItem>()
  #lastSent?: Uint8Array
  /** Counts resets, so a send prepared before one is not used after it. */
  #generation = 0
  #pumping = false
  #again = false
  #closed = false
  #retryMs = RETRY_MIN_MS
  #retryTimer?: ReturnType<typeof setTimeout>
  #ackTimer?: ReturnType<typeof setTimeout>

  constructor (peer: PeerId, deps: SessionDeps) {
    this.#peer = peer
    this.#peerKey = peer.toString()
    this.#deps = deps
  }

  private connected (): boolean {
    return this.#deps.node.getConnections(this.#peer).some(c => c.status === 'open')
  }

  kick (): void {
    void this.pump()
  }

  close (): void {
    this.#closed = true
    this.reset(false)
  }

  /** Drops the stream and everything in flight; the outbox still holds it all. */
  reset (retry: boolean): void {
    this.#generation++
    const stream = this.#stream
    this.#lp = undefined
    this.#stream = undefined
    this.#opening = undefined
    this.#inflight.clear()
    this.#lastSent = undefined
    if (this.#ackTimer != null) clearTimeout(this.#ackTimer)
    this.#ackTimer = undefined
    if (stream != null && stream.status === 'open') stream.abort(new Error('chat session reset'))
    if (retry && !this.#closed && this.#retryTimer == null) {
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined
        this.kick()
      }, this.#retryMs)
      this.#retryTimer.unref()
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS)
    } else if (!retry && this.#retryTimer != null) {
      clearTimeout(this.#retryTimer)
      this.#retryTimer = undefined
    }
  }

  async sendUnreliable (bytes: Uint8Array): Promise<boolean> {
    if (!this.connected()) return false
    try {
      const lp = await this.stream()
      await lp.write(bytes)
      return true
    } catch (err) {
      log('could not send an unreliable frame: %e', err)
      return false
    }
  }

  private async stream (): Promise<LengthPrefixedStream<Stream>> {
    if (this.#lp != null) return this.#lp
    this.#opening ??= (async () => {
      const stream = await this.#deps.node.dialProtocol(this.#peer, CHAT_PROTOCOL, { signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) })
      const lp = frameStream(stream, MAX_FRAME_BYTES)
      this.#lp = lp
      this.#stream = stream
      this.#opening = undefined
      void this.readAcks(lp)
      return lp
    })()
    try {
      return await this.#opening
    } finally {
      this.#opening = undefined
    }
  }

  /** Sends queued frames while the window has room. Re-entrant calls coalesce. */
  private async pump (): Promise<void> {
    if (this.#pumping) {
      this.#again = true
      return
    }
    this.#pumping = true
    try {
      do {
        this.#again = false
        if (this.#closed || !this.connected()) return
        const room = SEND_WINDOW - this.#inflight.size
        if (room <= 0) return
        const generation = this.#generation
        const items = await this.#deps.outbox.pending(this.#peerKey, room, this.#lastSent)
        // A kick that came in while we were reading sets #again: look once more.
        if (items.length === 0) continue
        const lp = await this.stream()
        // A reset while we waited sent everything in flight back to the queue:
        // these items were read against the old cursor, so read again.
        if (generation !== this.#generation) {
          this.#again = true
          continue
        }
        for (const item of items) this.#inflight.set(item.item.id, item)
        this.#lastSent = items[items.length - 1]?.key
        this.armAckTimer()
        await writeFrames(lp, items.map(q => encodeItem(q.item)))
        await this.markSent(items)
        if (items.length === room) this.#again = true
      } while (this.#again)
    } catch (err) {
      if (!this.#closed) log('sending to a contact failed, will retry: %e', err)
      this.reset(true)
    } finally {
      this.#pumping = false
    }
  }

  private armAckTimer (): void {
    if (this.#ackTimer != null) clearTimeout(this.#ackTimer)
    this.#ackTimer = setTimeout(() => {
      log('no ack within %d ms; resending', ACK_TIMEOUT_MS)
      this.reset(true)
    }, ACK_TIMEOUT_MS)
    this.#ackTimer.unref()
  }

  private async markSent (items: QueuedItem[]): Promise<void> {
    // Not synced: after a crash, 'pending' for a message that was in fact
    // written out is harmless (it is sent again and dropped as a duplicate).
    await this.#deps.lock.run(async () => this.#deps.book.advance(this.#peerKey, items, 'sent'))
  }

  private async readAcks (lp: LengthPrefixedStream<Stream>): Promise<void> {
    try {
      while (this.#lp === lp) {
        let frame: ChatFrame
        try {
          frame = ChatFrame.decode(await lp.read(), { limits: { ack: { ids: MAX_ACK_IDS }, read: { messageIds: MAX_ACK_IDS } } })
        } catch (err) {
          if ((err as Error).name === 'UnexpectedEOFError') throw err
          throw new ProtocolViolation('undecodable ack')
        }
        if (frame.ack == null) throw new ProtocolViolation('only acks may come back on a chat stream')
        const acked: QueuedItem[] = []
        for (const raw of frame.ack.ids) {
          const item = this.#inflight.get(toHex(raw))
          if (item == null) continue
          this.#inflight.delete(item.item.id)
          acked.push(item)
        }
        if (acked.length === 0) continue
        this.#retryMs = RETRY_MIN_MS
        if (this.#inflight.size === 0 && this.#ackTimer != null) {
          clearTimeout(this.#ackTimer)
          this.#ackTimer = undefined
        } else {
          this.armAckTimer()
        }
        // Not synced either: if this write is lost, the items are sent again
        // and the receiver, which did store them durably, drops the copies.
        await this.#deps.lock.run(async () => this.#deps.book.advance(this.#peerKey, acked, 'delivered', acked.map(q => ({ type: 'del' as const, key: q.key }))))
        this.kick()
      }
    } catch (err) {
      if (this.#lp === lp) {
        log('chat stream to a contact closed: %s', (err as Error).message)
        this.reset(this.#inflight.size > 0 || this.connected())
      }
    }
  }
}

/**
 * Writes frames in slices of at most WRITE_SLICE_BYTES, waiting for the
 * stream to drain between them, so the muxer's write buffer never overflows.
 */
async function writeFrames (lp: LengthPrefixedStream<Stream>, frames: Uint8Array[]): Promise<void> {
  let slice: Uint8Array[] = []
  let bytes = 0
  for (const frame of frames) {
    if (bytes + frame.length > WRITE_SLICE_BYTES && slice.length > 0) {
      await lp.writeV(slice)
      slice = []
      bytes = 0
    }
    slice.push(frame)
    bytes += frame.length
  }
  if (slice.length > 0) await lp.writeV(slice)
}

function encodeItem (item: OutboxItem): Uint8Array {
  switch (item.kind) {
    case 'message':
      return ChatFrame.encode({ message: { id: fromHex(item.id), hlc: BigInt(item.hlc), text: item.text, ...(item.expiresIn != null ? { expiresIn: item.expiresIn } : {}) } })
    case 'retract':
      return ChatFrame.encode({ retract: { id: fromHex(item.id), messageId: fromHex(item.messageId) } })
    case 'edit':
      return ChatFrame.encode({ edit: { id: fromHex(item.id), messageId: fromHex(item.messageId), text: item.text, editedAt: BigInt(item.editedAt) } })
    case 'timer':
      return ChatFrame.encode({ timer: { id: fromHex(item.id), seconds: item.seconds, hlc: BigInt(item.hlc) } })
    case 'read':
      return ChatFrame.encode({ read: { id: fromHex(item.id), messageIds: item.messageIds.map(fromHex) } })
    case 'profile':
      return ChatFrame.encode({ profile: { id: fromHex(item.id), name: item.name } })
  }
}
