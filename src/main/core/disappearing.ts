/**
 * Disappearing messages: the timer choices, which epoch a message is sealed
 * in (so that its key can be erased when it goes), and the scheduler that
 * makes messages vanish at their time and erases their keys.
 */
import { fromHex, toHex } from './bytes.js'
import { createLog } from './log.js'
import type { EpochSpec, Store } from './store/store.js'
import { conversationHash, dueExpiries, nextExpiry, removal } from './store/messages.js'
import type { Outbox } from './store/outbox.js'
import { MessageRecord, parseRecord } from './store/records.js'
import type { BatchOp } from './store/store.js'

const log = createLog('expiry')

/** How long after a message's send time it may still be retracted or edited. */
export const CHANGE_WINDOW_MS = 24 * 60 * 60 * 1000
/** Slack for the two clocks disagreeing when that window is checked. */
export const CLOCK_SLACK_MS = 60_000

const WEEK_MS = 7 * 24 * 60 * 60 * 1000
/** Expiry windows, in seconds: a message's key is erased at the end of its window. */
const WINDOWS = [1, 2, 5, 15, 30, 60, 300, 900, 3600]

/**
 * The epoch for a message that disappears at `expiresAt` after living
 * `lifetime` seconds: a window at most a sixteenth of its lifetime (and at
 * most an hour) wide, so its key is gone soon after the message.
 */
export function expiryEpoch (expiresAt: number, lifetime: number): EpochSpec {
  const size = WINDOWS.findLast(w => w <= lifetime / 16) ?? 1
  const window = size * 1000
  const end = Math.ceil(expiresAt / window) * window
  return { kind: 'expiry', bucket: `x:${window}:${end}`, endsAt: end }
}

/** The epoch for a message that stays: one per conversation and week of writing. */
export function keepEpoch (store: Store, peerId: string, now: number): EpochSpec {
  return { kind: 'day', bucket: `w:${toHex(conversationHash(store, peerId))}:${Math.floor(now / WEEK_MS)}` }
}

/** The epoch for incoming disappearing messages whose clock has not started (they are unread). */
export function awaitingEpoch (store: Store, peerId: string): EpochSpec {
  return { kind: 'awaiting', bucket: `a:${toHex(conversationHash(store, peerId))}` }
}

/**
 * The epochs for messages of one conversation arriving now: the week's kept
 * epoch, and the awaiting one for disappearing messages, each only if some
 * message needs it. `slot[i]` is the index in `specs` of message i's epoch.
 */
export function arrivalEpochs (store: Store, peerId: string, messages: Array<{ expiresIn?: number }>, now: number): { specs: EpochSpec[], slot: number[] } {
  const specs: EpochSpec[] = []
  const slot = messages.map(m => {
    const spec = m.expiresIn != null ? awaitingEpoch(store, peerId) : keepEpoch(store, peerId, now)
    const at = specs.findIndex(s => s.bucket === spec.bucket)
    return at === -1 ? specs.push(spec) - 1 : at
  })
  return { specs, slot }
}

/** The epoch a message belongs in, from its record. */
export function epochFor (store: Store, record: MessageRecord, now: number): EpochSpec {
  if (record.expiresAt != null && record.expiresIn != null) return expiryEpoch(record.expiresAt, record.expiresIn)
  if (record.expiresIn != null) return awaitingEpoch(store, record.with)
  return keepEpoch(store, record.with, now)
}

/** setTimeout cannot wait longer than about 24.8 days. */
const MAX_WAIT_MS = 2 ** 31 - 1

/**
 * Makes disappearing messages disappear: at each message's time it is
 * removed (with a tombstone, and with any queued copy), and when an expiry
 * window ends its epoch key is erased, so nothing of its messages can be
 * read from the disk any more.
 */
export class Expiry {
  readonly #store: Store
  readonly #outbox: Outbox
  readonly #now: () => number
  readonly #onExpired: (gone: Array<{ id: string, with: string }>) => void
  #timer?: ReturnType<typeof setTimeout>
  #running?: Promise<void>
  #again = false
  #stopped = false

  constructor (store: Store, outbox: Outbox, now: () => number, onExpired: (gone: Array<{ id: string, with: string }>) => void) {
    this.#store = store
    this.#outbox = outbox
    this.#now = now
    this.#onExpired = onExpired
  }

  /** Runs everything that is due now, then waits for what comes next. */
  async run (): Promise<void> {
    if (this.#running != null) {
      this.#again = true
      return this.#running
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false
          await this.expireDue()
          await this.eraseEndedWindows()
        } while (this.#again)
      } catch (err) {
        log.error('expiry failed - %e', err)
      } finally {
        this.#running = undefined
        await this.schedule()
      }
    })()
    return this.#running
  }

  stop (): void {
    this.#stopped = true
    if (this.#timer != null) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  private async expireDue (): Promise<void> {
    for (;;) {
      const due = await dueExpiries(this.#store, this.#now())
      if (due.length === 0) return
      const gone: Array<{ id: string, with: string }> = []
      const deletes: BatchOp[] = []
      for (const d of due) {
        deletes.push({ type: 'del', key: d.entry })
        const value = await this.#store.getJson(d.messageKey)
        if (value === undefined) continue
        const record = parseRecord(MessageRecord, value, 'message')
        const plan = removal(this.#store, { key: d.messageKey, record }, record.outgoing && record.status !== 'delivered' && record.status !== 'read' ? await this.#outbox.carrying(record.with, record.id) : [])
        // The message's window epoch is erased at the window's end; until then
        // the row is simply deleted (a puncture per message would cost more).
        const rows = [...plan.rows.keys()]
        for (const hex of rows) deletes.push(...await this.#store.deleteRow(fromHex(hex)))
        deletes.push(...plan.extra)
        gone.push({ id: d.id, with: d.with })
      }
      await this.#store.batch(deletes)
      if (gone.length > 0) this.#onExpired(gone)
    }
  }

  private async eraseEndedWindows (): Promise<void> {
    const now = this.#now()
    const ended = this.#store.epochs.list().filter(e => e.kind === 'expiry' && e.endsAt != null && e.endsAt <= now)
    if (ended.length === 0) return
    await this.#store.eraseEpochs(ended.map(e => fromHex(e.id)))
  }

  private async schedule (): Promise<void> {
    if (this.#stopped || this.#store.closed) return
    if (this.#timer != null) clearTimeout(this.#timer)
    const next = [await nextExpiry(this.#store), ...this.#store.epochs.list().filter(e => e.kind === 'expiry').map(e => e.endsAt)]
      .filter((t): t is number => t != null)
    if (next.length === 0) return
    const wait = Math.min(Math.max(0, Math.min(...next) - this.#now()), MAX_WAIT_MS)
    this.#timer = setTimeout(() => { void this.run() }, wait)
    this.#timer.unref()
  }
}
