/**
 * The persistent outbox: every reliable frame (message, read receipt,
 * profile update) waits here until the peer acknowledges that it stored it.
 * Keys are OUTBOX | keyed hash of the peer (16) | sequence (8), so one
 * peer's queue is one ordered range.
 */
import { OutboxItem, parseRecord } from './records.js'
import { Store, type BatchOp } from './store.js'
import { makeKey, readU64, Table, u64 } from './tables.js'
import { compare } from 'uint8arrays/compare'

export interface QueuedItem {
  key: Uint8Array
  item: OutboxItem
}

interface PendingCommit {
  items: OutboxItem[]
  ops: BatchOp[]
  sync: boolean
  epoch: Uint8Array | undefined
  resolve: () => void
  reject: (err: unknown) => void
}

export class Outbox {
  readonly #store: Store
  readonly #waiting: PendingCommit[] = []
  #writing = false
  #seq: bigint

  private constructor (store: Store, seq: bigint) {
    this.#store = store
    this.#seq = seq
  }

  /** Opens the outbox, continuing the sequence after the highest queued item. */
  static async open (store: Store): Promise<Outbox> {
    let max = 0n
    for await (const key of store.keys(Store.range(Table.OUTBOX))) {
      const seq = readU64(key, 17)
      if (seq > max) max = seq
    }
    return new Outbox(store, max)
  }

  private prefix (peerId: string): Uint8Array {
    return this.#store.hash('peer', peerId)
  }

  /**
   * Queues items, committing them with `ops` (whatever the items report,
   * such as the message itself) in one atomic write; resolves once that write
   * is on disk. Commits asked for while a write is under way are grouped
   * into the next write (group commit: one fsync for a whole burst). Items
   * take their sequence numbers in the order commits were asked for, and a
   * group becomes visible all at once, so a sender that has gone past an
   * item never finds an earlier one appearing behind it.
   */
  async commit (items: OutboxItem[], ops: BatchOp[] = [], options: { sync?: boolean, epoch?: Uint8Array } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ items, ops, sync: options.sync ?? true, epoch: options.epoch, resolve, reject })
      if (!this.#writing) void this.flush()
    })
  }

  /** The queued items at these keys (those still queued). */
  async at (keys: Uint8Array[]): Promise<QueuedItem[]> {
    const values = await this.#store.getManyJson(keys)
    return keys.flatMap((key, i) => values[i] === undefined ? [] : [{ key, item: parseRecord(OutboxItem, values[i], 'outbox item') }])
  }

  /** Keys of the queued items of a peer that carry a given message (to drop them with it). */
  async carrying (peerId: string, messageId: string): Promise<Uint8Array[]> {
    const keys: Uint8Array[] = []
    for await (const { key, value } of this.#store.entries(Store.range(Table.OUTBOX, this.prefix(peerId)))) {
      const item = parseRecord(OutboxItem, value, 'outbox item')
      if ((item.kind === 'message' && item.id === messageId) || (item.kind === 'edit' && item.messageId === messageId)) keys.push(key)
    }
    return keys
  }

  private async flush (): Promise<void> {
    this.#writing = true
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0)
      const batch: BatchOp[] = []
      for (const commit of group) {
        batch.push(...commit.ops)
        for (const item of commit.items) {
          this.#seq += 1n
          const key = makeKey(Table.OUTBOX, this.prefix(item.to), u64(this.#seq))
          // What carries a message's text is sealed in the message's epoch, and erased with it.
          if (commit.epoch != null) batch.push(...this.#store.putInEpoch(key, item, commit.epoch))
          else batch.push(this.#store.putJson(key, item))
        }
      }
      try {
        await this.#store.batch(batch, { sync: group.some(c => c.sync) })
        for (const commit of group) commit.resolve()
      } catch (err) {
        for (const commit of group) commit.reject(err)
      }
    }
    this.#writing = false
  }

  /** Up to `limit` queued items for a peer, in order, after the key `after` (the last one already sent). */
  async pending (peerId: string, limit: number, after?: Uint8Array): Promise<QueuedItem[]> {
    const range = Store.range(Table.OUTBOX, this.prefix(peerId))
    const inRange = after != null && compare(after, range.gte) >= 0 && compare(after, range.lt) < 0
    const out: QueuedItem[] = []
    for await (const { key, value } of this.#store.entries(inRange ? { gt: after, lt: range.lt, limit } : { ...range, limit })) {
      out.push({ key, item: parseRecord(OutboxItem, value, 'outbox item') })
    }
    return out
  }

  async count (peerId: string): Promise<number> {
    let n = 0
    for await (const _ of this.#store.keys(Store.range(Table.OUTBOX, this.prefix(peerId)))) n++
    return n
  }
}
