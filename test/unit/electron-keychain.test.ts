import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { NO_ENCRYPTION_REASON, PLAIN_TEXT_STORE_REASON, createSafeStorageKeychain, writeFileAtomic, type SafeStorageLike } from '../../src/main/app/keychain.js'
import { HearthError } from '../../src/main/core/errors.js'
import { tempDir } from '../fixtures/tmp.js'

const PASSPHRASE = 'correct horse battery staple ✓'

/** A fake safeStorage that really encrypts (AES-256-GCM under a key of its own), on the backend given. */
function fakeSafeStorage (backend = 'gnome_libsecret', available = true): SafeStorageLike & { key: Buffer } {
  const key = randomBytes(32)
  return {
    key,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain) => {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), body])
    },
    decryptString: (data) => {
      if (data.subarray(0, 3).toString() !== 'v11') throw new Error('bad version')
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(3, 15))
      decipher.setAuthTag(data.subarray(15, 31))
      return Buffer.concat([decipher.update(data.subarray(31)), decipher.final()]).toString('utf8')
    }
  }
}

let dir: Awaited<ReturnType<typeof tempDir>> | undefined
afterEach(async () => { await dir?.cleanup(); dir = undefined })

async function setup (safeStorage: SafeStorageLike = fakeSafeStorage(), platform: NodeJS.Platform = 'linux') {
  dir = await tempDir('hearth-keychain-')
  const file = join(dir.path, 'userData', 'remembered-passphrase.json')
  return { file, keychain: createSafeStorageKeychain({ safeStorage, file, platform }) }
}

describe('safeStorage keychain: support', () => {
  it('is available with a real keyring on Linux', async () => {
    for (const backend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      const { keychain } = await setup(fakeSafeStorage(backend))
      expect(keychain.support()).toEqual({ available: true })
    }
  })

  it('refuses Linux basic_text (and unknown), explaining that the key is hard-coded', async () => {
    for (const backend of ['basic_text', 'unknown']) {
      const { keychain } = await setup(fakeSafeStorage(backend))
      const support = keychain.support()
      expect(support).toEqual({ available: false, reason: PLAIN_TEXT_STORE_REASON })
    }
    expect(PLAIN_TEXT_STORE_REASON).toMatch(/key that is built into the app/)
    expect(PLAIN_TEXT_STORE_REASON).toMatch(/in the clear/)
  })

  it('refuses when encryption is not available at all', async () => {
    const { keychain } = await setup(fakeSafeStorage('gnome_libsecret', false))
    expect(keychain.support()).toEqual({ available: false, reason: NO_ENCRYPTION_REASON })
  })

  it('refuses when safeStorage throws', async () => {
    const broken = { ...fakeSafeStorage(), isEncryptionAvailable: () => { throw new Error('dbus gone') } }
    const { keychain } = await setup(broken)
    expect(keychain.support().available).toBe(false)
  })

  it('does not ask for a Linux backend on other systems', async () => {
    const { keychain } = await setup(fakeSafeStorage('unknown'), 'darwin')
    expect(keychain.support()).toEqual({ available: true })
  })

  it('will not save where it is refused, and writes nothing', async () => {
    const { keychain, file } = await setup(fakeSafeStorage('basic_text'))
    await expect(keychain.save(PASSPHRASE)).rejects.toSatisfy((err: unknown) => err instanceof HearthError && err.code === 'REMEMBER_UNAVAILABLE' && err.message === PLAIN_TEXT_STORE_REASON)
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('safeStorage keychain: save, load, clear', () => {
  it('round-trips the passphrase', async () => {
    const { keychain } = await setup()
    expect(await keychain.has()).toBe(false)
    expect(await keychain.load()).toBeUndefined()
    await keychain.save(PASSPHRASE)
    expect(await keychain.has()).toBe(true)
    expect(await keychain.load()).toBe(PASSPHRASE)
    await keychain.save('another one')
    expect(await keychain.load()).toBe('another one')
    await keychain.clear()
    expect(await keychain.has()).toBe(false)
    expect(await keychain.load()).toBeUndefined()
    await keychain.clear()
  })

  it('never writes the passphrase in the clear, and keeps the file private', async () => {
    const { keychain, file } = await setup()
    await keychain.save(PASSPHRASE)
    const bytes = await readFile(file)
    expect(bytes.includes(Buffer.from(PASSPHRASE))).toBe(false)
    expect(bytes.includes(Buffer.from('correct horse'))).toBe(false)
    expect(bytes.toString('latin1')).not.toContain(Buffer.from(PASSPHRASE).toString('base64').slice(0, 12))
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    // No temporary file is left behind.
    expect(await readdir(join(file, '..'))).toEqual(['remembered-passphrase.json'])
  })

  it('loads a corrupt, foreign or undecryptable file as undefined', async () => {
    const { keychain, file } = await setup()
    await mkdir(join(file, '..'), { recursive: true })
    for (const content of ['', 'garbage', '{"version":1}', '{"version":2,"ciphertext":"AAAA"}', '{"version":1,"ciphertext":"!!!"}', '{"version":1,"ciphertext":"djExAAAA"}', 'null', '[]', '\u0000\u0001']) {
      await writeFile(file, content)
      expect(await keychain.load(), JSON.stringify(content)).toBeUndefined()
    }
    // Encrypted under another key (a reset keyring): undefined too.
    const other = createSafeStorageKeychain({ safeStorage: fakeSafeStorage(), file, platform: 'linux' })
    await other.save(PASSPHRASE)
    expect(await keychain.load()).toBeUndefined()
  })

  it('loads nothing once the keyring is gone, even if the file remains', async () => {
    const storage = fakeSafeStorage()
    const { keychain, file } = await setup(storage)
    await keychain.save(PASSPHRASE)
    const later = createSafeStorageKeychain({ safeStorage: { ...storage, getSelectedStorageBackend: () => 'basic_text' }, file, platform: 'linux' })
    expect(await later.load()).toBeUndefined()
  })

  it('reports a failing encryption as REMEMBER_UNAVAILABLE', async () => {
    const { keychain } = await setup({ ...fakeSafeStorage(), encryptString: () => { throw new Error('Error while encrypting the text provided') } })
    await expect(keychain.save(PASSPHRASE)).rejects.toMatchObject({ code: 'REMEMBER_UNAVAILABLE' })
  })
})

describe('writeFileAtomic', () => {
  it('replaces a file whole, with mode 0600, creating its folder', async () => {
    dir = await tempDir('hearth-atomic-')
    const file = join(dir.path, 'a', 'b', 'f.json')
    await writeFileAtomic(file, 'one')
    await writeFileAtomic(file, 'two')
    expect(await readFile(file, 'utf8')).toBe('two')
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(dir.path, 'a', 'b'))).toEqual(['f.json'])
  })
})
