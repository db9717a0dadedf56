/**
 * "Remember on this device": the passphrase, encrypted by the operating
 * system's keychain through Electron's safeStorage, in one small file of
 * its own. safeStorage and the file are injected, so tests run in Node.
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { HearthError } from '../core/errors.js'
import type { Keychain } from '../core/host.js'
import { createLog } from '../core/log.js'
import { utf8 } from '../core/bytes.js'
import { atomicWriteFile } from '../core/store/fs-util.js'

const log = createLog('keychain')

/** The part of Electron's `safeStorage` the keychain uses. */
export interface SafeStorageLike {
  isEncryptionAvailable: () => boolean
  /** Linux only: which password store Chromium picked. */
  getSelectedStorageBackend?: () => string
  encryptString: (plainText: string) => Buffer
  decryptString: (encrypted: Buffer) => string
}

export interface SafeStorageKeychainOptions {
  safeStorage: SafeStorageLike
  /** Where the encrypted passphrase lives, e.g. `<userData>/remembered-passphrase.json`. */
  file: string
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform
}

export const NO_ENCRYPTION_REASON = 'This system offers no keychain that Hearth can use, so the passphrase cannot be kept safely on this device. Hearth will ask for it each time it starts.'

/** Why Linux's fallback store is refused, for the user. */
export const PLAIN_TEXT_STORE_REASON = 'This desktop has no keyring that Hearth can use (such as GNOME Keyring or KWallet). ' +
  'The passphrase would be encrypted with a key that is built into the app, so anyone who can read your files could decrypt it: ' +
  'in effect it would be stored in the clear. Hearth will ask for it each time it starts.'

/** Linux password stores that keep the key out of the app: anything but the hard-coded fallback. */
const INSECURE_LINUX_BACKENDS = new Set(['basic_text', 'unknown', ''])

const FORMAT_VERSION = 1

interface Stored { version: typeof FORMAT_VERSION, ciphertext: string }

function parseStored (text: string): Stored | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value == null) return undefined
    const { version, ciphertext } = value as Record<string, unknown>
    if (version !== FORMAT_VERSION || typeof ciphertext !== 'string' || ciphertext.length === 0) return undefined
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertext)) return undefined
    return { version, ciphertext }
  } catch {
    return undefined
  }
}

/**
 * Writes a file so that a crash leaves the old content or the new, never a
 * mix (see atomicWriteFile), in a private folder made if need be.
 */
export async function writeFileAtomic (file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  await atomicWriteFile(file, typeof data === 'string' ? utf8.encode(data) : data)
}

/** A {@link Keychain} over Electron's safeStorage. */
export function createSafeStorageKeychain (options: SafeStorageKeychainOptions): Keychain {
  const { safeStorage, file } = options
  const platform = options.platform ?? process.platform

  const support = (): ReturnType<Keychain['support']> => {
    try {
      if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: NO_ENCRYPTION_REASON }
      if (platform === 'linux') {
        // On Linux, "available" is also true for basic_text, whose key is a constant in Chromium.
        const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown'
        if (INSECURE_LINUX_BACKENDS.has(backend)) return { available: false, reason: PLAIN_TEXT_STORE_REASON }
      }
      return { available: true }
    } catch (err) {
      log('safeStorage could not be queried: %s', (err as Error).message)
      return { available: false, reason: NO_ENCRYPTION_REASON }
    }
  }

  const read = async (): Promise<Stored | undefined> => {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log('could not read the remembered passphrase: %s', (err as NodeJS.ErrnoException).code)
      return undefined
    }
    const stored = parseStored(text)
    if (stored == null) log('the remembered passphrase file is not in a format Hearth knows')
    return stored
  }

  return {
    support,
    has: async () => (await read()) != null,
    load: async () => {
      if (!support().available) return undefined
      const stored = await read()
      if (stored == null) return undefined
      try {
        const passphrase = safeStorage.decryptString(Buffer.from(stored.ciphertext, 'base64'))
        return passphrase.length > 0 ? passphrase : undefined
      } catch {
        // Another keyring, a reset keyring or a damaged file: the user types the passphrase instead.
        log('the remembered passphrase could not be decrypted')
        return undefined
      }
    },
    save: async (passphrase) => {
      const s = support()
      if (!s.available) throw new HearthError('REMEMBER_UNAVAILABLE', s.reason)
      let ciphertext: string
      try {
        ciphertext = safeStorage.encryptString(passphrase).toString('base64')
      } catch (err) {
        throw new HearthError('REMEMBER_UNAVAILABLE', 'The system keychain refused to encrypt the passphrase, so it was not remembered.', { cause: err })
      }
      const stored: Stored = { version: FORMAT_VERSION, ciphertext }
      await writeFileAtomic(file, JSON.stringify(stored) + '\n')
    },
    clear: async () => {
      await rm(file, { force: true })
    }
  }
}
