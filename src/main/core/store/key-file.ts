/**
 * The key file: the one place the master key lives, wrapped under a key
 * derived from the passphrase. Changing the passphrase rewrites only this
 * small file; nothing in the database is re-encrypted.
 *
 * Layout (84 bytes):
 *   magic "HRTK" (4) | version (1) | logN (1) | r (1) | p (1) | salt (16)
 *   | nonce (12) | wrapped master key (32) | tag (16)
 * The 24-byte header is the associated data of the wrap, so the KDF
 * parameters cannot be downgraded without the tag failing.
 */
import { readFile, rm } from 'node:fs/promises'
import {
  DEFAULT_SCRYPT,
  DecryptError,
  KEY_BYTES,
  constantTimeEqual,
  deriveKek,
  open,
  randomBytes,
  seal,
  wipe,
  type ScryptParams
} from '../crypto/index.js'
import { HearthError } from '../errors.js'
import { atomicCreateFile, atomicWriteFile, overwriteInPlace } from './fs-util.js'

const MAGIC = new Uint8Array([0x48, 0x52, 0x54, 0x4b])
const VERSION = 1
const SALT_BYTES = 16
const HEADER_BYTES = 4 + 4 + SALT_BYTES
const FILE_BYTES = HEADER_BYTES + 12 + KEY_BYTES + 16

/** Lower bound on KDF cost accepted from a file, so a tampered file cannot make a guess cheap. */
const MIN_LOG_N = 10

export const MIN_PASSPHRASE_LENGTH = 8

function header (params: ScryptParams, salt: Uint8Array): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES)
  h.set(MAGIC, 0)
  h[4] = VERSION
  h[5] = params.logN
  h[6] = params.r
  h[7] = params.p
  h.set(salt, 8)
  return h
}

function parse (bytes: Uint8Array): { params: ScryptParams, salt: Uint8Array, head: Uint8Array, wrapped: Uint8Array } {
  if (bytes.length !== FILE_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new HearthError('NOT_A_HEARTH_DIR', 'the key file is not a Hearth key file or is damaged')
  }
  if (bytes[4] !== VERSION) {
    throw new HearthError('SCHEMA_TOO_NEW', `the key file has version ${bytes[4]}; this Hearth reads version ${VERSION}`)
  }
  const params = { logN: bytes[5] ?? 0, r: bytes[6] ?? 0, p: bytes[7] ?? 0 }
  if (params.logN < MIN_LOG_N || params.logN > 22 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    throw new HearthError('NOT_A_HEARTH_DIR', 'the key file has implausible KDF parameters')
  }
  return { params, salt: bytes.subarray(8, HEADER_BYTES), head: bytes.subarray(0, HEADER_BYTES), wrapped: bytes.subarray(HEADER_BYTES) }
}

export function checkPassphraseStrength (passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new HearthError('WEAK_PASSPHRASE', `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`)
  }
}

async function wrapped (master: Uint8Array, passphrase: string, params: ScryptParams): Promise<Uint8Array> {
  const salt = randomBytes(SALT_BYTES)
  const kek = await deriveKek(passphrase, salt, params)
  const head = header(params, salt)
  const sealed = seal(kek, master, head)
  wipe(kek)
  const file = new Uint8Array(FILE_BYTES)
  file.set(head, 0)
  file.set(sealed, HEADER_BYTES)
  return file
}

/**
 * Creates a new key file holding a fresh random master key, and returns
 * that key. If another process created the file first, nothing is written
 * and `undefined` is returned: the caller must unlock that file instead.
 */
export async function createKeyFile (path: string, passphrase: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<Uint8Array | undefined> {
  checkPassphraseStrength(passphrase)
  const master = randomBytes(KEY_BYTES)
  if (await atomicCreateFile(path, await wrapped(master, passphrase, params))) return master
  wipe(master)
  return undefined
}

/**
 * Unwraps the master key. Reads the file and nothing else: a wrong
 * passphrase leaves every byte on disk as it was.
 */
export async function unlockKeyFile (path: string, passphrase: string): Promise<Uint8Array> {
  const { params, salt, head, wrapped } = parse(new Uint8Array(await readFile(path)))
  const kek = await deriveKek(passphrase, salt, params)
  try {
    return open(kek, wrapped, head)
  } catch (err) {
    if (err instanceof DecryptError) throw new HearthError('WRONG_PASSPHRASE', 'wrong passphrase', { cause: err })
    throw err
  } finally {
    wipe(kek)
  }
}

/**
 * Rewraps the master key under a new passphrase (and fresh salt), after
 * checking the current one; then reads the file back and checks that the
 * new passphrase opens it to the same master key before reporting success.
 * Callers must not run two of these at once (the store serialises them).
 */
export async function rewrapKeyFile (path: string, current: string, next: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<void> {
  checkPassphraseStrength(next)
  const master = await unlockKeyFile(path, current)
  try {
    await atomicWriteFile(path, await wrapped(master, next, params))
    const check = await unlockKeyFile(path, next)
    const same = constantTimeEqual(check, master)
    wipe(check)
    if (!same) throw new HearthError('INTERNAL', 'the key file changed while the passphrase was being changed')
  } finally {
    wipe(master)
  }
}

/**
 * Destroys the key file for good (panic wipe): overwritten in place with
 * random bytes and synced, then removed. Without it the database is noise.
 */
export async function destroyKeyFile (path: string): Promise<void> {
  if (await overwriteInPlace(path, FILE_BYTES)) await rm(path, { force: true })
}
