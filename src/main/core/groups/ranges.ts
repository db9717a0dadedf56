/**
 * Sets of sequence numbers (1, 2, 3...) kept as sorted, disjoint, inclusive
 * ranges: what a member has seen of one author's group messages. Mostly one
 * range; a gap appears while a message is still on its way.
 */
export type Range = [number, number]

/** The most ranges one set may hold; beyond it the set is refused (it would only come from a peer lying). */
export const MAX_RANGES = 64

export class SeqSet {
  readonly #ranges: Range[]

  constructor (ranges: Range[] = []) {
    this.#ranges = []
    for (const [a, b] of ranges) this.addRange(a, b)
  }

  get ranges (): Range[] {
    return this.#ranges.map(([a, b]) => [a, b])
  }

  /** The highest number held (0 when empty). */
  get max (): number {
    return this.#ranges.at(-1)?.[1] ?? 0
  }

  /** How far the set runs without a gap from 1 (0 when 1 is missing). */
  get contiguous (): number {
    const first = this.#ranges[0]
    return first != null && first[0] === 1 ? first[1] : 0
  }

  has (n: number): boolean {
    let lo = 0
    let hi = this.#ranges.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const [a, b] = this.#ranges[mid]!
      if (n < a) hi = mid - 1
      else if (n > b) lo = mid + 1
      else return true
    }
    return false
  }

  add (n: number): boolean {
    if (this.has(n)) return false
    this.addRange(n, n)
    return true
  }

  addRange (a: number, b: number): void {
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 1 || b < a) throw new RangeError('a range is two whole numbers, 1 <= a <= b')
    const merged: Range[] = []
    let lo = a
    let hi = b
    let placed = false
    for (const [x, y] of this.#ranges) {
      if (y + 1 < lo) merged.push([x, y])
      else if (hi + 1 < x) {
        if (!placed) {
          merged.push([lo, hi])
          placed = true
        }
        merged.push([x, y])
      } else {
        lo = Math.min(lo, x)
        hi = Math.max(hi, y)
      }
    }
    if (!placed) merged.push([lo, hi])
    this.#ranges.splice(0, this.#ranges.length, ...merged)
  }

  /** The numbers from 1 to `upTo` that this set lacks, as ranges. */
  gaps (upTo: number): Range[] {
    const out: Range[] = []
    let next = 1
    for (const [a, b] of this.#ranges) {
      if (a > upTo) break
      if (a > next) out.push([next, a - 1])
      next = b + 1
    }
    if (next <= upTo) out.push([next, upTo])
    return out
  }

  /** Whether `other` holds any number this set lacks. */
  lacksAnyOf (other: SeqSet): boolean {
    return other.#ranges.some(([a, b]) => this.gaps(b).some(([x, y]) => x <= b && y >= a))
  }

  /** Flattened for the wire: start, end, start, end... */
  toFlat (): number[] {
    return this.#ranges.flat()
  }

  /** From the wire: refuses an odd count, numbers out of order or overlapping, or too many ranges. */
  static fromFlat (flat: Array<number | bigint>): SeqSet {
    if (flat.length % 2 !== 0 || flat.length / 2 > MAX_RANGES) throw new RangeError('ranges must come in pairs, at most ' + String(MAX_RANGES))
    const ranges: Range[] = []
    let last = 0
    for (let i = 0; i < flat.length; i += 2) {
      const a = Number(flat[i])
      const b = Number(flat[i + 1])
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a <= last || b < a) throw new RangeError('ranges must be sorted and disjoint')
      ranges.push([a, b])
      last = b
    }
    return new SeqSet(ranges)
  }
}
