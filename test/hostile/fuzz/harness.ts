/**
 * Runs fast-check properties with a memory: every failure is kept as a
 * regression case and replayed first on every later run.
 *
 * Each property has a name and a file `regressions/<name>.json`, a list of
 *
 *   { "note": "why this input is nasty", "input": <the input as JSON> }
 *
 * Entries are replayed as fast-check `examples` before any random input.
 * An entry with a `"bug"` field records a known, still open defect: it is
 * replayed on its own and must still break the property (like `it.fails`),
 * so the day the bug is fixed the suite says so, and the field is removed.
 *
 * When a property fails, the shrunk counterexample is appended to its file
 * (set FUZZ_RECORD=0 to skip that) and printed with the seed and path:
 *
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/hostile/fuzz
 *
 * replays exactly that run. To keep a case by hand, add an entry to the
 * file, with a note, in the JSON form the property's codec reads (bytes as
 * hex, strings as themselves). FUZZ_RUNS=<factor> multiplies every
 * property's number of runs, for a longer soak than the default suite, and
 * FUZZ_VERBOSE=1 prints how each known bug still fails.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect } from 'vitest'

const REGRESSIONS_DIR = join(import.meta.dirname, 'regressions')

/** How a property's input is written to, and read back from, its regression file. */
export interface InputCodec<T> {
  toJson: (value: T) => unknown
  fromJson: (json: unknown) => T
}

interface Regression {
  note?: string
  input: unknown
  /** A known open defect: this input is expected to break the property until it is fixed. */
  bug?: string
}

export const hexCodec: InputCodec<Uint8Array> = {
  toJson: bytes => Buffer.from(bytes).toString('hex'),
  fromJson: json => {
    if (typeof json !== 'string' || !/^([0-9a-f]{2})*$/i.test(json)) throw new Error('a bytes regression must be a hex string')
    return new Uint8Array(Buffer.from(json, 'hex'))
  }
}

/** Bytes and where a stream cut them (each cut taken modulo length + 1). */
export interface SplitInput { bytes: Uint8Array, cuts: number[] }

export const splitCodec: InputCodec<SplitInput> = {
  toJson: ({ bytes, cuts }) => ({ bytes: hexCodec.toJson(bytes), cuts }),
  fromJson: json => {
    const j = json as { bytes?: unknown, cuts?: unknown }
    if (!Array.isArray(j.cuts) || !j.cuts.every(c => Number.isSafeInteger(c) && c >= 0)) throw new Error('cuts must be natural numbers')
    return { bytes: hexCodec.fromJson(j.bytes), cuts: j.cuts as number[] }
  }
}

export function jsonCodec<T> (check: (json: unknown) => json is T): InputCodec<T> {
  return {
    toJson: value => value,
    fromJson: json => {
      if (!check(json)) throw new Error(`malformed regression input: ${JSON.stringify(json).slice(0, 200)}`)
      return json
    }
  }
}

export const stringCodec = jsonCodec((json): json is string => typeof json === 'string')

function loadRegressions (name: string): Regression[] {
  const file = join(REGRESSIONS_DIR, `${name}.json`)
  if (!existsSync(file)) return []
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array`)
  return parsed as Regression[]
}

function record (name: string, input: unknown, details: { seed: number, counterexamplePath: string | null }): void {
  if (process.env.FUZZ_RECORD === '0') return
  const existing = loadRegressions(name)
  const text = JSON.stringify(input)
  if (existing.some(r => JSON.stringify(r.input) === text)) return
  const path = details.counterexamplePath ?? '?'
  existing.push({ note: `found with seed ${details.seed}, path ${path.length > 40 ? path.slice(0, 40) + '…' : path}: say what it breaks`, input })
  writeFileSync(join(REGRESSIONS_DIR, `${name}.json`), JSON.stringify(existing, null, 2) + '\n')
}

interface FuzzOptions {
  /** Random inputs per run of the suite (scaled by FUZZ_RUNS). */
  runs: number
  /** Per-input bound for asynchronous predicates, in ms (fast-check's `timeout`). */
  timeoutMs?: number
  /**
   * Per-input bound on wall time for any predicate, in ms. Synchronous code
   * cannot be interrupted, so this catches a super-linear path on a small
   * input rather than a true infinite loop; inputs are kept small for that.
   */
  maxMsPerInput?: number
}

/**
 * Replays the entries of `name` marked "bug": each must still break the
 * property. When one passes, its bug is fixed, and its "bug" field goes.
 */
export async function replayKnownBugs<T> (name: string, codec: InputCodec<T>, predicate: (input: T) => void | Promise<void>): Promise<void> {
  for (const known of loadRegressions(name).filter(r => r.bug != null)) {
    let broke = false
    try {
      await predicate(codec.fromJson(known.input))
    } catch (err) {
      broke = true
      if (process.env.FUZZ_VERBOSE === '1') console.error(`[fuzz] known bug in ${name} still fails, as recorded: ${(err as Error).message?.slice(0, 500)}`)
    }
    expect(broke, `regression "${known.note ?? ''}" of ${name} no longer fails: is "${known.bug ?? ''}" fixed? Remove its "bug" field.`).toBe(true)
  }
}

function runs (base: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? '1')
  return Math.max(1, Math.round(base * (Number.isFinite(factor) && factor > 0 ? factor : 1)))
}

/**
 * Checks `predicate` (which throws or rejects to fail) on the known
 * regressions, then on `options.runs` random inputs from `arbitrary`.
 */
export async function fuzz<T> (
  name: string,
  arbitrary: fc.Arbitrary<T>,
  codec: InputCodec<T>,
  predicate: (input: T) => void | Promise<void>,
  options: FuzzOptions
): Promise<void> {
  const maxMs = options.maxMsPerInput ?? 2_000
  const bounded = async (input: T): Promise<void> => {
    const started = performance.now()
    await predicate(input)
    const took = performance.now() - started
    if (took > maxMs) throw new Error(`one input took ${Math.round(took)} ms (bound ${maxMs} ms): a hang or a super-linear path`)
  }

  await replayKnownBugs(name, codec, bounded)
  const regressions = loadRegressions(name)
  const examples = regressions.filter(r => r.bug == null).map(r => [codec.fromJson(r.input)] as [T])

  const seed = process.env.FUZZ_SEED != null ? Number(process.env.FUZZ_SEED) : undefined
  const details = await fc.check(fc.asyncProperty(arbitrary, bounded), {
    numRuns: runs(options.runs),
    examples,
    ...(options.timeoutMs != null ? { timeout: options.timeoutMs } : {}),
    ...(seed != null ? { seed, ...(process.env.FUZZ_PATH != null ? { path: process.env.FUZZ_PATH } : {}) } : {})
  })
  if (!details.failed) return

  const input = details.counterexample?.[0] as T
  let json: unknown
  try {
    json = codec.toJson(input)
    record(name, json, details)
  } catch (err) {
    json = `(could not encode the counterexample: ${(err as Error).message})`
  }
  const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} npx vitest run test/hostile/fuzz`
  console.error(`[fuzz] ${name} failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath ?? '?'}).\n` +
    `  replay: ${replay}\n  kept in regressions/${name}.json as: ${JSON.stringify(json).slice(0, 2000)}`)
  throw new Error(fc.defaultReportMessage(details) ?? `${name} failed`, { cause: details.errorInstance })
}
