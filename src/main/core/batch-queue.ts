/**
 * A bounded queue between one producer and one consumer that takes items
 * in batches: the producer waits when the queue is full (backpressure), the
 * consumer takes everything waiting at once (group commit).
 */
export class BatchQueue<T> {
  readonly #highWater: number
  #items: T[] = []
  #ended = false
  #wakeConsumer?: () => void
  #wakeProducer?: () => void

  constructor (highWater: number) {
    this.#highWater = highWater
  }

  /** Adds an item; resolves once there is room for more. */
  async push (item: T): Promise<void> {
    if (this.#ended) return
    this.#items.push(item)
    this.#wake('consumer')
    while (this.#items.length >= this.#highWater && !this.#ended) {
      await new Promise<void>(resolve => { this.#wakeProducer = resolve })
    }
  }

  /** No more items will come; a waiting `take` returns what is left, then `undefined`. */
  end (): void {
    this.#ended = true
    this.#wake('consumer')
    this.#wake('producer')
  }

  /** Waits for at least one item and returns up to `max` of them, or `undefined` once ended and empty. */
  async take (max: number): Promise<T[] | undefined> {
    while (this.#items.length === 0) {
      if (this.#ended) return undefined
      await new Promise<void>(resolve => { this.#wakeConsumer = resolve })
    }
    const batch = this.#items.splice(0, max)
    this.#wake('producer')
    return batch
  }

  #wake (who: 'consumer' | 'producer'): void {
    const fn = who === 'consumer' ? this.#wakeConsumer : this.#wakeProducer
    if (who === 'consumer') this.#wakeConsumer = undefined
    else this.#wakeProducer = undefined
    fn?.()
  }
}
