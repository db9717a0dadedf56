/** A token bucket: `capacity` tokens, one more every `refillMs`. */
export class TokenBucket {
  readonly #capacity: number
  readonly #refillMs: number
  readonly #now: () => number
  #tokens: number
  #last: number

  constructor (capacity: number, refillMs: number, now: () => number = Date.now) {
    this.#capacity = capacity
    this.#refillMs = refillMs
    this.#now = now
    this.#tokens = capacity
    this.#last = now()
  }

  /** Takes a token if one is available. */
  take (): boolean {
    if (this.available() < 1) return false
    this.#tokens -= 1
    return true
  }

  /** Tokens available now. */
  available (): number {
    const now = this.#now()
    // A wall clock stepping backwards refills nothing, rather than running the bucket into debt.
    this.#tokens = Math.min(this.#capacity, this.#tokens + Math.max(0, now - this.#last) / this.#refillMs)
    this.#last = now
    return this.#tokens
  }

  /**
   * Spends `count` tokens, into debt if there are fewer: nothing is
   * available again until the refill has repaid it.
   */
  spend (count: number): void {
    this.#tokens = this.available() - count
  }
}
