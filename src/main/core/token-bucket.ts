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
    const now = this.#now()
    // A wall clock stepping backwards refills nothing, rather than running the bucket into debt.
    this.#tokens = Math.min(this.#capacity, this.#tokens + Math.max(0, now - this.#last) / this.#refillMs)
    this.#last = now
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }
}
