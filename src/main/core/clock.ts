/**
 * A hybrid logical clock: 48 bits of milliseconds, 16 bits of counter. It
 * orders a conversation the same way on both sides even when the two
 * machines' clocks disagree a little.
 */
const COUNTER_BITS = 16n
const COUNTER_MASK = (1n << COUNTER_BITS) - 1n

/** A peer's clock may run ahead of ours by at most this much; later values are pulled back. */
export const MAX_CLOCK_DRIFT_MS = 60_000

export class HybridClock {
  #last = 0n
  readonly #now: () => number

  constructor (now: () => number = Date.now) {
    this.#now = now
  }

  /** A fresh timestamp for a local event, strictly greater than every one before. */
  tick (): bigint {
    const physical = BigInt(this.#now()) << COUNTER_BITS
    this.#last = physical > this.#last ? physical : this.#last + 1n
    return this.#last
  }

  /**
   * Takes in a timestamp from a peer. Returns it, pulled back to at most
   * MAX_CLOCK_DRIFT_MS ahead of our clock, so a peer cannot pin a message
   * to the end of a conversation; later local ticks sort after it.
   */
  receive (remote: bigint): bigint {
    const ceiling = (BigInt(this.#now() + MAX_CLOCK_DRIFT_MS) << COUNTER_BITS) | COUNTER_MASK
    const value = remote > ceiling ? ceiling : remote
    if (value > this.#last) this.#last = value
    return value
  }

  static millis (hlc: bigint): number {
    return Number(hlc >> COUNTER_BITS)
  }
}
