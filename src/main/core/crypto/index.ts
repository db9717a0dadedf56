/**
 * Hearth's cryptographic primitives: small, pure functions over Node's crypto.
 *
 * - KDF: scrypt (memory-hard) turns a passphrase into a key-encryption key.
 * - AEAD: AES-256-GCM with a random 96-bit nonce; every sealed value binds
 *   associated data (the store key it lives under), so values cannot be
 *   swapped between keys.
 * - HKDF-SHA256 for subkeys, HMAC-SHA256 for keyed hashes (store keys that
 *   must not reveal peer ids or conversation ids).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes as nodeRandomBytes,
  scrypt,
  timingSafeEqual
} from 'node:crypto'

export const KEY_BYTES = 32
export const NONCE_BYTES = 12
export const TAG_BYTES = 16
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES

/** Raised when an AEAD tag does not verify: wrong key, wrong associated data or tampered bytes. */
export class DecryptError extends Error {
  readonly code = 'DECRYPT_FAILED'
  constructor (message = 'sealed value failed authentication', options?: ErrorOptions) {
    super(message, options)
    this.name = 'DecryptError'
  }
}

/**
 * A symmetric key for seal/open/HMAC: raw bytes, or a KeyObject made once
 * with {@link secretKey} (Node checks raw keys again on every call, which
 * costs more than the cipher itself for short values).
 */
export type SymmetricKey = Uint8Array | KeyObject

/** Wraps key bytes in a KeyObject (a copy held by Node; the caller may wipe its bytes). */
export function secretKey (bytes: Uint8Array): KeyObject {
  return createSecretKey(bytes)
}

export function randomBytes (length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(nodeRandomBytes(length))
}

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  logN: number
  r: number
  p: number
}

/**
 * N = 2^17, r = 8: 128 MiB and roughly a quarter of a second per attempt on
 * a desktop, which is what OWASP recommends for scrypt as a password KDF.
 */
export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 }

/** Derives a 32-byte key-encryption key from a passphrase with scrypt. */
export async function deriveKek (passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  const N = 2 ** params.logN
  const maxmem = 128 * params.r * N * params.p + 32 * 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem }, (err, key) => {
      if (err != null) reject(err)
      else resolve(new Uint8Array(key))
    })
  })
}

// Nonces come from a pool refilled from the CSPRNG 4 KiB at a time: one
// system call per ~340 seals instead of one per seal.
const NONCE_POOL_BYTES = NONCE_BYTES * 341
let noncePool = new Uint8Array(0)
let nonceOffset = 0

function nextNonce (): Uint8Array {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = new Uint8Array(nodeRandomBytes(NONCE_POOL_BYTES))
    nonceOffset = 0
  }
  const nonce = noncePool.subarray(nonceOffset, nonceOffset + NONCE_BYTES)
  nonceOffset += NONCE_BYTES
  return nonce
}

/** AES-256-GCM seal with a random 96-bit nonce: returns nonce || ciphertext || tag. */
export function seal (key: SymmetricKey, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  const nonce = nextNonce()
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(ad)
  const body = cipher.update(plaintext)
  const final = cipher.final()
  const out = new Uint8Array(NONCE_BYTES + body.length + final.length + TAG_BYTES)
  out.set(nonce, 0)
  out.set(body, NONCE_BYTES)
  out.set(final, NONCE_BYTES + body.length)
  out.set(cipher.getAuthTag(), out.length - TAG_BYTES)
  return out
}

/** Opens a value made by {@link seal}; throws {@link DecryptError} on any mismatch. */
export function open (key: SymmetricKey, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < SEAL_OVERHEAD) throw new DecryptError('sealed value is too short')
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES))
  decipher.setAAD(ad)
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
  try {
    const body = decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES))
    const final = decipher.final()
    return final.length === 0 ? new Uint8Array(body) : new Uint8Array(Buffer.concat([body, final]))
  } catch (err) {
    throw new DecryptError(undefined, { cause: err })
  }
}

/** HKDF-SHA256 with an empty salt: derives a purpose-bound subkey. */
export function hkdf (ikm: Uint8Array, info: string, length = KEY_BYTES): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, length))
}

export function hmacSha256 (key: SymmetricKey, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest())
}

export function sha256 (data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

/** Constant-time comparison; different lengths compare unequal without leaking where. */
export function constantTimeEqual (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}

/** Overwrites key material in place. JavaScript may hold copies; this narrows the window. */
export function wipe (...buffers: Array<Uint8Array | undefined>): void {
  for (const b of buffers) b?.fill(0)
}

const SAFETY_ITERATIONS = 5200
const SAFETY_VERSION = new Uint8Array([0, 1])

/**
 * A 30-digit fingerprint of one identity, after Signal's numeric fingerprint:
 * SHA-512 iterated 5200 times over (version, public key, stable id), then six
 * 5-byte chunks, each reduced mod 100000.
 */
export function identityFingerprint (publicKey: Uint8Array, stableId: Uint8Array): string {
  let hash = Buffer.concat([SAFETY_VERSION, publicKey, stableId])
  for (let i = 0; i < SAFETY_ITERATIONS; i++) {
    hash = createHash('sha512').update(hash).update(publicKey).digest()
  }
  let digits = ''
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0
    for (let i = 0; i < 5; i++) value = value * 256 + (hash[chunk * 5 + i] ?? 0)
    digits += String(value % 100000).padStart(5, '0')
  }
  return digits
}

/**
 * The safety number of a pair of identities: both fingerprints, lower one
 * first, so that both sides compute the same 60 digits.
 */
export function safetyNumber (a: { publicKey: Uint8Array, id: Uint8Array }, b: { publicKey: Uint8Array, id: Uint8Array }): string {
  const fa = identityFingerprint(a.publicKey, a.id)
  const fb = identityFingerprint(b.publicKey, b.id)
  const digits = fa < fb ? fa + fb : fb + fa
  return digits.match(/\d{5}/g)?.join(' ') ?? digits
}
