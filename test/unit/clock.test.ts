import { describe, it, expect } from 'vitest'
import { HybridClock, MAX_CLOCK_DRIFT_MS } from '../../src/main/core/clock.js'

const T0 = 1_700_000_000_000

/** A clock whose wall time the test sets. */
function fakeClock (start = T0): { clock: HybridClock, set: (ms: number) => void } {
  let now = start
  return { clock: new HybridClock(() => now), set: (ms) => { now = ms } }
}

function expectIncreasing (values: bigint[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i], `tick ${i}`).toBeGreaterThan(values[i - 1] ?? 0n)
}

describe('HybridClock', () => {
  it('carries the wall time in milliseconds', () => {
    const { clock } = fakeClock()
    expect(HybridClock.millis(clock.tick())).toBe(T0)
  })

  it('ticks strictly increase while the wall clock stands still', () => {
    const { clock } = fakeClock()
    const ticks = Array.from({ length: 1000 }, () => clock.tick())
    expectIncreasing(ticks)
    expect(HybridClock.millis(ticks[999] ?? 0n)).toBe(T0)
  })

  it('ticks strictly increase when the wall clock goes backwards', () => {
    const { clock, set } = fakeClock()
    const ticks = [clock.tick(), clock.tick()]
    set(T0 - 3_600_000)
    ticks.push(clock.tick(), clock.tick())
    set(T0 - 1)
    ticks.push(clock.tick())
    expectIncreasing(ticks)
  })

  it('follows the wall clock again once it moves past the last value', () => {
    const { clock, set } = fakeClock()
    clock.tick()
    set(T0 - 10_000)
    clock.tick()
    set(T0 + 5)
    expect(HybridClock.millis(clock.tick())).toBe(T0 + 5)
  })

  it('keeps increasing past 65,536 ticks in one millisecond', () => {
    const { clock } = fakeClock()
    let last = clock.tick()
    for (let i = 0; i < 70_000; i++) {
      const next = clock.tick()
      if (next <= last) throw new Error(`tick ${i} did not increase`)
      last = next
    }
    expect(last).toBeGreaterThan(BigInt(T0) << 16n)
  })

  it('accepts a remote value within the allowed drift as it is', () => {
    const { clock } = fakeClock()
    const remote = (BigInt(T0 + MAX_CLOCK_DRIFT_MS - 1) << 16n) + 7n
    expect(clock.receive(remote)).toBe(remote)
    const past = BigInt(T0 - 86_400_000) << 16n
    expect(clock.receive(past)).toBe(past)
  })

  it('pulls a far-future remote value back to at most MAX_CLOCK_DRIFT_MS ahead', () => {
    const { clock } = fakeClock()
    for (const remote of [BigInt(T0 + 365 * 86_400_000) << 16n, (1n << 64n) - 1n]) {
      const value = clock.receive(remote)
      expect(value).toBeLessThan(remote)
      expect(HybridClock.millis(value)).toBeLessThanOrEqual(T0 + MAX_CLOCK_DRIFT_MS)
      expect(HybridClock.millis(value)).toBeGreaterThanOrEqual(T0)
    }
  })

  it('sorts later local ticks after received values, even pulled-back ones', () => {
    const { clock, set } = fakeClock()
    const near = clock.receive(BigInt(T0 + 30_000) << 16n)
    const a = clock.tick()
    expect(a).toBeGreaterThan(near)

    const far = clock.receive(BigInt(T0 + 10 * 86_400_000) << 16n)
    const b = clock.tick()
    expect(b).toBeGreaterThan(far)
    expect(b).toBeGreaterThan(a)

    // A remote value older than ours does not move us backwards.
    const old = clock.receive(1n << 16n)
    expect(old).toBe(1n << 16n)
    const c = clock.tick()
    expect(c).toBeGreaterThan(b)

    // Once the wall clock catches up, ticks follow it again.
    set(T0 + MAX_CLOCK_DRIFT_MS + 1000)
    expect(HybridClock.millis(clock.tick())).toBe(T0 + MAX_CLOCK_DRIFT_MS + 1000)
  })
})
