/**
 * Mutations of valid encodings. Random bytes seldom get past the first tag
 * of a protobuf, so most fuzz inputs start from a valid message and damage
 * it the way a bug, a cut stream or an attacker would: bit flips, cuts,
 * splices of another message, repeated fields, overlong and overflowing
 * varints, lengths far past the end, deep groups and wrong wire types.
 */
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import type { SplitInput } from './harness.js'

/** The most bytes a mutation may produce from one input (the chat frame limit is 32 KiB). */
const MAX_BYTES = 40 * 1024

/** Varints that overflow 32 or 64 bits, never end, or are longer than they need to be. */
const NASTY_VARINTS: number[][] = [
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1: a length far past any buffer
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64 - 1
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // longer than 10 bytes
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80], // never ends
  [0x80, 0x80, 0x80, 0x00], // overlong zero
  [0x81, 0x80, 0x80, 0x80, 0x00], // overlong one
  [0x80, 0x80, 0x80, 0x80, 0x08] // 2^31: negative as int32
]

export type Mutation =
  | { kind: 'flip', at: number, bit: number }
  | { kind: 'set', at: number, value: number }
  | { kind: 'truncate', at: number }
  | { kind: 'delete', at: number, length: number }
  | { kind: 'insert', at: number, bytes: number[] }
  | { kind: 'repeat', at: number, length: number, times: number }
  | { kind: 'splice', at: number, from: number, length: number }
  | { kind: 'varint', at: number, which: number, replace: boolean }
  | { kind: 'groups', at: number, depth: number, field: number }
  | { kind: 'wiretype', at: number, wire: number }

const position = fc.nat({ max: 1 << 16 })

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.oneof(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff), fc.nat({ max: 255 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 40 }), times: fc.oneof(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 500, max: 600 })) }),
  fc.record({ kind: fc.constant('splice' as const), at: position, from: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('varint' as const), at: position, which: fc.nat({ max: NASTY_VARINTS.length - 1 }), replace: fc.boolean() }),
  fc.record({ kind: fc.constant('groups' as const), at: position, depth: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1000, max: 20_000 })), field: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('wiretype' as const), at: position, wire: fc.nat({ max: 7 }) })
)

function concat (...parts: ArrayLike<number>[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(Math.min(length, MAX_BYTES))
  let offset = 0
  for (const p of parts) {
    const room = out.length - offset
    if (room <= 0) break
    out.set(p.length > room ? Array.prototype.slice.call(p, 0, room) : p, offset)
    offset += Math.min(p.length, room)
  }
  return out
}

/** Applies one mutation; `donor` is another valid encoding to splice from. */
export function applyMutation (bytes: Uint8Array, m: Mutation, donor: Uint8Array): Uint8Array {
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1)
  const head = bytes.subarray(0, at)
  const tail = bytes.subarray(at)
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes
      const out = bytes.slice()
      const i = m.at % bytes.length
      out[i] = (out[i] ?? 0) ^ (1 << m.bit)
      return out
    }
    case 'set': {
      if (bytes.length === 0) return Uint8Array.of(m.value)
      const out = bytes.slice()
      out[m.at % bytes.length] = m.value
      return out
    }
    case 'truncate':
      return bytes.slice(0, at)
    case 'delete':
      return concat(head, bytes.subarray(at + m.length))
    case 'insert':
      return concat(head, m.bytes, tail)
    case 'repeat': {
      const chunk = bytes.subarray(at, at + m.length)
      return concat(head, ...Array.from({ length: m.times }, () => chunk), bytes.subarray(at + m.length))
    }
    case 'splice': {
      const from = donor.length === 0 ? 0 : m.from % donor.length
      return concat(head, donor.subarray(from, from + m.length), tail)
    }
    case 'varint': {
      const v = NASTY_VARINTS[m.which] ?? []
      return m.replace ? concat(head, v, bytes.subarray(at + 1)) : concat(head, v, tail)
    }
    case 'groups': {
      // Start-group tags nest without end: a recursive skipper goes deeper for each.
      const tag = (m.field << 3) | 3
      return concat(head, new Uint8Array(Math.min(m.depth, MAX_BYTES)).fill(tag & 0x7f), tail)
    }
    case 'wiretype': {
      if (bytes.length === 0) return bytes
      const out = bytes.slice()
      const i = m.at % bytes.length
      out[i] = ((out[i] ?? 0) & ~7) | m.wire
      return out
    }
  }
}

/**
 * Valid encodings from `valid`, damaged by one to four mutations, plus some
 * concatenations of two valid encodings (a oneof set twice, a field repeated).
 */
export function mutated (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.tuple(valid, valid, fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([bytes, donor, ms]) => ms.reduce((b, m) => applyMutation(b, m, donor), bytes)) },
    { weight: 1, arbitrary: fc.tuple(valid, valid).map(([a, b]) => concat(a, b)) }
  )
}

/** Random bytes, mostly short, with some as long as a whole frame. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 64, maxLength: 4096 }) }
)

/** A frame's bytes in every shape the decoders see: random, mutated valid, or valid. */
export function hostileBytes (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: randomBytes },
    { weight: 6, arbitrary: mutated(valid) },
    { weight: 1, arbitrary: valid }
  )
}

/**
 * A rough count of what a decoded value holds (bytes, characters, elements,
 * objects), to bound what a decoder builds from a small input.
 */
function footprint (value: unknown, depth = 0): number {
  if (depth > 64) throw new Error('decoded value nests deeper than 64 levels')
  if (value instanceof Uint8Array) return value.byteLength
  if (typeof value === 'string') return value.length
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + 1 + footprint(v, depth + 1), 1)
  if (typeof value === 'object' && value !== null) {
    let n = 1
    for (const v of Object.values(value)) n += footprint(v, depth + 1)
    return n
  }
  return 1
}

/** Bounds what a decoder may build from `length` input bytes. */
export function checkBounded (decoded: unknown, length: number): void {
  const size = footprint(decoded)
  if (size > 2 * length + 64) throw new Error(`decoded ${length} bytes into a value of footprint ${size}`)
}

/** The same bytes as a Uint8ArrayList in several chunks, as a stream hands them over. */
export function chunked ({ bytes, cuts }: SplitInput): Uint8ArrayList {
  const at = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const list = new Uint8ArrayList()
  let from = 0
  for (const to of [...at, bytes.length]) {
    list.append(bytes.subarray(from, to))
    from = to
  }
  return list
}

// ------------------------------------------------------------ schema-free protobuf

/** One field of a protobuf message written by hand: any number, any wire type. */
type WireField =
  | { no: number, wire: 0, value: bigint }
  | { no: number, wire: 1 | 5, value: Uint8Array }
  | { no: number, wire: 2, value: Uint8Array | WireField[] }

function varint (value: bigint): number[] {
  const out: number[] = []
  let v = BigInt.asUintN(64, value)
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return out
}

/** Encodes fields in protobuf wire format (nested messages as length-delimited fields). */
function writeFields (fields: WireField[]): Uint8Array {
  const parts: ArrayLike<number>[] = []
  for (const f of fields) {
    parts.push(varint(BigInt((f.no << 3) | f.wire)))
    if (f.wire === 0) parts.push(varint(f.value))
    else if (f.wire === 2) {
      const body = f.value instanceof Uint8Array ? f.value : writeFields(f.value)
      parts.push(varint(BigInt(body.length)), body)
    } else parts.push(f.value)
  }
  return concat(...parts)
}

const textBytes = fc.string({ unit: 'grapheme', maxLength: 24 }).map(s => new TextEncoder().encode(s))

/**
 * Well-formed protobuf messages of no particular schema: small field numbers
 * (so they land on real fields, with the right wire type or not), 16-byte
 * ids, text, varints up to 2^64 - 1, and nested messages three deep. Valid
 * wire format gets past the first tag, whatever the schema says.
 */
export const wireMessage: fc.Arbitrary<Uint8Array> = fc.letrec<{ fields: WireField[], field: WireField }>(tie => ({
  fields: fc.array(tie('field'), { maxLength: 6 }),
  field: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    fc.record({ no: fc.integer({ min: 1, max: 10 }), wire: fc.constant(0 as const), value: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0n, 1n, 2n, 7n, 8n, (1n << 31n), (1n << 32n) - 1n)) }),
    fc.record({ no: fc.integer({ min: 1, max: 10 }), wire: fc.constantFrom(1 as const, 5 as const), value: fc.uint8Array({ minLength: 8, maxLength: 8 }) })
      .map(f => f.wire === 5 ? { ...f, value: f.value.subarray(0, 4) } : f),
    fc.record({ no: fc.integer({ min: 1, max: 10 }), wire: fc.constant(2 as const), value: fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), textBytes, fc.uint8Array({ maxLength: 40 })) }),
    fc.record({ no: fc.integer({ min: 1, max: 10 }), wire: fc.constant(2 as const), value: tie('fields') as fc.Arbitrary<WireField[]> })
  )
})).fields.map(writeFields)
