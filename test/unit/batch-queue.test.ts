import { describe, it, expect } from 'vitest'
import { BatchQueue } from '../../src/main/core/batch-queue.js'
import { Mutex } from '../../src/main/core/mutex.js'
import { TokenBucket } from '../../src/main/core/token-bucket.js'

/** Lets every queued promise callback run. */
async function settle (): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T> (promise: Promise<T>): { done: () => boolean, value: () => T | undefined } {
  let done = false
  let value: T | undefined
  void promise.then(v => { done = true; value = v })
  return { done: () => done, value: () => value }
}

describe('BatchQueue', () => {
  it('take() returns everything waiting, in order, up to max', async () => {
    const q = new BatchQueue<number>(100)
    for (let i = 0; i < 10; i++) await q.push(i)
    expect(await q.take(4)).toEqual([0, 1, 2, 3])
    expect(await q.take(100)).toEqual([4, 5, 6, 7, 8, 9])
  })

  it('take() waits for the first item when the queue is empty', async () => {
    const q = new BatchQueue<string>(10)
    const taken = track(q.take(10))
    await settle()
    expect(taken.done()).toBe(false)
    await q.push('a')
    await settle()
    expect(taken.value()).toEqual(['a'])
  })

  it('push() waits at the high-water mark until take() makes room', async () => {
    const q = new BatchQueue<number>(3)
    await q.push(1)
    await q.push(2)
    const third = track(q.push(3))
    await settle()
    expect(third.done()).toBe(false)

    expect(await q.take(1)).toEqual([1])
    await settle()
    expect(third.done()).toBe(true)
    expect(await q.take(10)).toEqual([2, 3])
  })

  it('keeps the producer waiting while a partial take leaves the queue at the mark', async () => {
    const q = new BatchQueue<number>(2)
    await q.push(1)
    const blocked = track(q.push(2))
    await settle()
    expect(blocked.done()).toBe(false)
    // Items keep arriving order-preserved across many rounds of backpressure.
    const got: number[] = []
    got.push(...(await q.take(1)) ?? [])
    await settle()
    expect(blocked.done()).toBe(true)
    const producer = (async () => { for (let i = 3; i <= 20; i++) await q.push(i) })()
    while (got.length < 20) got.push(...(await q.take(3)) ?? [])
    await producer
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
  })

  it('end() lets a waiting take() finish with undefined after the remaining items', async () => {
    const q = new BatchQueue<number>(10)
    await q.push(1)
    await q.push(2)
    q.end()
    expect(await q.take(1)).toEqual([1])
    expect(await q.take(10)).toEqual([2])
    expect(await q.take(10)).toBeUndefined()
  })

  it('end() releases a take() that is already waiting', async () => {
    const q = new BatchQueue<number>(10)
    const taken = track(q.take(10))
    await settle()
    expect(taken.done()).toBe(false)
    q.end()
    await settle()
    expect(taken.done()).toBe(true)
    expect(taken.value()).toBeUndefined()
  })

  it('end() releases a blocked producer, and later pushes are dropped', async () => {
    const q = new BatchQueue<number>(1)
    const blocked = track(q.push(1))
    await settle()
    expect(blocked.done()).toBe(false)
    q.end()
    await settle()
    expect(blocked.done()).toBe(true)
    await q.push(2)
    expect(await q.take(10)).toEqual([1])
    expect(await q.take(10)).toBeUndefined()
  })
})

describe('TokenBucket', () => {
  it('allows a burst of `capacity`, then refuses', () => {
    const now = 0
    const bucket = new TokenBucket(5, 12_000, () => now)
    const results = Array.from({ length: 8 }, () => bucket.take())
    expect(results).toEqual([true, true, true, true, true, false, false, false])
  })

  it('refills one token per refill interval, up to capacity', () => {
    let now = 1_000_000
    const bucket = new TokenBucket(3, 1000, () => now)
    for (let i = 0; i < 3; i++) expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)

    now += 999
    expect(bucket.take()).toBe(false)
    now += 1
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)

    now += 2500
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(true)
    expect(bucket.take()).toBe(false)

    // A long idle time refills to capacity, never beyond.
    now += 1_000_000
    expect(Array.from({ length: 5 }, () => bucket.take())).toEqual([true, true, true, false, false])
  })

  it('counts refused attempts as nothing: retrying does not delay the next token', () => {
    // Steps that are exact in binary floating point, so only the bucket's logic is under test.
    let now = 0
    const bucket = new TokenBucket(1, 1024, () => now)
    expect(bucket.take()).toBe(true)
    for (let t = 128; t < 1024; t += 128) {
      now = t
      expect(bucket.take()).toBe(false)
    }
    now = 1024
    expect(bucket.take()).toBe(true)
  })

  it('a wall clock stepping backwards does not lock the bucket', () => {
    let now = 10_000_000
    const bucket = new TokenBucket(5, 12_000, () => now)
    now -= 3_600_000
    expect(bucket.take()).toBe(true)
  })
})

describe('Mutex', () => {
  it('runs critical sections one at a time, in call order', async () => {
    const mutex = new Mutex()
    const log: string[] = []
    let inside = 0
    const section = (name: string, ticks: number) => mutex.run(async () => {
      inside++
      if (inside > 1) throw new Error('two sections overlapped')
      log.push(`${name}:start`)
      for (let i = 0; i < ticks; i++) await new Promise(resolve => setImmediate(resolve))
      log.push(`${name}:end`)
      inside--
      return name
    })
    const results = await Promise.all([section('a', 5), section('b', 0), section('c', 3)])
    expect(results).toEqual(['a', 'b', 'c'])
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end'])
  })

  it('keeps going after a section throws, and hands the error to that caller only', async () => {
    const mutex = new Mutex()
    const log: string[] = []
    const first = mutex.run(async () => { log.push('first'); return 1 })
    const failing = mutex.run(async () => { log.push('failing'); throw new Error('boom') })
    const after = mutex.run(async () => { log.push('after'); return 3 })
    await expect(failing).rejects.toThrow('boom')
    expect(await first).toBe(1)
    expect(await after).toBe(3)
    expect(log).toEqual(['first', 'failing', 'after'])
  })

  it('does not start a section until the one before has finished, even if it fails late', async () => {
    const mutex = new Mutex()
    let release!: () => void
    const gate = new Promise<void>(resolve => { release = resolve })
    const failing = mutex.run(async () => { await gate; throw new Error('late') })
    let started = false
    const next = mutex.run(async () => { started = true })
    await settle()
    expect(started).toBe(false)
    release()
    await expect(failing).rejects.toThrow('late')
    await next
    expect(started).toBe(true)
  })
})
