/**
 * One open conversation, with a contact or a group: its messages (loaded a
 * page at a time, newest first, older pages as the user scrolls back), kept
 * as display rows with a separator at each new day, and kept current from
 * the core's events.
 */
import { isGroupId, type Events, type GroupReceipts, type Message, type MessageStatus } from '../../../shared/api'
import type { Client } from '../lib/client'
import { dayKey } from '../lib/format'

export type Row =
  | { kind: 'day', key: string, at: number }
  /** `lead`: the first of a run of messages by one author (a group shows the author's name there). */
  | { kind: 'message', key: string, message: Message, lead: boolean }

export const PAGE = 50
/** Status changes kept for messages not (yet) on screen; the oldest go first. */
const MAX_EARLY = 512
const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3 }

/** Counts only grow: an older event (or a page fetched before it) never undoes a newer one. */
export function mergeReceipts (a: GroupReceipts | undefined, b: GroupReceipts | undefined): GroupReceipts | undefined {
  if (a == null || b == null) return b ?? a
  return { delivered: Math.max(a.delivered, b.delivered), read: Math.max(a.read, b.read), of: b.of }
}

function sameReceipts (a: GroupReceipts | undefined, b: GroupReceipts | undefined): boolean {
  return a?.delivered === b?.delivered && a?.read === b?.read && a?.of === b?.of
}

/** Whether `m` starts a run of one author's messages (on one day, with no system line between), coming after `previous`. */
function leads (m: Message, previous: Message | undefined, sameDay = previous != null && dayKey(previous.sentAt) === dayKey(m.sentAt)): boolean {
  return m.kind === 'system' || previous == null || !sameDay || previous.kind === 'system' || previous.from !== m.from
}

/** Rows for a run of messages (oldest first) that follows `previous`, with a separator before each new day. */
export function toRows (messages: Message[], previous?: Message): Row[] {
  const rows: Row[] = []
  let day = previous == null ? undefined : dayKey(previous.sentAt)
  let prev = previous
  for (const m of messages) {
    const d = dayKey(m.sentAt)
    if (d !== day) rows.push({ kind: 'day', key: `day-${m.id}`, at: m.sentAt })
    rows.push({ kind: 'message', key: m.id, message: m, lead: leads(m, prev, d === day) })
    day = d
    prev = m
  }
  return rows
}

export class Chat {
  /** The conversation: a contact's peer id, or a group id. */
  readonly peerId: string
  readonly group: boolean
  rows = $state.raw<Row[]>([])
  loadingOlder = $state(false)
  /** No older messages remain. */
  complete = $state(false)
  /** The time, a second at a time while followed: what disappearing messages have left counts down. */
  now = $state(Date.now())
  readonly #client: Client
  readonly #self: string
  /** Status changes that arrived before the message they belong to. */
  readonly #early = new Map<string, { status: MessageStatus, receipts?: GroupReceipts }>()
  /** A markRead waiting to go. */
  #markPending: ReturnType<typeof setTimeout> | undefined

  constructor (client: Client, peerId: string, self: string) {
    this.#client = client
    this.peerId = peerId
    this.group = isGroupId(peerId)
    this.#self = self
  }

  get oldest (): Message | undefined {
    for (const r of this.rows) if (r.kind === 'message') return r.message
    return undefined
  }

  get newest (): Message | undefined {
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const r = this.rows[i]!
      if (r.kind === 'message') return r.message
    }
    return undefined
  }

  async loadLatest (): Promise<void> {
    const page = await this.#client.call('messages.list', { with: this.peerId, limit: PAGE })
    this.rows = toRows(page)
    this.complete = page.length < PAGE
  }

  /** Loads the page before the oldest message shown; resolves to how many came. */
  async loadOlder (): Promise<number> {
    const oldest = this.oldest
    if (this.loadingOlder || this.complete || oldest == null) return 0
    this.loadingOlder = true
    try {
      const page = await this.#client.call('messages.list', { with: this.peerId, limit: PAGE, before: oldest.id })
      if (page.length < PAGE) this.complete = true
      if (page.length === 0) return 0
      const older = toRows(page)
      const end = page[page.length - 1]!
      // The day separator of the old first message is redundant if the page ends on that day.
      const rest = this.rows[0]?.kind === 'day' && dayKey(end.sentAt) === dayKey(oldest.sentAt) ? this.rows.slice(1) : this.rows.slice()
      // And the old first message no longer starts its author's run if the page ends with theirs.
      const first = rest[0]
      if (first?.kind === 'message') rest[0] = { ...first, lead: leads(first.message, end) }
      this.rows = [...older, ...rest]
      return page.length
    } finally {
      this.loadingOlder = false
    }
  }

  /** Sends a message; in a group, `recipients` is how many members it goes to (for its ticks until the first receipt). */
  async send (text: string, recipients?: number): Promise<void> {
    const r = await this.#client.call('messages.send', { to: this.peerId, text })
    const early = this.#early.get(r.id)
    this.#early.delete(r.id)
    const status = early != null && RANK[early.status] > RANK[r.status] ? early.status : r.status
    const receipts = mergeReceipts(recipients != null ? { delivered: 0, read: 0, of: recipients } : undefined, early?.receipts)
    this.append({
      id: r.id,
      from: this.#self,
      with: this.peerId,
      text,
      sentAt: r.sentAt,
      status,
      outgoing: true,
      ...(r.expiresAt != null ? { expiresAt: r.expiresAt } : {}),
      ...(receipts != null ? { receipts } : {})
    })
  }

  /** Sets the conversation's disappearing-message timer. */
  async setTimer (seconds: number): Promise<void> {
    await this.#client.call('conversations.setTimer', { with: this.peerId, seconds })
  }

  /**
   * Marks the conversation read a moment from now (one call for a burst of
   * messages), if the window is in view; `then` runs once that is done. A
   * failure is dropped: the next message tries again.
   */
  markRead (then: () => Promise<void>): void {
    if (this.#markPending != null || document.visibilityState !== 'visible') return
    this.#markPending = setTimeout(() => {
      this.#markPending = undefined
      void this.#client.call('messages.markRead', { with: this.peerId }).then(then, () => {})
    }, 150)
  }

  /**
   * Keeps the conversation current from the core's events, and `now`
   * ticking, until the returned stop is called (which also drops a pending
   * markRead). `received` runs after each message that comes in (for this
   * conversation or not), `deleted` after each deletion.
   */
  follow (hooks: { received?: (m: Events['message.received']) => void, deleted?: (e: Events['message.deleted']) => void } = {}): () => void {
    const c = this.#client
    const offs = [
      c.on('message.received', (m) => {
        this.onReceived(m)
        hooks.received?.(m)
      }),
      c.on('message.status', (s) => { this.onStatus(s) }),
      c.on('message.expired', (e) => { this.onGone(e) }),
      c.on('message.deleted', (e) => {
        this.onGone(e)
        hooks.deleted?.(e)
      }),
      // Edits are a contact's only; a group's timer changes come as system lines, not as this event.
      ...(this.group
        ? []
        : [
            c.on('message.edited', (e) => { this.onEdited(e) }),
            c.on('conversation.timer', (e) => { this.onTimer(e) })
          ])
    ]
    // Remaining times of disappearing messages tick down.
    const clock = setInterval(() => { this.now = Date.now() }, 1000)
    offs.push(() => { clearInterval(clock) })
    return () => {
      for (const off of offs) off()
      if (this.#markPending != null) clearTimeout(this.#markPending)
    }
  }

  /** Whether a received message belongs here: a group's carry its id; a contact's are theirs and in no group. */
  belongs (m: Events['message.received']): boolean {
    return this.group ? m.group === this.peerId : m.group == null && m.from === this.peerId
  }

  onReceived (m: Events['message.received']): void {
    if (!this.belongs(m) || this.rows.some(r => r.key === m.id)) return
    const outgoing = m.from === this.#self
    this.insert({
      id: m.id,
      from: m.from,
      with: this.peerId,
      text: m.text,
      sentAt: m.sentAt,
      // A system line is never unread; a message of mine that came back to me (from another member) is at least sent.
      status: m.kind === 'system' ? 'read' : outgoing ? 'sent' : 'delivered',
      outgoing,
      ...(m.kind != null ? { kind: m.kind } : {}),
      ...(m.system != null ? { system: m.system } : {}),
      ...(m.expiresIn != null ? { expiresIn: m.expiresIn } : {})
    })
  }

  /** A message expired or was deleted: it leaves the list (and its day, if it was the day's last). */
  onGone (e: { id: string, with: string }): void {
    if (e.with !== this.peerId || !this.rows.some(r => r.key === e.id)) return
    const messages = this.messages().filter(m => m.id !== e.id)
    this.rows = toRows(messages)
  }

  onEdited (e: Events['message.edited']): void {
    if (e.with !== this.peerId) return
    this.rows = this.rows.map(r => r.kind === 'message' && r.message.id === e.id ? { ...r, message: { ...r.message, text: e.text, editedAt: e.editedAt } } : r)
  }

  onTimer (e: Events['conversation.timer']): void {
    if (e.with !== this.peerId || this.rows.some(r => r.key === e.id)) return
    this.append({ id: e.id, from: e.by, with: this.peerId, text: '', sentAt: e.at, status: 'read', outgoing: e.by === this.#self, kind: 'system', system: { timer: e.seconds, by: e.by } })
  }

  /** The messages shown, oldest first. */
  messages (): Message[] {
    return this.rows.flatMap(r => r.kind === 'message' ? [r.message] : [])
  }

  /** A message of mine got further: its status never goes back, and a group's counts only grow. */
  onStatus (s: Events['message.status']): void {
    if (s.with !== this.peerId) return
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const r = this.rows[i]!
      if (r.kind !== 'message' || r.message.id !== s.id) continue
      const status = RANK[s.status] > RANK[r.message.status] ? s.status : r.message.status
      const receipts = mergeReceipts(r.message.receipts, s.receipts)
      if (status === r.message.status && sameReceipts(receipts, r.message.receipts)) return
      const rows = this.rows.slice()
      rows[i] = { ...r, message: { ...r.message, status, ...(receipts != null ? { receipts } : {}) } }
      this.rows = rows
      return
    }
    const before = this.#early.get(s.id)
    const receipts = mergeReceipts(before?.receipts, s.receipts)
    this.#early.delete(s.id)
    if (this.#early.size >= MAX_EARLY) this.#early.delete(this.#early.keys().next().value!)
    this.#early.set(s.id, { status: before == null || RANK[s.status] > RANK[before.status] ? s.status : before.status, ...(receipts != null ? { receipts } : {}) })
  }

  private append (m: Message): void {
    this.rows = [...this.rows, ...toRows([m], this.newest)]
  }

  /**
   * Puts a message in its place by time. Almost always that is the end; a
   * group's catch-up can bring messages written while we were apart, which
   * belong among the ones already shown.
   */
  private insert (m: Message): void {
    const last = this.newest
    if (last == null || m.sentAt >= last.sentAt) {
      this.append(m)
      return
    }
    const messages = this.messages()
    let at = messages.length
    while (at > 0 && messages[at - 1]!.sentAt > m.sentAt) at--
    // Older than every message loaded: it belongs to a page not loaded yet, and will come with it.
    if (at === 0 && !this.complete) return
    messages.splice(at, 0, m)
    this.rows = toRows(messages)
  }
}

export function createChat (client: Client, peerId: string, self: string): Chat {
  return new Chat(client, peerId, self)
}
