/**
 * One open conversation: its messages (loaded a page at a time, newest
 * first, older pages as the user scrolls back), kept as display rows with a
 * separator at each new day, and kept current from the core's events.
 */
import type { Events, Message, MessageStatus } from '../../../shared/api'
import type { Client } from '../lib/client'

export type Row =
  | { kind: 'day', key: string, at: number }
  | { kind: 'message', key: string, message: Message }

export const PAGE = 50
const RANK: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3 }

/** Local calendar day of a timestamp, as a number that changes at local midnight. */
export function localDay (ms: number): number {
  const d = new Date(ms)
  return d.getFullYear() * 400 + d.getMonth() * 32 + d.getDate()
}

/** Rows for a run of messages (oldest first), with a separator before each new day. */
export function toRows (messages: Message[], previousDay?: number): Row[] {
  const rows: Row[] = []
  let day = previousDay
  for (const m of messages) {
    const d = localDay(m.sentAt)
    if (d !== day) rows.push({ kind: 'day', key: `day-${m.id}`, at: m.sentAt })
    day = d
    rows.push({ kind: 'message', key: m.id, message: m })
  }
  return rows
}

export class Chat {
  readonly peerId: string
  rows = $state.raw<Row[]>([])
  loadingOlder = $state(false)
  /** No older messages remain. */
  complete = $state(false)
  error = $state('')
  readonly #client: Client
  readonly #self: string
  /** Status changes that arrived before the message they belong to. */
  readonly #early = new Map<string, MessageStatus>()

  constructor (client: Client, peerId: string, self: string) {
    this.#client = client
    this.peerId = peerId
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
      // The day separator of the old first message is redundant if the page ends on that day.
      const rest = this.rows[0]?.kind === 'day' && localDay(page[page.length - 1]!.sentAt) === localDay(oldest.sentAt) ? this.rows.slice(1) : this.rows
      this.rows = [...older, ...rest]
      return page.length
    } finally {
      this.loadingOlder = false
    }
  }

  async send (text: string): Promise<void> {
    const r = await this.#client.call('messages.send', { to: this.peerId, text })
    const status = this.#early.get(r.id) ?? r.status
    this.#early.delete(r.id)
    this.append({ id: r.id, from: this.#self, with: this.peerId, text, sentAt: r.sentAt, status, outgoing: true, ...(r.expiresAt != null ? { expiresAt: r.expiresAt } : {}) })
  }

  onReceived (m: Events['message.received']): void {
    if (m.from !== this.peerId || this.rows.some(r => r.key === m.id)) return
    this.append({ ...m, with: m.from, outgoing: false, status: 'delivered' })
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

  onStatus (s: Events['message.status']): void {
    if (s.with !== this.peerId) return
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const r = this.rows[i]!
      if (r.kind !== 'message' || r.message.id !== s.id) continue
      if (RANK[s.status] <= RANK[r.message.status]) return
      const rows = this.rows.slice()
      rows[i] = { ...r, message: { ...r.message, status: s.status } }
      this.rows = rows
      return
    }
    const before = this.#early.get(s.id)
    if (before == null || RANK[s.status] > RANK[before]) this.#early.set(s.id, s.status)
  }

  private append (m: Message): void {
    const last = this.newest
    this.rows = [...this.rows, ...toRows([m], last == null ? undefined : localDay(last.sentAt))]
  }
}

export function createChat (client: Client, peerId: string, self: string): Chat {
  return new Chat(client, peerId, self)
}
