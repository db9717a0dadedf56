/**
 * Invite codes: one line to copy and paste, carrying the inviter's peer id,
 * LAN addresses, a one-time secret and an expiry.
 *
 *   "hearth1" + base58btc( protobuf InviteCode || first 4 bytes of SHA-256 of it )
 *
 * The checksum catches typos and truncation before any network traffic. The
 * secret proves to the inviter that the redeemer got the code; the peer id
 * pins the inviter, because Noise will refuse anyone else at that address.
 */
import { peerIdFromMultihash } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { fromString, toString } from 'uint8arrays'
import { constantTimeEqual, sha256 } from '../../crypto/index.js'
import { HearthError } from '../../errors.js'
import { isLanMultiaddr } from '../../node/lan.js'
import { InviteCode } from './pb/contact.js'
import type { PeerId } from '@libp2p/interface'

export const INVITE_PREFIX = 'hearth1'
export const INVITE_SECRET_BYTES = 16
export const INVITE_MAX_ADDRESSES = 6
export const INVITE_TTL_MS = 24 * 60 * 60 * 1000
const CHECKSUM_BYTES = 4
const MAX_CODE_CHARS = 2048
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/

export interface Invite {
  peerId: PeerId
  addresses: Multiaddr[]
  secret: Uint8Array<ArrayBuffer>
  /** Milliseconds since the epoch. */
  expiresAt: number
}

function invalid (why: string): HearthError {
  return new HearthError('INVALID_INVITE', `this is not a valid invite code: ${why}`)
}

export function encodeInvite (invite: Invite): string {
  const payload = InviteCode.encode({
    peerId: invite.peerId.toMultihash().bytes,
    addrs: invite.addresses.slice(0, INVITE_MAX_ADDRESSES).map(a => a.bytes),
    secret: invite.secret,
    expiresAt: BigInt(Math.floor(invite.expiresAt))
  })
  const bytes = new Uint8Array(payload.length + CHECKSUM_BYTES)
  bytes.set(payload, 0)
  bytes.set(sha256(payload).subarray(0, CHECKSUM_BYTES), payload.length)
  return INVITE_PREFIX + toString(bytes, 'base58btc')
}

/**
 * Parses a pasted code. Whitespace anywhere (line breaks from a chat app)
 * is ignored. Throws INVALID_INVITE or INVITE_EXPIRED with a clear reason.
 */
export function decodeInvite (code: string, now: number = Date.now()): Invite {
  const compact = code.replace(/\s+/g, '')
  if (compact.length > MAX_CODE_CHARS) throw invalid('it is too long')
  if (!compact.startsWith(INVITE_PREFIX)) throw invalid(`it should start with "${INVITE_PREFIX}"`)
  const body = compact.slice(INVITE_PREFIX.length)
  if (body.length === 0 || !BASE58.test(body)) throw invalid('it contains characters that cannot appear in a code')
  const bytes = fromString(body, 'base58btc')
  if (bytes.length <= CHECKSUM_BYTES) throw invalid('it is too short')
  const payload = bytes.subarray(0, bytes.length - CHECKSUM_BYTES)
  if (!constantTimeEqual(sha256(payload).subarray(0, CHECKSUM_BYTES), bytes.subarray(bytes.length - CHECKSUM_BYTES))) {
    throw invalid('it was changed or cut short (checksum mismatch)')
  }

  let decoded: InviteCode
  try {
    decoded = InviteCode.decode(payload, { limits: { addrs: INVITE_MAX_ADDRESSES } })
  } catch {
    throw invalid('its contents cannot be read')
  }
  if (decoded.secret.length !== INVITE_SECRET_BYTES) throw invalid('its secret has the wrong length')

  let peerId: PeerId
  try {
    peerId = peerIdFromMultihash(Digest.decode(decoded.peerId))
  } catch {
    throw invalid('its peer id cannot be read')
  }
  if (peerId.type !== 'Ed25519') throw invalid('its peer id is not an Ed25519 identity')

  const addresses: Multiaddr[] = []
  for (const raw of decoded.addrs) {
    try {
      const ma = multiaddr(raw)
      if (isLanMultiaddr(ma)) addresses.push(ma)
    } catch {
      throw invalid('one of its addresses cannot be read')
    }
  }
  if (addresses.length === 0) throw invalid('it carries no address on the local network')

  const expiresAt = Number(decoded.expiresAt)
  if (!Number.isSafeInteger(expiresAt)) throw invalid('its expiry cannot be read')
  if (expiresAt <= now) throw new HearthError('INVITE_EXPIRED', 'this invite code has expired; ask for a new one')
  return { peerId, addresses, secret: decoded.secret, expiresAt }
}
