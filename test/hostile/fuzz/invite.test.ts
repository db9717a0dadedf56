/**
 * decodeInvite gets whatever a person pastes, or a stranger sends them: it
 * may throw only HearthError with INVALID_INVITE or INVITE_EXPIRED, and
 * whatever it accepts is an Ed25519 peer id, one to six LAN addresses that
 * can be dialled, a 16-byte secret and an expiry still ahead.
 *
 * Random text seldom gets past the prefix and the checksum, so most inputs
 * are real codes with typing damage, or payloads (valid, mutated, random)
 * wrapped with a correct checksum so the decoder behind it is reached.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { toString } from 'uint8arrays'
import { sha256 } from '../../../src/main/core/crypto/index.js'
import { HearthError } from '../../../src/main/core/errors.js'
import { decodeInvite, encodeInvite, INVITE_MAX_ADDRESSES, INVITE_PREFIX, INVITE_SECRET_BYTES, type Invite } from '../../../src/main/core/protocols/contact/invite-code.js'
import { InviteCode } from '../../../src/main/core/protocols/contact/pb/contact.js'
import { fuzz, jsonCodec } from './harness.js'
import { hostileBytes, wireMessage } from './mutate.js'

const NOW = 1_750_000_000_000
const DAY = 24 * 60 * 60 * 1000
/**
 * Expiries are milliseconds on the wire. (They were seconds, which
 * protons-runtime mis-encodes from 2^31 s, in 2038: regressions/
 * invite-roundtrip.json keeps that case.) Any expiry a Number holds works.
 */
const LAST_GOOD_EXPIRY = Number.MAX_SAFE_INTEGER

const ed25519 = await Promise.all(Array.from({ length: 4 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
const secp256k1 = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))

// ------------------------------------------------------------ addresses, labelled

const octet = fc.nat({ max: 255 })
const port = fc.integer({ min: 1, max: 65535 })
const hex16 = fc.nat({ max: 0xffff }).map(n => n.toString(16))
const transport = fc.constantFrom('/tcp/PORT', '/udp/PORT/webrtc-direct', '/udp/PORT/quic-v1', '/tcp/PORT/ws')

/** LAN addresses by construction (RFC 1918, loopback, link-local, ULA), so the oracle does not borrow the code under test. */
const lanIp = fc.oneof(
  fc.tuple(octet, octet).map(([a, b]) => `/ip4/192.168.${a}.${b}`),
  fc.tuple(octet, octet, octet).map(([a, b, c]) => `/ip4/10.${a}.${b}.${c}`),
  fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([a, b, c]) => `/ip4/172.${a}.${b}.${c}`),
  fc.tuple(octet, octet).map(([a, b]) => `/ip4/127.0.${a}.${b}`),
  fc.tuple(octet, octet).map(([a, b]) => `/ip4/169.254.${a}.${b}`),
  hex16.map(h => `/ip6/fe80::${h}`),
  fc.tuple(fc.nat({ max: 0xff }), hex16).map(([a, h]) => `/ip6/fd${a.toString(16).padStart(2, '0')}::${h}`),
  fc.constant('/ip6/::1')
)
/** Never LAN: public IPv4 ranges, documentation IPv6, CGNAT, DNS names. */
const wanIp = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), octet, octet, octet).map(([a, b, c, d]) => `/ip4/${a}.${b}.${c}.${d}`),
  fc.tuple(octet, octet).map(([a, b]) => `/ip4/100.64.${a}.${b}`),
  fc.tuple(octet, octet).map(([a, b]) => `/ip4/8.8.${a}.${b}`),
  fc.tuple(hex16, hex16).map(([a, b]) => `/ip6/2001:db8:${a}::${b}`),
  fc.constantFrom('/dns4/example.com', '/dns4/localhost', '/dns6/router.lan', '/dnsaddr/bootstrap.libp2p.io')
)
const address = fc.oneof(
  fc.tuple(lanIp, transport, port).map(([ip, t, p]) => ({ addr: ip + t.replace('PORT', String(p)), lan: true })),
  fc.tuple(wanIp, transport, port).map(([ip, t, p]) => ({ addr: ip + t.replace('PORT', String(p)), lan: false }))
)

// ------------------------------------------------------------ codes

/** A code in the documented layout for any payload: prefix, base58btc, SHA-256 checksum. */
function wrap (payload: Uint8Array): string {
  const bytes = new Uint8Array(payload.length + 4)
  bytes.set(payload)
  bytes.set(sha256(payload).subarray(0, 4), payload.length)
  return INVITE_PREFIX + toString(bytes, 'base58btc')
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const WHITESPACE = [' ', '\n', '\r\n', '\t', '\u00a0', '\u2028', '\ufeff', '\u3000']

interface ValidInvite { peer: number, addrs: Array<{ addr: string, lan: boolean }>, secret: number[], expiresAt: number }

const validInvite: fc.Arbitrary<ValidInvite> = fc.record({
  peer: fc.nat({ max: ed25519.length - 1 }),
  addrs: fc.array(address, { minLength: 1, maxLength: INVITE_MAX_ADDRESSES + 3 }),
  secret: fc.array(fc.nat({ max: 255 }), { minLength: INVITE_SECRET_BYTES, maxLength: INVITE_SECRET_BYTES }),
  expiresAt: fc.oneof(fc.integer({ min: NOW - DAY, max: NOW + 2 * DAY }), fc.integer({ min: 1000, max: LAST_GOOD_EXPIRY }))
})

function toInvite (v: ValidInvite): Invite {
  const peerId = ed25519[v.peer]
  if (peerId == null) throw new Error(`no peer ${v.peer}`)
  return { peerId, addresses: v.addrs.map(a => multiaddr(a.addr)), secret: new Uint8Array(v.secret), expiresAt: v.expiresAt }
}

/** A real code damaged the way hands, chat apps and attackers damage text. */
const damagedCode: fc.Arbitrary<string> = fc.tuple(
  validInvite.map(v => encodeInvite(toInvite(v))),
  fc.array(fc.tuple(fc.constantFrom('replace', 'delete', 'insert', 'swap', 'truncate', 'repeat', 'case', 'space'), fc.nat({ max: 4096 }), fc.nat({ max: BASE58.length - 1 })), { minLength: 1, maxLength: 3 })
).map(([code, edits]) => edits.reduce((s, [op, at, c]) => {
  const i = s.length === 0 ? 0 : at % s.length
  const ch = BASE58[c] ?? 'z'
  switch (op) {
    case 'replace': return s.slice(0, i) + ch + s.slice(i + 1)
    case 'delete': return s.slice(0, i) + s.slice(i + 1)
    case 'insert': return s.slice(0, i) + ch + s.slice(i)
    case 'swap': return s.slice(0, i) + s.slice(i + 1, i + 2) + s.slice(i, i + 1) + s.slice(i + 2)
    case 'truncate': return s.slice(0, i)
    case 'repeat': return s + s.slice(i)
    case 'case': return s.slice(0, i) + (s[i]?.toUpperCase() === s[i] ? (s[i] ?? '').toLowerCase() : (s[i] ?? '').toUpperCase()) + s.slice(i + 1)
    case 'space': return s.slice(0, i) + (WHITESPACE[c % WHITESPACE.length] ?? ' ') + s.slice(i)
    default: return s
  }
}, code))

const peerIdBytes = fc.oneof(
  fc.nat({ max: ed25519.length - 1 }).map(i => ed25519[i]?.toMultihash().bytes ?? new Uint8Array(0)),
  fc.constant(secp256k1.toMultihash().bytes),
  fc.uint8Array({ maxLength: 40 })
)
const addrBytes = fc.oneof(address.map(a => multiaddr(a.addr).bytes), fc.uint8Array({ maxLength: 24 }))

/** Payloads behind a correct checksum: proper, mutated or schema-free, so the protobuf and what follows it are reached. */
const payload = fc.record({
  peerId: peerIdBytes,
  addrs: fc.array(addrBytes, { maxLength: INVITE_MAX_ADDRESSES + 2 }),
  secret: fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 32 })),
  expiresAt: fc.oneof(fc.bigInt({ min: 0n, max: BigInt(LAST_GOOD_EXPIRY) }), fc.constantFrom(0n, BigInt(NOW) + 3_600_000n))
}).map(p => InviteCode.encode(p))

const pasted: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...BASE58), maxLength: 200 }).map(s => INVITE_PREFIX + s) },
  { weight: 4, arbitrary: damagedCode },
  // A code holds at most 2048 characters, about 1500 bytes; base58 of more is slow to make and refused unread.
  { weight: 6, arbitrary: hostileBytes(fc.oneof(payload, wireMessage)).map(b => wrap(b.subarray(0, 1600))) },
  { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 4000 }), damagedCode).map(([n, code]) => ' \n'.repeat(n) + code) },
  { weight: 1, arbitrary: fc.constantFrom('', INVITE_PREFIX, INVITE_PREFIX + '1', INVITE_PREFIX + '1111', INVITE_PREFIX.toUpperCase() + 'z', INVITE_PREFIX + 'z'.repeat(2100), '\u0000', INVITE_PREFIX + '\u{1f525}') }
)
const now = fc.oneof(fc.integer({ min: NOW - 2 * DAY, max: NOW + 3 * DAY }), fc.constantFrom(0, NOW, Number.MAX_SAFE_INTEGER))

interface DecodeInput { code: string, now: number }
const decodeCodec = jsonCodec((j): j is DecodeInput => typeof j === 'object' && j !== null && typeof (j as DecodeInput).code === 'string' && typeof (j as DecodeInput).now === 'number')

type Outcome = { ok: true, invite: Invite } | { ok: false, code: string }

/** decodeInvite at its boundary: INVALID_INVITE and INVITE_EXPIRED are answers, anything else thrown fails. */
function outcome (code: string, at: number): Outcome {
  try {
    return { ok: true, invite: decodeInvite(code, at) }
  } catch (err) {
    if (!(err instanceof HearthError) || (err.code !== 'INVALID_INVITE' && err.code !== 'INVITE_EXPIRED')) {
      throw new Error(`decodeInvite threw ${String(err)} (${(err as { code?: string }).code ?? 'no code'})`, { cause: err })
    }
    expect(err.message.length).toBeGreaterThan(0)
    return { ok: false, code: err.code }
  }
}

/** What an accepted invite must be: everything the caller goes on to use works. */
function checkAccepted (invite: Invite, at: number): void {
  expect(invite.peerId.type).toBe('Ed25519')
  expect(invite.addresses.length).toBeGreaterThan(0)
  expect(invite.addresses.length).toBeLessThanOrEqual(INVITE_MAX_ADDRESSES)
  for (const a of invite.addresses) {
    const text = a.toString()
    expect(multiaddr(text).equals(a)).toBe(true)
    expect(['ip4', 'ip6']).toContain(a.getComponents()[0]?.name)
    // contact-protocol.ts dials it bound to the peer id.
    expect(() => a.encapsulate(`/p2p/${invite.peerId.toString()}`)).not.toThrow()
  }
  expect(invite.secret.length).toBe(INVITE_SECRET_BYTES)
  expect(Number.isSafeInteger(invite.expiresAt)).toBe(true)
  expect(invite.expiresAt).toBeGreaterThan(at)
}

describe('decodeInvite', () => {
  it('throws only INVALID_INVITE or INVITE_EXPIRED, and accepts only usable invites', async () => {
    await fuzz('invite-decode', fc.record({ code: pasted, now }), decodeCodec, ({ code, now: at }) => {
      const got = outcome(code, at)
      if (got.ok) checkAccepted(got.invite, at)
    }, { runs: 2000, maxMsPerInput: 1000 })
  })

  it('round-trips every invite it makes, through any whitespace, keeping only the first LAN addresses', async () => {
    const input = fc.record({
      invite: validInvite,
      now,
      spaces: fc.array(fc.tuple(fc.nat({ max: 4096 }), fc.nat({ max: WHITESPACE.length - 1 })), { maxLength: 6 })
    })
    type Input = typeof input extends fc.Arbitrary<infer T> ? T : never
    const codec = jsonCodec((j): j is Input => typeof j === 'object' && j !== null && 'invite' in j && 'now' in j && 'spaces' in j)
    await fuzz('invite-roundtrip', input, codec, ({ invite, now: at, spaces }) => {
      let code = encodeInvite(toInvite(invite))
      for (const [pos, w] of spaces) {
        const i = pos % (code.length + 1)
        code = code.slice(0, i) + (WHITESPACE[w] ?? ' ') + code.slice(i)
      }
      const expiresAt = invite.expiresAt
      const lan = invite.addrs.slice(0, INVITE_MAX_ADDRESSES).filter(a => a.lan).map(a => multiaddr(a.addr).toString())
      const got = outcome(code, at)
      if (lan.length === 0) {
        expect(got).toEqual({ ok: false, code: 'INVALID_INVITE' })
        return
      }
      if (expiresAt <= at) {
        expect(got).toEqual({ ok: false, code: 'INVITE_EXPIRED' })
        return
      }
      if (!got.ok) throw new Error(`a fresh invite was refused with ${got.code}`)
      checkAccepted(got.invite, at)
      expect(got.invite.peerId.equals(ed25519[invite.peer])).toBe(true)
      expect(got.invite.addresses.map(a => a.toString())).toEqual(lan)
      expect([...got.invite.secret]).toEqual(invite.secret)
      expect(got.invite.expiresAt).toBe(expiresAt)
    }, { runs: 300 })
  })
})
