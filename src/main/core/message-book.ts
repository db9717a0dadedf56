/**
 * What happens to messages, whichever side starts it: sending, receiving,
 * reading, deleting (for me, or for everyone), editing, and the agreed
 * disappearing-message timer. The API (ours) and the chat protocol (theirs)
 * both come here, so one set of rules applies to both.
 *
 * Everything that carries a message's text is sealed under an epoch key
 * (see store/epochs.ts): deleting or editing a message punctures its epoch,
 * so its old bytes cannot be read again, and an expiring message's key is
 * erased when its window ends.
 */
import { isGroupId, MAX_EXPIRES_IN, TIMER_CHOICES, type Events, type MessageStatus } from '../../shared/api.js'
import { randomBytes } from './crypto/index.js'
import { toHex } from './bytes.js'
import { HybridClock } from './clock.js'
import { arrivalEpochs, CHANGE_WINDOW_MS, CLOCK_SLACK_MS, epochFor, expiryEpoch, keepEpoch, type Expiry } from './disappearing.js'
import type { Emitter } from './emitter.js'
import { HearthError } from './errors.js'
import { Mutex } from './mutex.js'
import { MAX_RECEIPT_IDS } from './protocols/chat/constants.js'
import { listConversations, putConversation } from './store/conversations.js'
import {
  clearUnread,
  findMessage,
  findMessageKeys,
  getMessagesAt,
  hasMessages,
  insertMessage,
  listUnreadKeys,
  messageKey,
  removal,
  scheduleExpiry,
  tombstone,
  updateMessages
} from './store/messages.js'
import type { Outbox, QueuedItem } from './store/outbox.js'
import type { ConversationRecord, MessageRecord, OutboxItem } from './store/records.js'
import type { BatchOp, RowChange, Store } from './store/store.js'

export interface MessageBookDeps {
  store: Store
  outbox: Outbox
  clock: HybridClock
  events: Emitter<Events>
  expiry: Expiry
  selfId: string
  now: () => number
  /** Something was queued for this peer: send it. */
  kick: (peerId: string) => void
}

/** A message as it came off the wire, checked. */
export interface IncomingMessage { id: string, hlc: bigint, text: string, expiresIn?: number }

const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3 }

function newId (): string {
  return toHex(randomBytes(16))
}

export class MessageBook {
  readonly #d: MessageBookDeps
  readonly #timers = new Map<string, ConversationRecord>()
  readonly #timerLock = new Mutex()

  private constructor (deps: MessageBookDeps) {
    this.#d = deps
  }

  static async open (deps: MessageBookDeps): Promise<MessageBook> {
    const book = new MessageBook(deps)
    for (const c of await listConversations(deps.store)) book.#timers.set(c.peerId, c)
    return book
  }

  /** The conversation's disappearing-message timer, in seconds (0: off). */
  timerOf (peerId: string): number {
    return this.#timers.get(peerId)?.timer ?? 0
  }

  // -------------------------------------------------------------- ours

  /** Stores a message and queues it, in one synced write, before returning. */
  async send (to: string, text: string, expiresInSeconds?: number): Promise<{ id: string, status: MessageStatus, sentAt: number, expiresAt?: number }> {
    const { store, outbox, clock } = this.#d
    const id = newId()
    const hlc = clock.tick()
    const sentAt = HybridClock.millis(hlc)
    const lifetime = expiresInSeconds ?? this.timerOf(to)
    const timed = lifetime > 0 ? { expiresIn: lifetime, expiresAt: sentAt + lifetime * 1000 } : {}
    const record: MessageRecord = { id, with: to, from: this.#d.selfId, outgoing: true, text, hlc: hlc.toString(), sentAt, receivedAt: sentAt, status: 'pending', ...timed }
    const item: OutboxItem = { kind: 'message', id, to, hlc: record.hlc, text, ...(timed.expiresIn != null ? { expiresIn: timed.expiresIn } : {}) }
    await store.withEpochs([epochFor(store, record, this.#d.now())], async ([epoch]) => {
      await outbox.commit([item], insertMessage(store, record, epoch), { sync: true, epoch })
    })
    if (timed.expiresAt != null) void this.#d.expiry.run()
    this.#d.kick(to)
    return { id, status: 'pending', sentAt, ...(timed.expiresAt != null ? { expiresAt: timed.expiresAt } : {}) }
  }

  /**
   * Marks a conversation's incoming messages read. A disappearing message's
   * clock starts now: it moves from the "awaiting" epoch to its expiry
   * window. Queues read receipts if `receipts`.
   */
  async markRead (peerId: string, receipts: boolean): Promise<string[]> {
    const ids = await this.readConversation(peerId)
    if (receipts && ids.length > 0) {
      const items: OutboxItem[] = []
      for (let i = 0; i < ids.length; i += MAX_RECEIPT_IDS) items.push({ kind: 'read', id: newId(), to: peerId, messageIds: ids.slice(i, i + MAX_RECEIPT_IDS) })
      await this.#d.outbox.commit(items)
      this.#d.kick(peerId)
    }
    return ids
  }

  /**
   * Marks a conversation's (a contact's or a group's) incoming messages
   * read, starting the clocks of disappearing ones. Returns their ids.
   */
  async readConversation (conversation: string): Promise<string[]> {
    const { store } = this.#d
    const now = this.#d.now()
    const moves = new Map<string, RowChange>()
    const plain: Uint8Array[] = []
    const extra: BatchOp[] = []
    const ids: string[] = []
    const keys = await listUnreadKeys(store, conversation)
    const records = await getMessagesAt(store, keys)
    for (const [i, key] of keys.entries()) {
      extra.push(clearUnread(key))
      const record = records[i]
      if (record == null) continue
      ids.push(record.id)
      if (record.expiresIn != null && record.expiresAt == null) {
        const started = { ...record, status: 'read' as const, expiresAt: now + record.expiresIn * 1000 }
        moves.set(toHex(key), { moveTo: expiryEpoch(started.expiresAt, record.expiresIn), value: started })
        extra.push(scheduleExpiry(store, key, started))
      } else {
        plain.push(key)
      }
    }
    if (moves.size > 0) await store.rewrite(moves, extra)
    await updateMessages(store, plain, r => r.status === 'read' ? undefined : { ...r, status: 'read' }, moves.size > 0 ? [] : extra)
    for (const id of ids) this.#d.events.emit('message.status', { id, with: conversation, status: 'read' })
    if (moves.size > 0) void this.#d.expiry.run()
    return ids
  }

  /**
   * Deletes a message: for me (any message), or for everyone (only my own,
   * within 24 hours of sending; the peer is told, now or when it is back).
   * Its bytes become unreadable on this disk either way.
   */
  async delete (id: string, forEveryone: boolean): Promise<void> {
    const found = await findMessage(this.#d.store, id)
    if (found == null) throw new HearthError('NOT_FOUND', 'there is no such message')
    const { record } = found
    if (forEveryone) {
      if (isGroupId(record.with)) throw new HearthError('NOT_ALLOWED', 'in a group, a message can be deleted only for you')
      if (!record.outgoing || record.kind === 'system') throw new HearthError('NOT_ALLOWED', 'only your own messages can be deleted for everyone')
      if (this.#d.now() - record.sentAt > CHANGE_WINDOW_MS) throw new HearthError('NOT_ALLOWED', 'a message can be deleted for everyone only within 24 hours of sending it')
      // Queued first: if we stopped half-way, the peer would still be told.
      await this.#d.outbox.commit([{ kind: 'retract', id: newId(), to: record.with, messageId: id }])
    }
    await this.remove(found)
    this.#d.events.emit('message.deleted', { id, with: record.with })
    if (forEveryone) this.#d.kick(record.with)
  }

  /** Replaces the text of one of my messages, within 24 hours; the old text is not kept, here or there. */
  async edit (id: string, text: string): Promise<{ id: string, editedAt: number }> {
    const { store, outbox } = this.#d
    const found = await findMessage(store, id)
    if (found == null) throw new HearthError('NOT_FOUND', 'there is no such message')
    const { record } = found
    if (!record.outgoing || record.kind === 'system') throw new HearthError('NOT_ALLOWED', 'only your own messages can be edited')
    if (isGroupId(record.with)) throw new HearthError('NOT_ALLOWED', 'messages in a group cannot be edited')
    const editedAt = this.#d.now()
    if (editedAt - record.sentAt > CHANGE_WINDOW_MS) throw new HearthError('NOT_ALLOWED', 'a message can be edited only within 24 hours of sending it')
    const spec = epochFor(store, record, editedAt)
    await store.withEpochs([spec], async ([epoch]) => {
      await outbox.commit([{ kind: 'edit', id: newId(), to: record.with, messageId: id, text, editedAt }], [], { epoch })
    })
    // Queued copies with the old text (the message itself, earlier edits) change or go too.
    const rows = new Map<string, RowChange>([[toHex(found.key), { value: { ...record, text, editedAt } }]])
    for (const q of await this.queued(record.with, id)) {
      if (q.item.kind === 'message') rows.set(toHex(q.key), { value: { ...q.item, text } })
      else if (q.item.kind === 'edit' && q.item.editedAt < editedAt) rows.set(toHex(q.key), 'drop')
    }
    await store.rewrite(rows)
    this.#d.events.emit('message.edited', { id, with: record.with, text, editedAt })
    this.#d.kick(record.with)
    return { id, editedAt }
  }

  /** Sets a conversation's timer; the peer is told, and the later change wins on both sides. */
  async setTimer (peerId: string, seconds: number): Promise<void> {
    const hlc = this.#d.clock.tick()
    const change = { id: newId(), seconds, hlc }
    await this.applyTimer(peerId, this.#d.selfId, change, [{ kind: 'timer', id: change.id, to: peerId, seconds, hlc: hlc.toString() }])
    this.#d.kick(peerId)
  }

  // -------------------------------------------------------------- theirs

  /**
   * Stores messages from a contact (dropping any already held, or deleted),
   * in one synced write. Disappearing ones wait, in their conversation's
   * "awaiting" epoch, for their clock to start at read.
   */
  async receive (peer: string, messages: IncomingMessage[]): Promise<void> {
    const { store, clock, events } = this.#d
    const known = await hasMessages(store, messages.map(m => m.id))
    const seen = new Set<string>()
    const records: MessageRecord[] = []
    for (const [i, m] of messages.entries()) {
      if (known[i] === true || seen.has(m.id)) continue
      seen.add(m.id)
      const hlc = clock.receive(m.hlc)
      records.push({
        id: m.id,
        with: peer,
        from: peer,
        outgoing: false,
        text: m.text,
        hlc: hlc.toString(),
        sentAt: HybridClock.millis(hlc),
        receivedAt: this.#d.now(),
        status: 'delivered',
        ...(m.expiresIn != null ? { expiresIn: m.expiresIn } : {})
      })
    }
    if (records.length === 0) return
    const { specs, slot } = arrivalEpochs(store, peer, records, this.#d.now())
    await store.withEpochs(specs, async (epochs) => {
      await store.batch(records.flatMap((r, i) => insertMessage(store, r, epochs[slot[i]!])), { sync: true })
    })
    for (const r of records) events.emit('message.received', { id: r.id, from: peer, text: r.text, sentAt: r.sentAt, ...(r.expiresIn != null ? { expiresIn: r.expiresIn } : {}) })
  }

  /**
   * Read receipts: only our own messages to this very peer become read. The
   * ids are looked up in one read; returns how many named no message we hold.
   */
  async receipts (peer: string, messageIds: string[]): Promise<number> {
    const keys = await findMessageKeys(this.#d.store, messageIds)
    const known = keys.filter(k => k != null)
    if (known.length > 0) {
      const changed = await updateMessages(this.#d.store, known, r => !r.outgoing || r.with !== peer || RANK[r.status] >= RANK.read ? undefined : { ...r, status: 'read' })
      for (const r of changed) this.#d.events.emit('message.status', { id: r.id, with: peer, status: 'read' })
    }
    return keys.length - known.length
  }

  /** "Delete for everyone" from the author: honoured for its own messages, within the window. */
  async retracted (peer: string, messageId: string): Promise<void> {
    const found = await findMessage(this.#d.store, messageId)
    if (found == null) {
      // Not (yet) here: a tombstone keeps a late copy out.
      await this.#d.store.batch([tombstone(this.#d.store, messageId)])
      return
    }
    if (!this.authoredBy(found.record, peer)) return
    await this.remove(found)
    this.#d.events.emit('message.deleted', { id: messageId, with: peer })
  }

  /** An edit from the author: honoured for its own messages, within the window; the old text is erased. */
  async edited (peer: string, messageId: string, text: string, editedAt: number): Promise<void> {
    const found = await findMessage(this.#d.store, messageId)
    if (found == null || !this.authoredBy(found.record, peer)) return
    if ((found.record.editedAt ?? 0) >= editedAt) return
    await this.#d.store.rewrite(new Map([[toHex(found.key), { value: { ...found.record, text, editedAt } }]]))
    this.#d.events.emit('message.edited', { id: messageId, with: peer, text, editedAt })
  }

  async timerChanged (peer: string, change: { id: string, seconds: number, hlc: bigint }): Promise<void> {
    await this.applyTimer(peer, peer, { ...change, hlc: this.#d.clock.receive(change.hlc) }, [])
  }

  // -------------------------------------------------------------- shared

  private authoredBy (record: MessageRecord, peer: string): boolean {
    return !record.outgoing && record.from === peer && record.with === peer && record.kind !== 'system' &&
      this.#d.now() - record.sentAt <= CHANGE_WINDOW_MS + CLOCK_SLACK_MS
  }

  private async queued (peerId: string, messageId: string): Promise<QueuedItem[]> {
    const keys = await this.#d.outbox.carrying(peerId, messageId)
    return this.#d.outbox.at(keys)
  }

  /** Removes a message for good: row and queued copies dropped, epoch punctured, tombstone left. */
  private async remove (found: { key: Uint8Array, record: MessageRecord }): Promise<void> {
    const queued = found.record.outgoing ? await this.#d.outbox.carrying(found.record.with, found.record.id) : []
    const plan = removal(this.#d.store, found, queued)
    await this.#d.store.rewrite(plan.rows, plan.extra)
  }

  /**
   * Records a timer change: a system line in the history (on both sides,
   * under the change's id) and, if it is the latest change by clock (ties
   * broken by peer id), the timer in force.
   */
  private async applyTimer (peer: string, by: string, change: { id: string, seconds: number, hlc: bigint }, items: OutboxItem[]): Promise<void> {
    // One change at a time, so "is it the latest?" is decided against what is really stored.
    await this.#timerLock.run(async () => this.applyTimerNow(peer, by, change, items))
  }

  private async applyTimerNow (peer: string, by: string, change: { id: string, seconds: number, hlc: bigint }, items: OutboxItem[]): Promise<void> {
    const { store, events } = this.#d
    if (!(TIMER_CHOICES as readonly number[]).includes(change.seconds) || change.seconds > MAX_EXPIRES_IN) return
    const current = this.#timers.get(peer)
    const wins = current == null || change.hlc > BigInt(current.hlc) || (change.hlc === BigInt(current.hlc) && by > current.by)
    const [exists] = await hasMessages(store, [change.id])
    const sentAt = HybridClock.millis(change.hlc)
    const line: MessageRecord = { id: change.id, with: peer, from: by, outgoing: by === this.#d.selfId, text: '', hlc: change.hlc.toString(), sentAt, receivedAt: this.#d.now(), status: 'read', kind: 'system', system: { timer: change.seconds, by } }
    const record: ConversationRecord = { peerId: peer, timer: change.seconds, hlc: change.hlc.toString(), by }
    await store.withEpochs([keepEpoch(store, peer, this.#d.now())], async ([epoch]) => {
      const ops = [...(exists === true ? [] : insertMessage(store, line, epoch)), ...(wins ? [putConversation(store, record)] : [])]
      await this.#d.outbox.commit(items, ops)
    })
    if (wins) this.#timers.set(peer, record)
    if (exists !== true) events.emit('conversation.timer', { with: peer, seconds: wins ? change.seconds : this.timerOf(peer), by, id: change.id, at: sentAt })
  }

  /** Status changes for our own messages on the way out; never backwards. */
  async advance (peer: string, items: QueuedItem[], status: MessageStatus, extra: BatchOp[] = []): Promise<void> {
    const keys = items.flatMap(q => q.item.kind === 'message' ? [messageKey(this.#d.store, { with: q.item.to, hlc: q.item.hlc, id: q.item.id })] : [])
    const changed = await updateMessages(this.#d.store, keys, r => RANK[r.status] >= RANK[status] ? undefined : { ...r, status }, extra, { sync: false })
    for (const r of changed) this.#d.events.emit('message.status', { id: r.id, with: peer, status })
  }
}
