/**
 * Every protobuf decoder a peer's bytes reach, fed random and mutated
 * input. The boundaries:
 *
 * - decodeDataFrame (what an inbound chat stream runs on each frame) throws
 *   nothing but ProtocolViolation, and whatever it returns passed its checks;
 * - the ack decode of an outbound chat stream (ChatFrame.decode with the
 *   limits readAcks uses) decodes or throws an Error, and honours the limits;
 * - every generated codec (found by walking the pb modules, so a message
 *   added to a .proto is fuzzed without touching this file) decodes or
 *   throws an Error, never a non-Error, in bounded time, and builds no more
 *   than a small multiple of its input; what it decodes re-encodes to a
 *   fixed point.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import type { Uint8ArrayList } from 'uint8arraylist'
import { decodeDataFrame, ProtocolViolation } from '../../../src/main/core/protocols/chat/chat-protocol.js'
import { MAX_ACK_IDS } from '../../../src/main/core/protocols/chat/constants.js'
import * as chatPb from '../../../src/main/core/protocols/chat/pb/chat.js'
import * as contactPb from '../../../src/main/core/protocols/contact/pb/contact.js'
import * as groupPb from '../../../src/main/core/groups/pb/group.js'
import { displayNameSchema } from '../../../src/shared/api.js'
import { LIMITS, utf8Length } from '../../../src/shared/limits.js'
import { fuzz, hexCodec, replayKnownBugs, splitCodec, type InputCodec } from './harness.js'
import { checkBounded, chunked, hostileBytes, wireMessage } from './mutate.js'

const { ChatFrame } = chatPb
const { ContactHello, ContactReply, InviteCode } = contactPb

// ------------------------------------------------------------ valid encodings

const id16 = fc.uint8Array({ minLength: 16, maxLength: 16 })
/** Mostly proper 16-byte ids, sometimes any other length. */
const someId = fc.oneof({ weight: 5, arbitrary: id16 }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) })
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom(0n, 1n, 1n << 63n, (1n << 64n) - 1n))
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e evil', '\ud800', 'a'.repeat(64), 'a'.repeat(65))
)
const ids = fc.array(someId, { maxLength: 8 })

/**
 * The encoders take typed objects; fields a newer schema adds are left
 * out (they encode as their defaults), so these casts keep the fuzz
 * independent of fields it does not aim at.
 */
const encodeFrame = (frame: Record<string, unknown>): Uint8Array => ChatFrame.encode(frame as Partial<chatPb.ChatFrame>)

const validChatFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.record({ id: someId, hlc: u64, text }).map(message => encodeFrame({ message })),
  fc.record({ ids }).map(ack => encodeFrame({ ack })),
  fc.record({ id: someId, messageIds: ids }).map(read => encodeFrame({ read })),
  fc.boolean().map(typing => encodeFrame({ typing: { typing } })),
  fc.record({ id: someId, name: text }).map(profile => encodeFrame({ profile })),
  fc.constant(encodeFrame({})),
  wireMessage
)

const secret = fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 40 }))
const validHello: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.record({ secret, name: text }).map(redeem => ContactHello.encode({ redeem })),
  fc.record({ name: text }).map(request => ContactHello.encode({ request })),
  fc.record({ name: text }).map(accept => ContactHello.encode({ accept })),
  wireMessage
)
const validReply = fc.oneof(
  fc.record({ status: fc.constantFrom(...Object.values(ContactReply.Status).filter((s): s is contactPb.ContactReply.Status => typeof s === 'string')), name: text })
    .map(r => ContactReply.encode(r)),
  wireMessage
)
const validInvite = fc.oneof(
  fc.record({
    peerId: fc.uint8Array({ maxLength: 40 }),
    addrs: fc.array(fc.uint8Array({ maxLength: 24 }), { maxLength: 8 }),
    secret,
    expiresAt: u64
  }).map(i => InviteCode.encode(i)),
  wireMessage
)

// ------------------------------------------------------------ decodeDataFrame

type Decoded = ReturnType<typeof decodeDataFrame>
type Outcome = { ok: true, frame: Decoded } | { ok: false, message: string }

/** Runs decodeDataFrame at its boundary: a ProtocolViolation is an answer, anything else thrown fails. */
function outcome (input: Uint8Array | Uint8ArrayList): Outcome {
  try {
    return { ok: true, frame: decodeDataFrame(input) }
  } catch (err) {
    if (!(err instanceof ProtocolViolation)) throw new Error(`decodeDataFrame threw something other than a ProtocolViolation: ${String(err)}`, { cause: err })
    expect(err.code).toBe('PROTOCOL_VIOLATION')
    expect(typeof err.message).toBe('string')
    return { ok: false, message: err.message }
  }
}

const HEX_ID = /^[0-9a-f]{32}$/

/**
 * What any frame that got through decodeDataFrame must look like, field by
 * field (so a frame kind added later is held to the same rules).
 */
function checkAccepted (frame: Decoded): void {
  const f = frame as Record<string, unknown>
  expect(typeof f.kind).toBe('string')
  for (const [key, value] of Object.entries(f)) {
    if (key === 'id' || key === 'messageId') expect(value).toMatch(HEX_ID)
    if (key === 'messageIds') {
      expect(Array.isArray(value)).toBe(true)
      const list = value as unknown[]
      expect(list.length).toBeGreaterThan(0)
      expect(list.length).toBeLessThanOrEqual(MAX_ACK_IDS)
      for (const m of list) expect(m).toMatch(HEX_ID)
    }
    if (key === 'text') {
      expect(typeof value).toBe('string')
      expect((value as string).length).toBeGreaterThan(0)
      expect(utf8Length(value as string)).toBeLessThanOrEqual(LIMITS.textBytes)
    }
    if (key === 'hlc') {
      expect(typeof value).toBe('bigint')
      expect(value as bigint).toBeGreaterThan(0n)
      expect(value as bigint).toBeLessThan(1n << 64n)
    }
    // A name that passed is its own normal form.
    if (key === 'name') expect(displayNameSchema.safeParse(value)).toEqual({ success: true, data: value })
    if (key === 'typing') expect(typeof value).toBe('boolean')
  }
  if (f.kind !== 'typing') expect(f.id).toMatch(HEX_ID)
}

describe('decodeDataFrame (inbound chat frames)', () => {
  it('throws only ProtocolViolation, accepts only checked frames, and reads a chunked list like the whole buffer', async () => {
    const input = fc.record({ bytes: hostileBytes(validChatFrame), cuts: fc.array(fc.nat({ max: 4096 }), { maxLength: 4 }) })
    await fuzz('chat-data-frame', input, splitCodec, (split) => {
      const whole = outcome(split.bytes)
      if (whole.ok) checkAccepted(whole.frame)
      expect(outcome(chunked(split))).toEqual(whole)
    }, { runs: 3000, maxMsPerInput: 1000 })
  })

  it('gives back what a well-behaved peer encoded', async () => {
    const good = fc.oneof(
      fc.record({ id: id16, hlc: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }) })
        .map(message => ({ message })),
      fc.record({ id: id16, messageIds: fc.array(id16, { minLength: 1, maxLength: 20 }) }).map(read => ({ read })),
      fc.record({ id: id16, name: fc.stringMatching(/^[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 .'-]{0,62}[A-Za-zÀ-ÿ0-9]$/) }).map(profile => ({ profile })),
      fc.boolean().map(typing => ({ typing: { typing } }))
    ).map(encodeFrame)
    await fuzz('chat-data-frame-roundtrip', good, hexCodec, (bytes) => {
      const sent = ChatFrame.decode(bytes)
      const got = outcome(bytes)
      if (!got.ok) throw new Error(`a well-formed frame was refused: ${got.message}`)
      const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
      if (sent.message != null) expect(got.frame).toMatchObject({ kind: 'message', id: hex(sent.message.id), hlc: sent.message.hlc, text: sent.message.text })
      else if (sent.read != null) expect(got.frame).toMatchObject({ kind: 'read', id: hex(sent.read.id), messageIds: sent.read.messageIds.map(hex) })
      else if (sent.profile != null) expect(got.frame).toMatchObject({ kind: 'profile', id: hex(sent.profile.id), name: sent.profile.name })
      else expect(got.frame).toEqual({ kind: 'typing', typing: sent.typing?.typing ?? false })
    }, { runs: 500 })
  })
})

// ------------------------------------------------------------ acks and raw codecs

/** Calls `fn`; an Error thrown is an answer, a non-Error thrown fails the property. */
function decodesOrThrowsError<T> (fn: () => T): T | undefined {
  try {
    return fn()
  } catch (err) {
    if (!(err instanceof Error)) throw new Error(`a decoder threw a non-Error: ${String(err)}`, { cause: err })
    return undefined
  }
}

describe('ack frames (what a chat stream opener reads back)', () => {
  it('decode or throw an Error, and never hold more than MAX_ACK_IDS ids', async () => {
    await fuzz('chat-ack-frame', hostileBytes(validChatFrame), hexCodec, (bytes) => {
      // As readAcks in chat-protocol.ts decodes.
      const frame = decodesOrThrowsError(() => ChatFrame.decode(bytes, { limits: { ack: { ids: MAX_ACK_IDS }, read: { messageIds: MAX_ACK_IDS } } }))
      if (frame == null) return
      checkBounded(frame, bytes.length)
      expect(frame.ack?.ids.length ?? 0).toBeLessThanOrEqual(MAX_ACK_IDS)
      expect(frame.read?.messageIds.length ?? 0).toBeLessThanOrEqual(MAX_ACK_IDS)
      // The oneof holds one body at most, whatever the wire said.
      expect(Object.values(frame).filter(v => v != null).length).toBeLessThanOrEqual(1)
    }, { runs: 1500, maxMsPerInput: 1000 })
  })
})

interface AnyCodec {
  decode: (bytes: Uint8Array) => unknown
  encode: (value: never) => Uint8Array
  stream: (bytes: Uint8Array) => Iterable<unknown>
}

function isCodec (value: unknown): value is AnyCodec {
  const v = value as Partial<Record<keyof AnyCodec | 'codec', unknown>> | null
  return v != null && typeof v.decode === 'function' && typeof v.encode === 'function' && typeof v.stream === 'function' && typeof v.codec === 'function'
}

/** Every message codec the protocols define. */
const CODECS: Record<string, AnyCodec> = {}
for (const [name, value] of [chatPb, contactPb, groupPb].flatMap(m => Object.entries(m))) {
  if (!isCodec(value)) continue
  if (name in CODECS) throw new Error(`two pb modules define ${name}`)
  CODECS[name] = value
}
const CODEC_NAMES = Object.keys(CODECS).sort()

/** Encodings built from the real schema where we have them; schema-free wire format for the rest. */
const VALID: Record<string, fc.Arbitrary<Uint8Array>> = {
  ChatFrame: validChatFrame,
  ContactHello: validHello,
  ContactReply: validReply,
  InviteCode: validInvite
}

interface RawInput { codec: string, bytes: Uint8Array }

const rawCodec: InputCodec<RawInput> = {
  toJson: ({ codec, bytes }) => ({ codec, bytes: hexCodec.toJson(bytes) }),
  fromJson: json => {
    const j = json as { codec?: unknown, bytes?: unknown }
    if (typeof j.codec !== 'string' || !CODEC_NAMES.includes(j.codec)) throw new Error(`unknown codec ${String(j.codec)}`)
    return { codec: j.codec, bytes: hexCodec.fromJson(j.bytes) }
  }
}

const STATUSES = new Set<unknown>(Object.values(ContactReply.Status))

function codecOf (name: string): AnyCodec {
  const codec = CODECS[name]
  if (codec == null) throw new Error(`no codec ${name}`)
  return codec
}

const rawInput = (bytes: (name: string) => fc.Arbitrary<Uint8Array>): fc.Arbitrary<RawInput> =>
  fc.constantFrom(...CODEC_NAMES).chain(codec => bytes(codec).map(b => ({ codec, bytes: b })))

describe('every generated protobuf codec', () => {
  it('is found: the walk over the pb modules sees the codecs the protocols use', () => {
    expect(CODEC_NAMES).toEqual(expect.arrayContaining(['Ack', 'ChatFrame', 'ChatMessage', 'ContactHello', 'ContactReply', 'InviteCode', 'Profile', 'ReadReceipt', 'Typing', 'GroupOp', 'GroupFrame', 'GroupEnvelope', 'GroupPayload']))
  })

  it('decodes or throws an Error, in bounded time and size, both as a whole and as a field stream', async () => {
    const input = rawInput(name => hostileBytes(VALID[name] ?? wireMessage))
    await fuzz('protobuf-codecs', input, rawCodec, ({ codec, bytes }) => {
      const c = codecOf(codec)
      const decoded = decodesOrThrowsError(() => c.decode(bytes))
      if (decoded != null) {
        checkBounded(decoded, bytes.length)
        if (codec === 'ContactReply') expect(STATUSES.has((decoded as contactPb.ContactReply).status)).toBe(true)
      }
      if (codec === 'InviteCode') {
        // decodeInvite asks for at most 6 addresses; the limit must hold.
        const limited = decodesOrThrowsError(() => InviteCode.decode(bytes, { limits: { addrs: 6 } }))
        if (limited != null) expect(limited.addrs.length).toBeLessThanOrEqual(6)
      }
      decodesOrThrowsError(() => {
        let events = 0
        for (const _ of c.stream(bytes)) {
          if (++events > bytes.length + 1) throw new Error('a field stream yielded more events than its input has bytes')
        }
        return events
      })
    }, { runs: 3000, maxMsPerInput: 1000 })
  })

  it('re-encodes what it decoded to a fixed point that means the same', async () => {
    const input = rawInput(name => fc.oneof(VALID[name] ?? wireMessage, wireMessage))
    await fuzz('protobuf-reencode', input, rawCodec, input => { reencodes(input, { skipKnownBugs: true }) }, { runs: 1000 })
  })

  it('encodes every uint64 (known bug: only the recorded cases are replayed)', async () => {
    // protons-runtime writes a uint64 in [2^31, 2^32) as one byte (its low
    // seven bits) and leaves the four bytes it reserved unwritten: the value
    // is lost and uninitialised memory (Buffer.allocUnsafe) goes on the wire.
    // InviteCode.expiresAt, in seconds, enters that range on 2038-01-19.
    // The random property above skips such values; these must keep failing.
    await replayKnownBugs('protobuf-uint64', rawCodec, input => { reencodes(input, { skipKnownBugs: false }) })
  })

  it('decodes strings to well-formed UTF-16 (known bug: only the recorded cases are replayed)', async () => {
    // protons-runtime's UTF-8 reader does not validate: overlong forms,
    // surrogate code points and cut sequences decode to lone surrogates or
    // to characters no encoder would have sent. Random runs would fail, so
    // this replays only regressions/protobuf-utf8.json, whose entries are
    // marked "bug" and must keep failing until the reader is fixed.
    await replayKnownBugs('protobuf-utf8', rawCodec, ({ codec, bytes }) => {
      const decoded = decodesOrThrowsError(() => codecOf(codec).decode(bytes))
      expect(strings(decoded).every(s => s.isWellFormed())).toBe(true)
    })
  })
})

/** The uint64 values protons-runtime cannot encode (see the known bug above). */
const isMisencodedU64 = (v: unknown): boolean => typeof v === 'bigint' && v >= 1n << 31n && v < 1n << 32n

/** Decode, encode, decode again: the same meaning, and the second encoding is the first. */
function reencodes ({ codec, bytes }: RawInput, options: { skipKnownBugs: boolean }): void {
  const c = codecOf(codec)
  const decoded = decodesOrThrowsError(() => c.decode(bytes))
  if (decoded == null) return
  if (options.skipKnownBugs && leaves(decoded).some(isMisencodedU64)) return
  const once = c.encode(decoded as never)
  const again = c.decode(once)
  // Malformed UTF-8 decodes to lone surrogates, which the encoder writes
  // back as they were in a string under 40 units and as U+FFFD in a
  // longer one (see the known bug above); up to that, nothing changes.
  expect(wellFormed(again)).toEqual(wellFormed(decoded))
  expect(Buffer.from(c.encode(again as never)).toString('hex')).toBe(Buffer.from(once).toString('hex'))
}

/** Every scalar inside a decoded value (byte arrays count as one). */
function leaves (value: unknown): unknown[] {
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return [value]
  return Object.values(value).flatMap(leaves)
}

/** Every string inside a decoded value. */
function strings (value: unknown): string[] {
  return leaves(value).filter((v): v is string => typeof v === 'string')
}

/** The value with lone surrogates in its strings replaced by U+FFFD, as the encoder writes them. */
function wellFormed (value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed()
  if (value instanceof Uint8Array || typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(wellFormed)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)]))
}
