import { beforeAll, describe, it, expect } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { toString } from 'uint8arrays'
import { randomBytes, sha256 } from '../../src/main/core/crypto/index.js'
import { HearthError } from '../../src/main/core/errors.js'
import {
  INVITE_MAX_ADDRESSES,
  INVITE_PREFIX,
  INVITE_SECRET_BYTES,
  decodeInvite,
  encodeInvite,
  type Invite
} from '../../src/main/core/protocols/contact/invite-code.js'
import { InviteCode } from '../../src/main/core/protocols/contact/pb/contact.js'

const NOW = 1_750_000_000_000
const EXPIRES = NOW + 24 * 60 * 60 * 1000

let peerId: PeerId

beforeAll(async () => {
  peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
})

function invite (addresses: string[], fields: Partial<Invite> = {}): Invite {
  return { peerId, addresses: addresses.map(a => multiaddr(a)), secret: randomBytes(INVITE_SECRET_BYTES), expiresAt: EXPIRES, ...fields }
}

/** Builds a code by hand, in the documented layout, for payloads `encodeInvite` would never produce. */
function rawCode (fields: Partial<InviteCode>): string {
  const payload = InviteCode.encode({
    peerId: peerId.toMultihash().bytes,
    addrs: [multiaddr('/ip4/192.168.1.10/tcp/4001').bytes],
    secret: randomBytes(INVITE_SECRET_BYTES),
    expiresAt: BigInt(EXPIRES),
    ...fields
  })
  const bytes = new Uint8Array(payload.length + 4)
  bytes.set(payload)
  bytes.set(sha256(payload).subarray(0, 4), payload.length)
  return INVITE_PREFIX + toString(bytes, 'base58btc')
}

function failure (fn: () => unknown): HearthError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(HearthError)
    return err as HearthError
  }
  throw new Error('expected decodeInvite to throw')
}

const LAN = ['/ip4/192.168.1.10/tcp/4001', '/ip4/10.0.0.7/udp/4001/webrtc-direct', '/ip6/fe80::1/tcp/4001']

describe('invite codes', () => {
  it('round-trips the peer id, LAN addresses, secret and expiry', () => {
    const original = invite(LAN)
    const code = encodeInvite(original)
    expect(code.startsWith(INVITE_PREFIX)).toBe(true)
    expect(code).toMatch(/^hearth1[1-9A-HJ-NP-Za-km-z]+$/)

    const decoded = decodeInvite(code, NOW)
    expect(decoded.peerId.equals(peerId)).toBe(true)
    expect(decoded.peerId.toString()).toBe(peerId.toString())
    expect(decoded.addresses.map(a => a.toString())).toEqual(LAN)
    expect(Buffer.from(decoded.secret).equals(Buffer.from(original.secret))).toBe(true)
    expect(decoded.expiresAt).toBe(EXPIRES)
  })

  it('carries the expiry to the millisecond', () => {
    const decoded = decodeInvite(encodeInvite(invite(LAN, { expiresAt: EXPIRES + 999 })), NOW)
    expect(decoded.expiresAt).toBe(EXPIRES + 999)
  })

  it('ignores whitespace and line breaks anywhere in a pasted code', () => {
    const code = encodeInvite(invite(LAN))
    const chunks = code.match(/.{1,9}/g) ?? []
    const pasted = '  \n' + chunks.join('\r\n') + ' \t\n'
    const mangled = code.slice(0, 3) + ' ' + code.slice(3, 20) + '\n\n' + code.slice(20)
    for (const variant of [pasted, mangled]) {
      const decoded = decodeInvite(variant, NOW)
      expect(decoded.peerId.equals(peerId)).toBe(true)
      expect(decoded.addresses.map(a => a.toString())).toEqual(LAN)
    }
  })

  it('refuses a code with one character changed, naming the checksum', () => {
    const code = encodeInvite(invite(LAN))
    for (const at of [INVITE_PREFIX.length + 1, Math.floor(code.length / 2), code.length - 1]) {
      const c = code[at] ?? ''
      const replacement = c === 'z' ? 'y' : 'z'
      const err = failure(() => decodeInvite(code.slice(0, at) + replacement + code.slice(at + 1), NOW))
      expect(err.code).toBe('INVALID_INVITE')
      expect(err.message).toMatch(/checksum/)
    }
  })

  it('refuses a truncated code', () => {
    const code = encodeInvite(invite(LAN))
    for (const cut of [code.slice(0, -1), code.slice(0, -10), code.slice(0, code.length / 2), code.slice(0, INVITE_PREFIX.length + 3), INVITE_PREFIX]) {
      expect(failure(() => decodeInvite(cut, NOW)).code).toBe('INVALID_INVITE')
    }
  })

  it('refuses a code with the wrong prefix', () => {
    const body = encodeInvite(invite(LAN)).slice(INVITE_PREFIX.length)
    for (const prefix of ['hearth2', 'HEARTH1', 'heart1', '']) {
      const err = failure(() => decodeInvite(prefix + body, NOW))
      expect(err.code).toBe('INVALID_INVITE')
      expect(err.message).toContain(INVITE_PREFIX)
    }
  })

  it('refuses characters that are not base58', () => {
    const code = encodeInvite(invite(LAN))
    for (const bad of ['0', 'O', 'I', 'l', '+', '/', '=', 'é']) {
      const at = INVITE_PREFIX.length + 5
      const err = failure(() => decodeInvite(code.slice(0, at) + bad + code.slice(at + 1), NOW))
      expect(err.code).toBe('INVALID_INVITE')
      expect(err.message).toMatch(/characters/)
    }
  })

  it('refuses an expired code with INVITE_EXPIRED', () => {
    const code = encodeInvite(invite(LAN, { expiresAt: NOW + 60_000 }))
    expect(decodeInvite(code, NOW + 59_000).expiresAt).toBe(NOW + 60_000)
    expect(failure(() => decodeInvite(code, NOW + 60_000)).code).toBe('INVITE_EXPIRED')
    expect(failure(() => decodeInvite(code, NOW + 3_600_000)).code).toBe('INVITE_EXPIRED')
  })

  it('refuses a code whose addresses are all outside the LAN', () => {
    const code = encodeInvite(invite(['/ip4/8.8.8.8/tcp/4001', '/ip6/2001:db8::1/tcp/4001', '/dns4/example.com/tcp/4001', '/ip4/100.64.0.1/tcp/1']))
    const err = failure(() => decodeInvite(code, NOW))
    expect(err.code).toBe('INVALID_INVITE')
    expect(err.message).toMatch(/local network/)
  })

  it('drops public addresses and DNS names mixed in with LAN ones', () => {
    const code = encodeInvite(invite(['/ip4/8.8.8.8/tcp/4001', '/ip4/192.168.1.10/tcp/4001', '/dns4/localhost/tcp/4001', '/ip4/172.16.5.5/tcp/4001']))
    expect(decodeInvite(code, NOW).addresses.map(a => a.toString())).toEqual(['/ip4/192.168.1.10/tcp/4001', '/ip4/172.16.5.5/tcp/4001'])
  })

  it(`encodes at most ${INVITE_MAX_ADDRESSES} addresses, keeping the first ones`, () => {
    const many = Array.from({ length: INVITE_MAX_ADDRESSES + 3 }, (_, i) => `/ip4/192.168.1.${i + 1}/tcp/4001`)
    const decoded = decodeInvite(encodeInvite(invite(many)), NOW)
    expect(decoded.addresses.map(a => a.toString())).toEqual(many.slice(0, INVITE_MAX_ADDRESSES))
  })

  it(`refuses a hand-made code carrying more than ${INVITE_MAX_ADDRESSES} addresses`, () => {
    const addrs = Array.from({ length: INVITE_MAX_ADDRESSES + 1 }, (_, i) => multiaddr(`/ip4/192.168.1.${i + 1}/tcp/4001`).bytes)
    expect(failure(() => decodeInvite(rawCode({ addrs }), NOW)).code).toBe('INVALID_INVITE')
    // The limit itself is fine.
    expect(decodeInvite(rawCode({ addrs: addrs.slice(0, INVITE_MAX_ADDRESSES) }), NOW).addresses).toHaveLength(INVITE_MAX_ADDRESSES)
  })

  it('refuses hand-made codes with a wrong-length secret, an unreadable peer id or address, or no expiry', () => {
    expect(decodeInvite(rawCode({}), NOW).peerId.equals(peerId)).toBe(true)
    const cases: Array<[Partial<InviteCode>, string]> = [
      [{ secret: randomBytes(INVITE_SECRET_BYTES - 1) }, 'INVALID_INVITE'],
      [{ secret: new Uint8Array(0) }, 'INVALID_INVITE'],
      [{ peerId: randomBytes(34) }, 'INVALID_INVITE'],
      [{ peerId: new Uint8Array(0) }, 'INVALID_INVITE'],
      [{ addrs: [new Uint8Array([0xff, 0xff, 0xff])] }, 'INVALID_INVITE'],
      [{ addrs: [] }, 'INVALID_INVITE'],
      [{ expiresAt: 0n }, 'INVITE_EXPIRED']
    ]
    for (const [fields, code] of cases) {
      expect(failure(() => decodeInvite(rawCode(fields), NOW)).code, JSON.stringify(Object.keys(fields))).toBe(code)
    }
  })

  it('refuses a peer id that is not an Ed25519 identity', async () => {
    const secp = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))
    const err = failure(() => decodeInvite(rawCode({ peerId: secp.toMultihash().bytes }), NOW))
    expect(err.code).toBe('INVALID_INVITE')
    expect(err.message).toMatch(/Ed25519/)
  })

  it('refuses a code longer than any real code', () => {
    const err = failure(() => decodeInvite(INVITE_PREFIX + 'z'.repeat(3000), NOW))
    expect(err.code).toBe('INVALID_INVITE')
    expect(err.message).toMatch(/too long/)
  })
})
