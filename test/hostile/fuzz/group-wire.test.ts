/**
 * Every decoder a group peer's bytes reach, fed random and mutated input:
 *
 * - decodeGroupFrame (each frame of /hearth/group/1.0.0) throws nothing but
 *   GroupFrameError, honours GROUP_FRAME_LIMITS (and the op limits nested in
 *   them), holds one body, reads a chunked list like the whole buffer, and
 *   builds no more than a small multiple of its input, in bounded time;
 * - checkOp throws nothing but GroupOpError for any op, whatever its fields,
 *   and an op that passes is well formed and signed by its author; a valid
 *   signed op, mutated on the wire or field by field, never passes as
 *   anything but itself;
 * - checkEnvelope throws nothing but EnvelopeError, and a mutated valid
 *   envelope never passes as anything but itself; openEnvelope throws
 *   nothing but EnvelopeError, opens a sealed message to exactly what was
 *   sealed with the right key, and to nothing with a wrong one, a changed
 *   header or changed ciphertext; whatever a member seals, it opens only to
 *   a message within bounds;
 * - SeqSet.fromFlat throws nothing but RangeError; what it takes reads back
 *   through toFlat, and has, gaps and lacksAnyOf agree with a plain Set.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PrivateKey } from '@libp2p/interface'
import * as Digest from 'multiformats/hashes/digest'
import type { Uint8ArrayList } from 'uint8arraylist'
import { seal } from '../../../src/main/core/crypto/index.js'
import { checkEnvelope, EnvelopeError, MAX_CIPHERTEXT_BYTES, MESSAGE_ID_BYTES, openEnvelope, sealEnvelope, type GroupMessageContent } from '../../../src/main/core/groups/envelope.js'
import { decodeGroupFrame, GROUP_FRAME_LIMITS, GroupFrameError, MAX_GROUP_FRAME_BYTES } from '../../../src/main/core/groups/group-protocol.js'
import { bringsKey, checkOp, GROUP_ID_BYTES, groupIdOf, GroupOpError, keyCheck, OP_LIMITS, opId, signOp, type OpKind } from '../../../src/main/core/groups/ops.js'
import { GroupEnvelope, GroupFrame, GroupOp, GroupPayload, type Member } from '../../../src/main/core/groups/pb/group.js'
import { MAX_RANGES, SeqSet } from '../../../src/main/core/groups/ranges.js'
import { MAX_EXPIRES_IN } from '../../../src/shared/api.js'
import { LIMITS, utf8Length } from '../../../src/shared/limits.js'
import { fuzz, hexCodec, jsonCodec, replayKnownBugs, splitCodec, type InputCodec } from './harness.js'
import { applyMutation, checkBounded, chunked, hostileBytes, mutationArb, wireMessage, type Mutation } from './mutate.js'

// ------------------------------------------------------------ identities

const ED = await Promise.all(Array.from({ length: 3 }, async () => generateKeyPair('Ed25519')))
const SECP = await generateKeyPair('secp256k1')
const idBytes = (k: PrivateKey): Uint8Array<ArrayBuffer> => new Uint8Array(peerIdFromPrivateKey(k).toMultihash().bytes)
const ED_IDS = ED.map(idBytes)
const SECP_ID = idBytes(SECP)

// ------------------------------------------------------------ JSON for regressions

/** Inputs hold bytes and bigints: kept in regressions as {"$hex": ...} and {"$big": ...}. */
function toRich (value: unknown): unknown {
  if (value instanceof Uint8Array) return { $hex: Buffer.from(value).toString('hex') }
  if (typeof value === 'bigint') return { $big: value.toString() }
  if (Array.isArray(value)) return value.map(toRich)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toRich(v)]))
  return value
}

function fromRich (json: unknown): unknown {
  if (Array.isArray(json)) return json.map(fromRich)
  if (typeof json === 'object' && json !== null) {
    const o = json as Record<string, unknown>
    if (typeof o.$hex === 'string') return hexCodec.fromJson(o.$hex)
    if (typeof o.$big === 'string') return BigInt(o.$big)
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromRich(v)]))
  }
  return json
}

function richCodec<T> (): InputCodec<T> {
  return { toJson: v => toRich(v), fromJson: j => fromRich(j) as T }
}

// ------------------------------------------------------------ arbitraries

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.constantFrom(0n, 1n, 127n, 128n, (1n << 31n) - 1n, 1n << 32n, 1n << 53n, (1n << 53n) - 1n, (1n << 63n), (1n << 64n) - 1n),
  // What HybridClock makes: 48 bits of milliseconds, 16 of counter.
  fc.bigInt({ min: 1_700_000_000_000n << 16n, max: 2_000_000_000_000n << 16n })
)
/** Values protons-runtime mis-encodes (test/hostile/fuzz/regressions/protobuf-uint64.json): left out of valid ops. */
const badU64 = (v: bigint): boolean => v >= 1n << 31n && v < 1n << 32n
const okU64 = u64.filter(v => !badU64(v))
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', 'Book club', '\u0000', '\u202e evil', '\ud800', 'a'.repeat(64), 'a'.repeat(65))
)
/** Bytes mostly of the length a field wants, sometimes any other. */
const sized = (n: number): fc.Arbitrary<Uint8Array<ArrayBuffer>> => fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ minLength: n, maxLength: n }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: n + 8 }) }
) as fc.Arbitrary<Uint8Array<ArrayBuffer>>
const LAN_ADDRS = ['/ip4/192.168.1.20/tcp/4001', '/ip4/10.0.0.7/udp/9090/webrtc-direct', '/ip6/fe80::1/tcp/1', '/ip4/8.8.8.8/tcp/53', '/dns4/example.com/tcp/80']
  .map(a => multiaddr(a).bytes)
const addr = fc.oneof(
  fc.constantFrom(...LAN_ADDRS),
  fc.uint8Array({ maxLength: 24 }),
  fc.uint8Array({ minLength: OP_LIMITS.addrBytes - 2, maxLength: OP_LIMITS.addrBytes + 2 })
)
/** A peer id as bytes: one of ours, a secp256k1 one, a cut or flipped one, or noise. */
const peerBytes = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ED_IDS) },
  { weight: 1, arbitrary: fc.constant(SECP_ID) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ED_IDS), fc.nat({ max: 40 }), fc.nat({ max: 255 })).map(([b, at, v]) => { const c = b.slice(); c[at % c.length] = v; return at > 36 ? c.subarray(0, at % c.length) : c }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }) }
)
const member: fc.Arbitrary<Member> = fc.record({
  peer: peerBytes,
  name: text,
  addrs: fc.array(addr, { maxLength: OP_LIMITS.addrs + 2 }),
  cutoff: u64
}) as fc.Arbitrary<Member>

type Body = Pick<GroupOp, 'create' | 'add' | 'remove' | 'promote' | 'leave' | 'rename' | 'rekey' | 'timer'>
const body: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ name: text, members: fc.oneof(fc.array(member, { maxLength: 4 }), fc.array(member, { minLength: 30, maxLength: 33 })) }).map(create => ({ create })),
  member.map(add => ({ add })),
  member.map(remove => ({ remove })),
  member.map(promote => ({ promote })),
  u64.map(cutoff => ({ leave: { cutoff } })),
  text.map(name => ({ rename: { name } })),
  fc.constant({ rekey: {} }),
  fc.oneof(fc.constantFrom(0, 30, 300, 86_400), fc.nat({ max: 0xffffffff })).map(seconds => ({ timer: { seconds } }))
)

/** A GroupOp from random fields, as a decoder could hand one over, and how to finish it. */
interface RawOp {
  op: GroupOp
  /** Sign it with the author's key (if the author is one of ours) so the signature check is passed. */
  sign: boolean
  /** For a create: set its group to its own id, so the id check is passed. */
  bind: boolean
}

const rawOp: fc.Arbitrary<RawOp> = fc.record({
  group: sized(GROUP_ID_BYTES),
  author: peerBytes,
  hlc: u64,
  deps: fc.oneof(
    fc.array(sized(32), { maxLength: 4 }),
    fc.array(sized(32), { minLength: OP_LIMITS.deps - 1, maxLength: OP_LIMITS.deps + 2 }),
    sized(32).map(d => [d, d])
  ),
  body: fc.option(body, { nil: undefined, freq: 8 }),
  keyCheck: sized(32),
  signature: sized(64),
  sign: fc.boolean(),
  bind: fc.boolean()
}).map(({ body, sign, bind, ...fields }) => ({ op: { ...fields, ...(body ?? {}) } as GroupOp, sign, bind }))

// ------------------------------------------------------------ valid ops

const KINDS: OpKind[] = ['create', 'add', 'remove', 'promote', 'leave', 'rename', 'rekey', 'timer']

/** What a well-behaved member signs. */
interface ValidOpRecipe {
  author: number
  kind: OpKind
  group: Uint8Array<ArrayBuffer>
  hlc: bigint
  deps: Uint8Array<ArrayBuffer>[]
  members: Array<{ peer: number, name: string, addrs: number[], cutoff: bigint }>
  name: string
  cutoff: bigint
  seconds: number
  key: Uint8Array<ArrayBuffer>
}

const validOpRecipe: fc.Arbitrary<ValidOpRecipe> = fc.record({
  author: fc.nat({ max: ED.length - 1 }),
  kind: fc.constantFrom(...KINDS),
  group: fc.uint8Array({ minLength: GROUP_ID_BYTES, maxLength: GROUP_ID_BYTES }),
  hlc: okU64.filter(v => v > 0n),
  deps: fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 4, selector: d => Buffer.from(d).toString('hex') }),
  members: fc.array(fc.record({ peer: fc.nat({ max: ED.length - 1 }), name: text, addrs: fc.array(fc.nat({ max: 2 }), { maxLength: 3 }), cutoff: okU64 }), { maxLength: 3 }),
  name: text,
  cutoff: okU64,
  seconds: fc.constantFrom(0, 30, 300, 3600),
  key: fc.uint8Array({ minLength: 32, maxLength: 32 })
}) as fc.Arbitrary<ValidOpRecipe>

async function makeOp (r: ValidOpRecipe): Promise<GroupOp> {
  const m = (i: number): Member => {
    const x = r.members[i % Math.max(1, r.members.length)] ?? { peer: 0, name: '', addrs: [], cutoff: 0n }
    return { peer: ED_IDS[x.peer]!, name: x.name, addrs: x.addrs.map(a => new Uint8Array(LAN_ADDRS[a]!)), cutoff: r.kind === 'remove' ? x.cutoff : 0n }
  }
  const bodies: Record<OpKind, () => Body> = {
    create: () => ({ create: { name: r.name, members: r.members.map((_, i) => m(i)) } }),
    add: () => ({ add: m(0) }),
    remove: () => ({ remove: m(0) }),
    promote: () => ({ promote: m(0) }),
    leave: () => ({ leave: { cutoff: r.cutoff } }),
    rename: () => ({ rename: { name: r.name } }),
    rekey: () => ({ rekey: {} }),
    timer: () => ({ timer: { seconds: r.seconds } })
  }
  const draft: GroupOp = {
    group: r.group,
    author: ED_IDS[r.author]!,
    hlc: r.hlc,
    deps: r.kind === 'create' ? [] : r.deps,
    keyCheck: bringsKey(r.kind) ? new Uint8Array(keyCheck(r.key)) : new Uint8Array(0),
    signature: new Uint8Array(0),
    ...bodies[r.kind]()
  }
  if (r.kind === 'create') draft.group = new Uint8Array(groupIdOf(draft))
  return signOp(ED[r.author]!, draft)
}

const unsignedHex = (op: GroupOp): string => Buffer.from(GroupOp.encode({ ...op, signature: new Uint8Array(0) })).toString('hex')
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** An op a member may sign with oversized parts: a name of `nameBytes`, a key check of `keyCheckBytes`. */
interface BoundsInput { kind: 'rename' | 'timer' | 'leave' | 'create', nameBytes: number, keyCheckBytes: number, members: number }
const boundsCodec = jsonCodec((j): j is BoundsInput => {
  const o = j as Partial<BoundsInput>
  return ['rename', 'timer', 'leave', 'create'].includes(o.kind ?? '') && [o.nameBytes, o.keyCheckBytes, o.members].every(n => Number.isSafeInteger(n) && n! >= 0)
})

async function boundsOp ({ kind, nameBytes, keyCheckBytes, members }: BoundsInput): Promise<GroupOp> {
  const name = 'a'.repeat(nameBytes)
  const bodies: Record<BoundsInput['kind'], Body> = {
    rename: { rename: { name } },
    timer: { timer: { seconds: 30 } },
    leave: { leave: { cutoff: 0n } },
    create: { create: { name: 'g', members: Array.from({ length: members }, (_, i) => ({ peer: ED_IDS[1 + (i % 2)]!, name, addrs: [], cutoff: 0n })) } }
  }
  const draft: GroupOp = { group: new Uint8Array(16).fill(1), author: ED_IDS[0]!, hlc: 1n << 40n, deps: kind === 'create' ? [] : [new Uint8Array(32).fill(2)], keyCheck: new Uint8Array(keyCheckBytes).fill(3), signature: new Uint8Array(0), ...bodies[kind] }
  if (kind === 'create') draft.group = new Uint8Array(groupIdOf(draft))
  return signOp(ED[0]!, draft)
}

/** Runs checkOp at its boundary: GroupOpError is an answer, anything else thrown fails. */
async function opOutcome (op: GroupOp): Promise<Awaited<ReturnType<typeof checkOp>> | undefined> {
  try {
    return await checkOp(op)
  } catch (err) {
    if (!(err instanceof GroupOpError)) throw new Error(`checkOp threw something other than a GroupOpError: ${String(err)}`, { cause: err })
    return undefined
  }
}

/** What any op that passed checkOp must be, checked without the code under test. */
async function checkAcceptedOp (op: GroupOp, checked: NonNullable<Awaited<ReturnType<typeof checkOp>>>, options: { skipKnownBugs: boolean }): Promise<void> {
  const bodies = KINDS.filter(k => op[k] != null)
  expect(bodies).toEqual([checked.kind])
  expect(op.group.length).toBe(GROUP_ID_BYTES)
  expect(op.hlc).toBeGreaterThan(0n)
  expect(op.deps.length).toBeLessThanOrEqual(OP_LIMITS.deps)
  for (const d of op.deps) expect(d.length).toBe(32)
  expect(new Set(op.deps.map(hex)).size).toBe(op.deps.length)
  if (checked.kind === 'create') {
    expect(op.deps).toEqual([])
    expect(hex(groupIdOf(op))).toBe(hex(op.group))
    expect(op.create!.members.length).toBeLessThanOrEqual(OP_LIMITS.createMembers)
  } else {
    expect(op.deps.length).toBeGreaterThan(0)
  }
  if (bringsKey(checked.kind)) expect(op.keyCheck.length).toBe(32)
  // Known bug (see 'bounds what one op may carry' below): a non-key op passes with a key check of any length but 32.
  else if (!options.skipKnownBugs || op.keyCheck.length === 32) expect(op.keyCheck.length, 'only key ops carry a key check').toBe(0)
  // Known bug (same test): nothing bounds an op's size; 16 of them must fit in one frame.
  if (!options.skipKnownBugs) expect(GroupOp.encode(op).length, 'an op too big for 16 to share a frame').toBeLessThanOrEqual(MAX_GROUP_FRAME_BYTES / GROUP_FRAME_LIMITS.ops)
  const signer = ED.findIndex((_, i) => hex(ED_IDS[i]!) === hex(op.author))
  expect(signer, 'only our own Ed25519 keys can have signed an op that passed').toBeGreaterThanOrEqual(0)
  expect(checked.author).toBe(peerIdFromPrivateKey(ED[signer]!).toString())
  const members = [...(op.create?.members ?? []), ...[op.add, op.remove, op.promote].filter((m): m is Member => m != null)]
  for (const m of members) {
    expect(peerIdFromMultihash(Digest.decode(m.peer)).type, 'a member that passed is an Ed25519 identity').toBe('Ed25519')
    expect(m.addrs.length).toBeLessThanOrEqual(OP_LIMITS.addrs)
    for (const a of m.addrs) expect(a.length).toBeLessThanOrEqual(OP_LIMITS.addrBytes)
  }
  const about = op.add ?? op.remove ?? op.promote
  if (about != null) expect(checked.target).toBe(peerIdFromMultihash(Digest.decode(about.peer)).toString())
  else expect(checked.target).toBeUndefined()
  expect(checked.id).toBe(opId(op))
  expect(checked.group).toBe(hex(op.group))
  expect(checked.deps).toEqual(op.deps.map(hex))
  // What passed here passes at every other member: the wire gives back the same op, with the same id.
  const again = await opOutcome(GroupOp.decode(GroupOp.encode(op)))
  expect(again?.id, 'an op that passed checkOp no longer passes after a trip over the wire').toBe(checked.id)
}

// ------------------------------------------------------------ checkOp

describe('checkOp (every op a member hands us)', () => {
  it('throws only GroupOpError for ops built from random fields, and what passes is well formed and signed by its author', async () => {
    let passed = 0
    await fuzz('group-op-fields', rawOp, richCodec<RawOp>(), async ({ op: raw, sign, bind }) => {
      let op = raw
      if (bind && op.create != null) op = { ...op, group: new Uint8Array(groupIdOf(op)) }
      const signer = ED.findIndex((_, i) => hex(ED_IDS[i]!) === hex(op.author))
      if (sign && signer >= 0) op = await signOp(ED[signer]!, op)
      const checked = await opOutcome(op)
      if (checked == null) return
      passed++
      await checkAcceptedOp(op, checked, { skipKnownBugs: true })
    }, { runs: 3000, maxMsPerInput: 1000 })
    // The generator must reach past every check, or this property says little.
    expect(passed).toBeGreaterThan(0)
  })

  it('accepts every op a well-behaved member signs, with the id every member computes', async () => {
    await fuzz('group-op-valid', validOpRecipe, richCodec<ValidOpRecipe>(), async (recipe) => {
      const op = await makeOp(recipe)
      const checked = await opOutcome(op)
      if (checked == null) throw new Error(`a well-formed ${recipe.kind} op was refused`)
      expect(checked.kind).toBe(recipe.kind)
      await checkAcceptedOp(op, checked, { skipKnownBugs: false })
    }, { runs: 500 })
  })

  it('bounds what one op may carry (known bug: only the recorded cases are replayed)', async () => {
    // checkOp lets a non-key op carry a key check of any length but 32
    // (`bringsKey(kind) !== (keyCheck.length === 32)`), and bounds neither
    // names nor the whole op. Any member can sign a rename of ~1 MiB, or pad
    // a rename's key check: every member stores it (up to opsPerGroup of
    // them), and once two such ops fall in one sync answer (16 ops a frame)
    // the frame is over MAX_GROUP_FRAME_BYTES, the reader resets the stream,
    // and a member catching up never gets the group's ops. The design says
    // 16 ops fit in a frame (group-protocol.ts), so an op that passes must
    // be at most MAX_GROUP_FRAME_BYTES / GROUP_FRAME_LIMITS.ops bytes.
    // regressions/group-op-bounds.json keeps the cases; each is marked "bug".
    await replayKnownBugs('group-op-bounds', boundsCodec, async (input) => {
      const op = await boundsOp(input)
      const checked = await opOutcome(op)
      if (checked != null) await checkAcceptedOp(op, checked, { skipKnownBugs: false })
    })
  })

  it('never passes a signed op damaged on the wire as anything but itself', async () => {
    interface Input { ops: ValidOpRecipe[], donor: ValidOpRecipe, mutations: Mutation[] }
    const input = fc.record({ ops: fc.array(validOpRecipe, { minLength: 1, maxLength: 3 }), donor: validOpRecipe, mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) })
    let decoded = 0
    await fuzz('group-op-wire-mutation', input, richCodec<Input>(), async ({ ops: recipes, donor, mutations }) => {
      const ops = await Promise.all(recipes.map(makeOp))
      const other = await makeOp(donor)
      const genuine = new Map([...ops, other].map(o => [unsignedHex(o), hex(o.signature)]))
      const bytes = mutations.reduce<Uint8Array>((b, m) => applyMutation(b, m, GroupFrame.encode({ ops: { ops: [other] } })), GroupFrame.encode({ ops: { ops } }))
      const decodedFrame = frameOutcome(bytes)
      if (!decodedFrame.ok) return
      const { frame } = decodedFrame
      for (const op of frame.ops?.ops ?? []) {
        decoded++
        const checked = await opOutcome(op)
        if (checked == null) continue
        const signature = genuine.get(unsignedHex(op))
        expect(signature, 'a mutated op passed checkOp').toBeDefined()
        expect(hex(op.signature), 'a second valid signature for the same op').toBe(signature)
      }
    }, { runs: 2000, maxMsPerInput: 1000 })
    expect(decoded).toBeGreaterThan(0)
  })

  it('never passes a signed op with any one field changed', async () => {
    type FieldChange =
      | { field: 'group' | 'keyCheck' | 'signature' | 'author' | 'memberPeer', bytes: Uint8Array<ArrayBuffer> }
      | { field: 'hlc', value: bigint }
      | { field: 'deps', at: number, bytes: Uint8Array<ArrayBuffer>, drop: boolean }
      | { field: 'name' | 'memberName', value: string }
      | { field: 'cutoff', value: bigint }
      | { field: 'seconds', value: number }
      | { field: 'body', kind: OpKind }
      | { field: 'author-key', who: number }
    const change: fc.Arbitrary<FieldChange> = fc.oneof(
      fc.record({ field: fc.constantFrom('group' as const, 'keyCheck' as const, 'signature' as const, 'author' as const, 'memberPeer' as const), bytes: fc.oneof(peerBytes, sized(32), sized(64), sized(16)) }),
      fc.record({ field: fc.constant('hlc' as const), value: okU64 }),
      fc.record({ field: fc.constant('deps' as const), at: fc.nat({ max: 5 }), bytes: sized(32), drop: fc.boolean() }),
      fc.record({ field: fc.constantFrom('name' as const, 'memberName' as const), value: text }),
      fc.record({ field: fc.constant('cutoff' as const), value: okU64 }),
      fc.record({ field: fc.constant('seconds' as const), value: fc.nat({ max: 0xffffffff }) }),
      fc.record({ field: fc.constant('body' as const), kind: fc.constantFrom(...KINDS) }),
      fc.record({ field: fc.constant('author-key' as const), who: fc.nat({ max: ED.length - 1 }) })
    ) as fc.Arbitrary<FieldChange>
    interface Input { recipe: ValidOpRecipe, change: FieldChange }
    await fuzz('group-op-field-mutation', fc.record({ recipe: validOpRecipe, change }), richCodec<Input>(), async ({ recipe, change }) => {
      const op = await makeOp(recipe)
      // A deep copy (the op is valid, so the wire gives it back as it was).
      let next: GroupOp = GroupOp.decode(GroupOp.encode(op))
      const m = next.add ?? next.remove ?? next.promote ?? next.create?.members[0]
      switch (change.field) {
        case 'group': next.group = change.bytes; break
        case 'keyCheck': next.keyCheck = change.bytes; break
        case 'signature': next.signature = change.bytes; break
        case 'author': next.author = change.bytes; break
        case 'author-key': next.author = ED_IDS[change.who]!; break
        case 'memberPeer': if (m != null) m.peer = change.bytes; break
        case 'hlc': next.hlc = change.value; break
        case 'deps': {
          const deps = [...op.deps]
          if (change.drop) deps.splice(change.at % Math.max(1, deps.length), 1)
          else deps.splice(change.at % (deps.length + 1), 0, change.bytes)
          next.deps = deps
          break
        }
        case 'name':
          if (next.create != null) next.create = { ...next.create, name: change.value }
          if (next.rename != null) next.rename = { name: change.value }
          break
        case 'memberName': if (m != null) m.name = change.value; break
        case 'cutoff':
          if (next.leave != null) next.leave = { cutoff: change.value }
          else if (m != null) m.cutoff = change.value
          break
        case 'seconds': if (next.timer != null) next.timer = { seconds: change.value }; break
        case 'body': {
          const other = await makeOp({ ...recipe, kind: change.kind })
          for (const k of KINDS) next[k] = undefined
          next = { ...next, ...Object.fromEntries(KINDS.filter(k => other[k] != null).map(k => [k, other[k]])) }
          break
        }
      }
      // Strings go through UTF-8: a change the encoding cannot see is no change.
      if (unsignedHex(next) === unsignedHex(op) && hex(next.signature) === hex(op.signature) && hex(next.author) === hex(op.author)) return
      const checked = await opOutcome(next)
      if (checked != null) {
        expect(unsignedHex(next), `an op with its ${change.field} changed passed checkOp`).toBe(unsignedHex(op))
        expect(hex(next.signature), 'a second valid signature for the same op').toBe(hex(op.signature))
      }
    }, { runs: 1500 })
  })
})

// ------------------------------------------------------------ envelopes

interface EnvelopeRecipe {
  author: number
  group: Uint8Array<ArrayBuffer>
  id: Uint8Array<ArrayBuffer>
  seq: bigint
  hlc: bigint
  keyOp: Uint8Array<ArrayBuffer>
  key: Uint8Array<ArrayBuffer>
  content: GroupMessageContent
}

/** Texts a member can send: not empty, well formed, at most LIMITS.textBytes of UTF-8. */
const goodText = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(LIMITS.textBytes), '😀'.repeat(LIMITS.textBytes / 4), 'é'.repeat(LIMITS.textBytes / 2), '\u0000', ' ') }
)
const envelopeRecipe: fc.Arbitrary<EnvelopeRecipe> = fc.record({
  author: fc.nat({ max: ED.length - 1 }),
  group: fc.uint8Array({ minLength: GROUP_ID_BYTES, maxLength: GROUP_ID_BYTES }),
  id: fc.uint8Array({ minLength: MESSAGE_ID_BYTES, maxLength: MESSAGE_ID_BYTES }),
  seq: fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n << 32n, max: BigInt(Number.MAX_SAFE_INTEGER) }), fc.constant(BigInt(Number.MAX_SAFE_INTEGER))),
  hlc: okU64.filter(v => v > 0n),
  keyOp: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  content: fc.record({ text: goodText, expiresIn: fc.option(fc.oneof(fc.integer({ min: 1, max: MAX_EXPIRES_IN }), fc.constantFrom(1, MAX_EXPIRES_IN)), { nil: undefined }) })
    .map(({ text, expiresIn }) => (expiresIn != null ? { text, expiresIn } : { text }))
}) as fc.Arbitrary<EnvelopeRecipe>

async function makeEnvelope (r: EnvelopeRecipe): Promise<GroupEnvelope> {
  return sealEnvelope(ED[r.author]!, r.key, { group: r.group, id: r.id, author: ED_IDS[r.author]!, seq: r.seq, hlc: r.hlc, keyOp: r.keyOp }, r.content)
}

const SEAL_DOMAIN = new TextEncoder().encode('hearth/group-seal/1')
/** What a member holding the key can seal by hand: any payload bytes, under envelope.ts's construction. */
function sealRaw (key: Uint8Array, e: GroupEnvelope, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const header = GroupEnvelope.encode({ ...e, ciphertext: new Uint8Array(0), signature: new Uint8Array(0) })
  const ad = new Uint8Array(SEAL_DOMAIN.length + header.length)
  ad.set(SEAL_DOMAIN)
  ad.set(header, SEAL_DOMAIN.length)
  return new Uint8Array(seal(key, payload, ad))
}

const envelopeHex = (e: GroupEnvelope): string => hex(GroupEnvelope.encode(e))

async function envelopeOutcome (e: GroupEnvelope): Promise<Awaited<ReturnType<typeof checkEnvelope>> | undefined> {
  try {
    return await checkEnvelope(e)
  } catch (err) {
    if (!(err instanceof EnvelopeError)) throw new Error(`checkEnvelope threw something other than an EnvelopeError: ${String(err)}`, { cause: err })
    return undefined
  }
}

function openOutcome (e: GroupEnvelope, key: Uint8Array): GroupMessageContent | undefined {
  try {
    return openEnvelope(e, key)
  } catch (err) {
    if (!(err instanceof EnvelopeError)) throw new Error(`openEnvelope threw something other than an EnvelopeError: ${String(err)}`, { cause: err })
    return undefined
  }
}

/** What openEnvelope may hand on: a message any member could have sent. */
function checkContent (c: GroupMessageContent): void {
  expect(typeof c.text).toBe('string')
  expect(c.text.length).toBeGreaterThan(0)
  expect(c.text.isWellFormed()).toBe(true)
  expect(utf8Length(c.text)).toBeLessThanOrEqual(LIMITS.textBytes)
  if (c.expiresIn != null) {
    expect(Number.isInteger(c.expiresIn)).toBe(true)
    expect(c.expiresIn).toBeGreaterThanOrEqual(1)
    expect(c.expiresIn).toBeLessThanOrEqual(MAX_EXPIRES_IN)
  }
  expect(Object.keys(c).every(k => k === 'text' || k === 'expiresIn')).toBe(true)
}

describe('checkEnvelope and openEnvelope (every group message a member hands us)', () => {
  it('throw only their own errors for envelopes built from random fields; what passes is well formed and signed', async () => {
    interface Input { e: GroupEnvelope, sign: boolean, key: Uint8Array<ArrayBuffer> }
    const input = fc.record({
      e: fc.record({
        group: sized(GROUP_ID_BYTES),
        id: sized(MESSAGE_ID_BYTES),
        author: peerBytes,
        seq: u64,
        hlc: u64,
        keyOp: sized(32),
        ciphertext: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(MAX_CIPHERTEXT_BYTES, MAX_CIPHERTEXT_BYTES + 1).map(n => new Uint8Array(n))),
        signature: sized(64)
      }),
      sign: fc.boolean(),
      key: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 }))
    }) as fc.Arbitrary<Input>
    let passed = 0
    await fuzz('group-envelope-fields', input, richCodec<Input>(), async ({ e: raw, sign, key }) => {
      let e = raw
      const signer = ED.findIndex((_, i) => hex(ED_IDS[i]!) === hex(e.author))
      if (sign && signer >= 0) {
        const body = GroupEnvelope.encode({ ...e, signature: new Uint8Array(0) })
        const domain = new TextEncoder().encode('hearth/group-message/1')
        const msg = new Uint8Array(domain.length + body.length)
        msg.set(domain)
        msg.set(body, domain.length)
        e = { ...e, signature: new Uint8Array(await ED[signer]!.sign(msg)) }
      }
      const checked = await envelopeOutcome(e)
      const opened = openOutcome(e, key)
      if (opened != null) checkContent(opened)
      if (checked == null) return
      passed++
      expect(e.group.length).toBe(GROUP_ID_BYTES)
      expect(e.id.length).toBe(MESSAGE_ID_BYTES)
      expect(e.keyOp.length).toBe(32)
      expect(e.seq).toBeGreaterThanOrEqual(1n)
      expect(e.seq).toBeLessThanOrEqual(BigInt(Number.MAX_SAFE_INTEGER))
      expect(checked.seq).toBe(Number(e.seq))
      expect(e.hlc).toBeGreaterThan(0n)
      expect(e.ciphertext.length).toBeGreaterThan(0)
      expect(e.ciphertext.length).toBeLessThanOrEqual(MAX_CIPHERTEXT_BYTES)
      expect(signer).toBeGreaterThanOrEqual(0)
      expect(checked.author).toBe(peerIdFromPrivateKey(ED[signer]!).toString())
    }, { runs: 2000, maxMsPerInput: 1000 })
    expect(passed).toBeGreaterThan(0)
  })

  it('open a sealed message to exactly its content with the right key, and to nothing with a wrong one', async () => {
    interface Input { recipe: EnvelopeRecipe, wrong: Uint8Array<ArrayBuffer> }
    const input = fc.record({ recipe: envelopeRecipe, wrong: fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 40 })) }) as fc.Arbitrary<Input>
    await fuzz('group-envelope-open', input, richCodec<Input>(), async ({ recipe, wrong }) => {
      const e = await makeEnvelope(recipe)
      const checked = await envelopeOutcome(e)
      if (checked == null) throw new Error('a sealed envelope was refused by checkEnvelope')
      expect(checked).toMatchObject({ id: hex(recipe.id), group: hex(recipe.group), author: peerIdFromPrivateKey(ED[recipe.author]!).toString(), seq: Number(recipe.seq), hlc: recipe.hlc, keyOp: hex(recipe.keyOp) })
      // Over the wire and back, it is the same envelope and opens the same.
      const wire = GroupEnvelope.decode(GroupEnvelope.encode(e))
      expect((await envelopeOutcome(wire))?.id).toBe(checked.id)
      expect(openOutcome(wire, recipe.key)).toEqual(recipe.content)
      expect(openOutcome(e, recipe.key)).toEqual(recipe.content)
      if (hex(wrong) !== hex(recipe.key)) expect(openOutcome(e, wrong)).toBeUndefined()
    }, { runs: 400 })
  })

  it('never pass or open a sealed message damaged on the wire as anything but itself', async () => {
    interface Input { recipes: EnvelopeRecipe[], donor: EnvelopeRecipe, mutations: Mutation[] }
    const small = envelopeRecipe.map(r => ({ ...r, content: { ...r.content, text: r.content.text.slice(0, 200) || 'x' } }))
    const input = fc.record({ recipes: fc.array(small, { minLength: 1, maxLength: 3 }), donor: small, mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) })
    let decoded = 0
    await fuzz('group-envelope-wire-mutation', input, richCodec<Input>(), async ({ recipes, donor, mutations }) => {
      const envelopes = await Promise.all(recipes.map(makeEnvelope))
      const other = await makeEnvelope(donor)
      const genuine = new Map([...envelopes, other].map((e, i) => [envelopeHex(e), [...recipes, donor][i]!]))
      const bytes = mutations.reduce<Uint8Array>((b, m) => applyMutation(b, m, GroupFrame.encode({ envelopes: { envelopes: [other] } })), GroupFrame.encode({ envelopes: { envelopes } }))
      const decodedFrame = frameOutcome(bytes)
      if (!decodedFrame.ok) return
      const { frame } = decodedFrame
      for (const e of frame.envelopes?.envelopes ?? []) {
        decoded++
        const checked = await envelopeOutcome(e)
        const mine = genuine.get(envelopeHex(e))
        if (checked != null) expect(mine, 'a mutated envelope passed checkEnvelope').toBeDefined()
        // Whatever the damage, with any of the keys in play it opens only if it is one of the originals.
        for (const r of [...recipes, donor]) {
          const opened = openOutcome(e, r.key)
          if (opened == null) continue
          checkContent(opened)
          const header = (x: GroupEnvelope): string => hex(GroupEnvelope.encode({ ...x, signature: new Uint8Array(0) }))
          const source = [...envelopes, other].find(x => header(x) === header(e))
          expect(source, 'a damaged envelope opened').toBeDefined()
          expect(opened).toEqual(genuine.get(envelopeHex(source!))!.content)
        }
      }
    }, { runs: 1500, maxMsPerInput: 1000 })
    expect(decoded).toBeGreaterThan(0)
  })

  it('refuse to open a message whose header or ciphertext was changed, even when re-signed', async () => {
    type Change = { field: 'group' | 'id' | 'author' | 'keyOp', bytes: Uint8Array<ArrayBuffer> } | { field: 'seq' | 'hlc', value: bigint } | { field: 'ciphertext', at: number, bit: number }
    const change: fc.Arbitrary<Change> = fc.oneof(
      fc.record({ field: fc.constantFrom('group' as const, 'id' as const, 'keyOp' as const), bytes: fc.oneof(sized(16), sized(32)) }),
      fc.record({ field: fc.constant('author' as const), bytes: fc.constantFrom(...ED_IDS) }),
      fc.record({ field: fc.constantFrom('seq' as const, 'hlc' as const), value: okU64 }),
      fc.record({ field: fc.constant('ciphertext' as const), at: fc.nat({ max: 20_000 }), bit: fc.nat({ max: 7 }) })
    ) as fc.Arbitrary<Change>
    interface Input { recipe: EnvelopeRecipe, change: Change }
    await fuzz('group-envelope-field-mutation', fc.record({ recipe: envelopeRecipe, change }), richCodec<Input>(), async ({ recipe, change }) => {
      const e = await makeEnvelope(recipe)
      const next: GroupEnvelope = { ...e }
      switch (change.field) {
        case 'group': case 'id': case 'keyOp': case 'author': next[change.field] = change.bytes; break
        case 'seq': case 'hlc': next[change.field] = change.value; break
        case 'ciphertext': {
          const c = e.ciphertext.slice()
          const at = change.at % c.length
          c[at] = (c[at] ?? 0) ^ (1 << change.bit)
          next.ciphertext = c
          break
        }
      }
      if (envelopeHex(next) === envelopeHex(e)) return
      // As signed: the signature no longer matches.
      expect(await envelopeOutcome(next), `an envelope with its ${change.field} changed passed checkEnvelope`).toBeUndefined()
      // Re-signed by a member (any author may sign what it likes): the seal still binds the header.
      expect(openOutcome(next, recipe.key), `an envelope with its ${change.field} changed still opened`).toBeUndefined()
    }, { runs: 1000 })
  })

  it('open whatever a key holder seals only to a message within bounds', async () => {
    const payload = hostileBytes(fc.oneof(
      fc.record({ text: fc.oneof(text, goodText, fc.constant('a'.repeat(LIMITS.textBytes + 1))), expiresIn: fc.option(fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(0, 1, MAX_EXPIRES_IN, MAX_EXPIRES_IN + 1)), { nil: undefined }) })
        .map(p => GroupPayload.encode(p.expiresIn != null ? p : { text: p.text })),
      wireMessage
    ))
    interface Input { recipe: EnvelopeRecipe, payload: Uint8Array<ArrayBuffer> }
    await fuzz('group-envelope-payload', fc.record({ recipe: envelopeRecipe, payload }) as fc.Arbitrary<Input>, richCodec<Input>(), async ({ recipe, payload }) => {
      const e = await makeEnvelope(recipe)
      const forged = { ...e, ciphertext: sealRaw(recipe.key, e, payload) }
      const opened = openOutcome(forged, recipe.key)
      if (opened != null) checkContent(opened)
    }, { runs: 1500, maxMsPerInput: 1000 })
  })
})

// ------------------------------------------------------------ decodeGroupFrame

const someOp: fc.Arbitrary<GroupOp> = fc.oneof(
  rawOp.map(r => r.op),
  fc.record({ group: sized(16), author: fc.constantFrom(...ED_IDS), hlc: okU64, deps: fc.array(sized(32), { maxLength: 3 }), keyCheck: sized(32), signature: sized(64), add: member }) as fc.Arbitrary<GroupOp>
)
const someEnvelope: fc.Arbitrary<GroupEnvelope> = fc.record({
  group: sized(16), id: sized(16), author: peerBytes, seq: okU64, hlc: okU64, keyOp: sized(32), ciphertext: fc.uint8Array({ maxLength: 100 }), signature: sized(64)
}) as fc.Arbitrary<GroupEnvelope>
const validFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.record({
    group: sized(16),
    heads: fc.array(sized(32), { maxLength: 6 }),
    opCount: fc.nat({ max: 0xffffffff }),
    seen: fc.array(fc.record({ author: peerBytes, ranges: fc.array(okU64, { maxLength: 8 }) }), { maxLength: 4 }),
    wantKeys: fc.array(sized(32), { maxLength: 3 }),
    readOfYours: okU64
  }).map(summary => GroupFrame.encode({ summary } as GroupFrame)),
  fc.array(someOp, { minLength: 0, maxLength: 4 }).map(ops => GroupFrame.encode({ ops: { ops } })),
  fc.array(someEnvelope, { maxLength: 4 }).map(envelopes => GroupFrame.encode({ envelopes: { envelopes } })),
  fc.record({ group: sized(16), keyOp: sized(32), key: sized(32) }).map(key => GroupFrame.encode({ key } as GroupFrame)),
  wireMessage
)

type FrameOutcome = { ok: true, frame: GroupFrame } | { ok: false, message: string }

function frameOutcome (input: Uint8Array | Uint8ArrayList): FrameOutcome {
  try {
    return { ok: true, frame: decodeGroupFrame(input) }
  } catch (err) {
    if (!(err instanceof GroupFrameError)) throw new Error(`decodeGroupFrame threw something other than a GroupFrameError: ${String(err)}`, { cause: err })
    return { ok: false, message: err.message }
  }
}

/** Every bound decodeGroupFrame promises, checked on what it returned. */
function checkFrameLimits (frame: GroupFrame): void {
  const bodies = (['summary', 'ops', 'envelopes', 'key'] as const).filter(k => frame[k] != null)
  expect(bodies.length, 'a frame holds exactly one body').toBe(1)
  const s = frame.summary
  if (s != null) {
    expect(s.heads.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.heads)
    expect(s.seen.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.seen)
    for (const a of s.seen) expect(a.ranges.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.ranges)
    expect(s.wantKeys.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.wantKeys)
  }
  if (frame.ops != null) {
    expect(frame.ops.ops.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.ops)
    for (const op of frame.ops.ops) {
      expect(KINDS.filter(k => op[k] != null).length).toBeLessThanOrEqual(1)
      expect(op.deps.length).toBeLessThanOrEqual(OP_LIMITS.deps)
      expect(op.create?.members.length ?? 0).toBeLessThanOrEqual(OP_LIMITS.createMembers)
      for (const m of [...(op.create?.members ?? []), op.add, op.remove, op.promote]) expect(m?.addrs.length ?? 0).toBeLessThanOrEqual(OP_LIMITS.addrs)
    }
  }
  if (frame.envelopes != null) expect(frame.envelopes.envelopes.length).toBeLessThanOrEqual(GROUP_FRAME_LIMITS.envelopes)
}

/** A frame with one repeated field at `n` entries, as the encoder writes it. */
function frameWith (what: keyof typeof GROUP_FRAME_LIMITS | 'deps' | 'createMembers' | 'addrs', n: number): Uint8Array {
  const b = (len: number, i: number): Uint8Array<ArrayBuffer> => new Uint8Array(len).fill(i & 0xff)
  const op = (extra: Partial<GroupOp>): GroupOp => ({ group: b(16, 1), author: ED_IDS[0]!, hlc: 1n, deps: [b(32, 2)], keyCheck: new Uint8Array(0), signature: b(64, 3), rekey: {}, ...extra })
  const summary = (extra: Record<string, unknown>): Uint8Array => GroupFrame.encode({ summary: { group: b(16, 1), heads: [], opCount: 0, seen: [], wantKeys: [], readOfYours: 0n, ...extra } })
  const range = (i: number): bigint => BigInt(i + 1)
  switch (what) {
    case 'heads': return summary({ heads: Array.from({ length: n }, (_, i) => b(32, i)) })
    case 'seen': return summary({ seen: Array.from({ length: n }, (_, i) => ({ author: ED_IDS[i % ED_IDS.length]!, ranges: [1n, 2n] })) })
    case 'ranges': return summary({ seen: [{ author: ED_IDS[0]!, ranges: Array.from({ length: n }, (_, i) => range(i)) }] })
    case 'wantKeys': return summary({ wantKeys: Array.from({ length: n }, (_, i) => b(32, i)) })
    case 'ops': return GroupFrame.encode({ ops: { ops: Array.from({ length: n }, () => op({})) } })
    case 'envelopes': return GroupFrame.encode({ envelopes: { envelopes: Array.from({ length: n }, (_, i) => ({ group: b(16, 1), id: b(16, i), author: ED_IDS[0]!, seq: 1n, hlc: 1n, keyOp: b(32, 4), ciphertext: b(40, 5), signature: b(64, 6) })) } })
    case 'deps': return GroupFrame.encode({ ops: { ops: [op({ deps: Array.from({ length: n }, (_, i) => b(32, i)) })] } })
    case 'createMembers': return GroupFrame.encode({ ops: { ops: [op({ rekey: undefined, deps: [], create: { name: 'g', members: Array.from({ length: n }, () => ({ peer: ED_IDS[1]!, name: 'm', addrs: [], cutoff: 0n })) } })] } })
    case 'addrs': return GroupFrame.encode({ ops: { ops: [op({ rekey: undefined, add: { peer: ED_IDS[1]!, name: 'm', addrs: Array.from({ length: n }, () => LAN_ADDRS[0]!), cutoff: 0n } })] } })
  }
}

describe('decodeGroupFrame (every frame of /hearth/group/1.0.0)', () => {
  it('throws only GroupFrameError, honours every limit, holds one body, and reads a chunked list like the whole buffer', async () => {
    const input = fc.record({ bytes: hostileBytes(validFrame), cuts: fc.array(fc.nat({ max: 4096 }), { maxLength: 4 }) })
    let accepted = 0
    await fuzz('group-frame', input, splitCodec, (split) => {
      const whole = frameOutcome(split.bytes)
      if (whole.ok) {
        accepted++
        checkFrameLimits(whole.frame)
        checkBounded(whole.frame, split.bytes.length)
      }
      expect(frameOutcome(chunked(split))).toEqual(whole)
    }, { runs: 4000, maxMsPerInput: 1000 })
    expect(accepted).toBeGreaterThan(0)
  })

  it('takes each repeated field up to its limit, and refuses one more', () => {
    const limits = { ...GROUP_FRAME_LIMITS, deps: OP_LIMITS.deps, createMembers: OP_LIMITS.createMembers, addrs: OP_LIMITS.addrs }
    for (const [what, n] of Object.entries(limits) as Array<[keyof typeof limits, number]>) {
      expect(frameOutcome(frameWith(what, n)).ok, `${what} at its limit (${n})`).toBe(true)
      const over = frameOutcome(frameWith(what, n + 1))
      expect(over.ok, `${what} over its limit (${n + 1})`).toBe(false)
    }
  })

  it('refuses a frame with no body, and keeps one body when the wire names several', () => {
    expect(frameOutcome(new Uint8Array(0)).ok).toBe(false)
    expect(frameOutcome(Uint8Array.of(0x28, 0x01)).ok).toBe(false) // only an unknown field 5
    const both = Buffer.concat([GroupFrame.encode({ key: { group: new Uint8Array(16), keyOp: new Uint8Array(32), key: new Uint8Array(32) } }), frameWith('ops', 1), frameWith('heads', 1)])
    const got = frameOutcome(both)
    expect(got.ok).toBe(true)
    if (got.ok) checkFrameLimits(got.frame)
  })

  it('decodes the largest frames a member may send within the frame limits and in bounded size (the time each took is printed)', () => {
    // The stream reader takes frames up to MAX_GROUP_FRAME_BYTES (1 MiB); these fill it in the worst shapes.
    const MiB = 1024 * 1024
    const lengthDelimited = (tag: number, body: Uint8Array): Uint8Array => {
      const len: number[] = []
      for (let n = body.length; ; n >>>= 7) {
        if (n < 0x80) { len.push(n); break }
        len.push((n & 0x7f) | 0x80)
      }
      return Uint8Array.from([tag, ...len, ...body])
    }
    const fill = (unit: Uint8Array): Uint8Array => {
      const out = new Uint8Array(MiB - (MiB % unit.length))
      for (let at = 0; at + unit.length <= out.length; at += unit.length) out.set(unit, at)
      return out
    }
    const shapes: Record<string, Uint8Array> = {
      // An Ops body sent again and again: each replaces the last.
      'repeated ops bodies': fill(frameWith('ops', GROUP_FRAME_LIMITS.ops)),
      // Empty ops, as many as fit: refused at the 17th.
      'empty ops': lengthDelimited(0x12, new Uint8Array(MiB - 8).map((_, i) => i % 2 === 0 ? 0x0a : 0x00)),
      // Empty seen entries and one-byte ranges, as many as fit: refused at the limit.
      'empty seen entries': lengthDelimited(0x0a, new Uint8Array(MiB - 8).map((_, i) => i % 2 === 0 ? 0x22 : 0x00)),
      'one-byte heads': lengthDelimited(0x0a, new Uint8Array(MiB - 8).map((_, i) => i % 2 === 0 ? 0x12 : 0x00)),
      // Summaries sent again and again, each at its limits.
      'repeated full summaries': fill(frameWith('ranges', GROUP_FRAME_LIMITS.ranges)),
      // Envelopes with 32 KiB ciphertexts, 32 of them, repeated.
      'big envelopes': fill(GroupFrame.encode({ envelopes: { envelopes: Array.from({ length: GROUP_FRAME_LIMITS.envelopes }, () => ({ group: new Uint8Array(16), id: new Uint8Array(16), author: ED_IDS[0]!, seq: 1n, hlc: 1n, keyOp: new Uint8Array(32), ciphertext: new Uint8Array(32 * 1024 - 200), signature: new Uint8Array(64) })) } })),
      // Start-group tags nested without end.
      'nested groups': new Uint8Array(MiB).fill(0x0b),
      // Unknown fields only.
      'unknown fields': fill(Uint8Array.of(0x28, 0x01))
    }
    const figures: string[] = []
    for (const [name, bytes] of Object.entries(shapes)) {
      const started = performance.now()
      const got = frameOutcome(bytes)
      const took = performance.now() - started
      figures.push(`${name} ${got.ok ? 'taken' : 'refused'} in ${took.toFixed(1)} ms`)
      if (got.ok) {
        checkFrameLimits(got.frame)
        checkBounded(got.frame, bytes.length)
      }
    }
    process.stdout.write(`[group-wire] 1 MiB frames: ${figures.join('; ')}\n`)
  })
})

// ------------------------------------------------------------ SeqSet

const seqNumber = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 2 ** 53 + 2, 1.5, Number.NaN, Infinity, -0) }
)
const flatArb: fc.Arbitrary<Array<number | bigint>> = fc.oneof(
  // Sorted, disjoint ranges (some adjacent), as a member sends them.
  fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { maxLength: MAX_RANGES + 2 }).map(steps => {
    const flat: number[] = []
    let at = 0
    for (const [gap, len] of steps) {
      const a = at + gap + 1
      flat.push(a, a + len)
      at = a + len
    }
    return flat
  }),
  fc.array(seqNumber, { maxLength: 12 }),
  fc.array(u64, { maxLength: 12 }),
  fc.array(fc.oneof(seqNumber, u64), { maxLength: 2 * MAX_RANGES + 2 })
)
const flatCodec: InputCodec<Array<number | bigint>> = {
  toJson: flat => flat.map(v => typeof v === 'bigint' ? { $big: v.toString() } : Number.isFinite(v) ? (Object.is(v, -0) ? { $num: '-0' } : v) : { $num: String(v) }),
  fromJson: json => (json as unknown[]).map(v => {
    if (typeof v === 'number') return v
    const o = v as { $big?: string, $num?: string }
    return o.$big != null ? BigInt(o.$big) : Number(o.$num)
  })
}

/** The numbers a flat list names, when every pair is proper (a naive reading). */
function naiveSet (flat: Array<number | bigint>): Set<number> {
  const s = new Set<number>()
  for (let i = 0; i + 1 < flat.length; i += 2) for (let n = Number(flat[i]); n <= Number(flat[i + 1]); n++) s.add(n)
  return s
}

describe('SeqSet.fromFlat (what a summary says a member has seen)', () => {
  it('throws only RangeError; what it takes reads back through toFlat and means the same', async () => {
    let accepted = 0
    await fuzz('group-seqset-flat', flatArb, flatCodec, (flat) => {
      let set: SeqSet
      try {
        set = SeqSet.fromFlat(flat)
      } catch (err) {
        if (!(err instanceof RangeError)) throw new Error(`fromFlat threw something other than a RangeError: ${String(err)}`, { cause: err })
        return
      }
      accepted++
      // Only what the documented rule allows: pairs, sorted, disjoint, whole, at most MAX_RANGES.
      expect(flat.length % 2).toBe(0)
      expect(flat.length / 2).toBeLessThanOrEqual(MAX_RANGES)
      let last = 0
      for (let i = 0; i < flat.length; i += 2) {
        const a = Number(flat[i])
        const b = Number(flat[i + 1])
        expect(Number.isSafeInteger(a) && Number.isSafeInteger(b)).toBe(true)
        expect(a).toBeGreaterThan(last)
        expect(b).toBeGreaterThanOrEqual(a)
        last = b
      }
      const out = set.toFlat()
      // A fixed point: read back, it is the same set, and toFlat gives the same list.
      expect(SeqSet.fromFlat(out).toFlat()).toEqual(out)
      // Same numbers (checked where that is cheap): adjacent ranges merge, nothing else changes.
      if (Number(flat.at(-1) ?? 0) <= 10_000) {
        const want = naiveSet(flat)
        expect(new Set(naiveSet(out))).toEqual(want)
        expect(set.max).toBe(want.size === 0 ? 0 : Math.max(...want))
      }
      // Canonical input (no two ranges touching) reads back exactly.
      const touching = flat.some((v, i) => i % 2 === 0 && i > 0 && Number(v) === Number(flat[i - 1]) + 1)
      if (!touching) expect(out).toEqual(flat.map(Number))
    }, { runs: 3000 })
    expect(accepted).toBeGreaterThan(0)
  })

  it('has, gaps, contiguous, max and lacksAnyOf agree with a plain Set', async () => {
    type Build = Array<{ add: number } | { range: [number, number] }>
    const build: fc.Arbitrary<Build> = fc.array(fc.oneof(
      fc.integer({ min: 1, max: 80 }).map(add => ({ add })),
      fc.tuple(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 12 })).map(([a, len]) => ({ range: [a, a + len] as [number, number] }))
    ), { maxLength: 30 })
    interface Input { x: Build, y: Build, upTo: number }
    await fuzz('group-seqset-model', fc.record({ x: build, y: build, upTo: fc.integer({ min: -1, max: 100 }) }), richCodec<Input>(), ({ x, y, upTo }) => {
      const make = (b: Build): { set: SeqSet, model: Set<number> } => {
        const set = new SeqSet()
        const model = new Set<number>()
        for (const step of b) {
          if ('add' in step) {
            expect(set.add(step.add)).toBe(!model.has(step.add))
            model.add(step.add)
          } else {
            set.addRange(...step.range)
            for (let n = step.range[0]; n <= step.range[1]; n++) model.add(n)
          }
        }
        return { set, model }
      }
      const a = make(x)
      const b = make(y)
      for (const { set, model } of [a, b]) {
        for (let n = -1; n <= 100; n++) expect(set.has(n)).toBe(model.has(n))
        const gaps = set.gaps(upTo)
        const missing: number[] = []
        for (let n = 1; n <= upTo; n++) if (!model.has(n)) missing.push(n)
        expect(gaps.flatMap(([p, q]) => Array.from({ length: q - p + 1 }, (_, i) => p + i))).toEqual(missing)
        // Gaps are proper ranges, sorted, and never touch (so they are as few as can be).
        for (let i = 0; i < gaps.length; i++) {
          expect(gaps[i]![0]).toBeLessThanOrEqual(gaps[i]![1])
          if (i > 0) expect(gaps[i]![0]).toBeGreaterThan(gaps[i - 1]![1] + 1)
        }
        expect(set.max).toBe(model.size === 0 ? 0 : Math.max(...model))
        let run = 0
        while (model.has(run + 1)) run++
        expect(set.contiguous).toBe(run)
        // The ranges are disjoint, sorted and not touching, and round-trip.
        const flat = set.toFlat()
        for (let i = 2; i < flat.length; i += 2) expect(flat[i]!).toBeGreaterThan(flat[i - 1]! + 1)
        if (flat.length / 2 <= MAX_RANGES) expect(SeqSet.fromFlat(flat).toFlat()).toEqual(flat)
      }
      expect(a.set.lacksAnyOf(b.set)).toBe([...b.model].some(n => !a.model.has(n)))
      expect(b.set.lacksAnyOf(a.set)).toBe([...a.model].some(n => !b.model.has(n)))
    }, { runs: 1000 })
  })

  it('refuses, with RangeError, a range that is not two whole numbers 1 <= a <= b', () => {
    for (const [a, b] of [[0, 1], [2, 1], [1.5, 2], [1, Number.NaN], [1, Infinity], [-1, 3], [1, 2 ** 53]]) {
      expect(() => new SeqSet([[a!, b!]]), `[${a}, ${b}]`).toThrow(RangeError)
    }
  })
})
