/**
 * The persistent outbox: every reliable frame (message, read receipt,
 * profile update) waits here until the peer acknowledges that it stored it.
 * Keys are OUTBOX | keyed hash of the peer (16) | sequence (8), so one
 * peer's queue is one ordered range.
 */
import { Mutex } from '../mutex.js'
import { OutboxItem, parseRecord } from './records.js'
import { Store, type BatchOp } from './store.js'
import { makeKey, readU64, Table, u64 } from './tables.js'
import { compare } from 'uint8arrays/compare'

export interface QueuedItem {
  key: Uint8Array
  item: OutboxItem
}

export class Outbox {
  readonly #store: Store
  readonly #lock = new Mutex()
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
   * Queues items, committing them in one batch with `ops` (whatever the
   * items report, such as the message itself). Commits run one at a time
   * and take their sequence numbers inside, so a peer's queue order is the
   * order in which commits were asked for, and a sender that has gone past
   * an item never finds an earlier one appearing behind it.
   */
  async commit (items: OutboxItem[], ops: BatchOp[] = [], options: { sync?: boolean } = {}): Promise<void> {
    await this.#lock.run(async () => {
      const queued = items.map(item => {
        this.#seq += 1n
        return this.#store.putJson(makeKey(Table.OUTBOX, this.prefix(item.to), u64(this.#seq)), item)
      })
      await this.#store.batch([...ops, ...queued], options)
    })
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
