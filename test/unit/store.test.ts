import { afterEach, describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import type { ClassicLevel } from 'classic-level'
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { DecryptError } from '../../src/main/core/crypto/index.js'
import { HearthError } from '../../src/main/core/errors.js'
import { listContacts, putContact } from '../../src/main/core/store/contacts.js'
import { MIN_PASSPHRASE_LENGTH } from '../../src/main/core/store/key-file.js'
import { insertMessage } from '../../src/main/core/store/messages.js'
import { SCHEMA_VERSION, readSchemaVersion, runMigrations, type Migration } from '../../src/main/core/store/migrations.js'
import type { ContactRecord, MessageRecord } from '../../src/main/core/store/records.js'
import { DB_DIR, KEY_FILE, Store, type OpenStoreOptions } from '../../src/main/core/store/store.js'
import { Table, makeKey, prefixEnd, readU64, u64 } from '../../src/main/core/store/tables.js'
import { PASSPHRASE, TEST_KDF } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** A fresh, not yet existing data directory inside a temp dir that is removed after the test. */
async function newDataDir (): Promise<string> {
  const tmp = await tempDir()
  cleanups.push(tmp.cleanup)
  return join(tmp.path, 'profile')
}

/** Opens a store and closes it after the test (closing twice is harmless). */
async function openStore (options: Partial<OpenStoreOptions> & { dataDir: string }): Promise<Store> {
  const { store } = await Store.open({ passphrase: PASSPHRASE, kdf: TEST_KDF, ...options })
  cleanups.push(async () => store.close())
  return store
}

/** Relative path -> SHA-256 of the content, for every file under `dir`. */
async function snapshot (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex')
  }
  return out
}

/** Every file under `dir` with its bytes. */
async function allFiles (dir: string): Promise<Array<{ path: string, bytes: Buffer }>> {
  const out: Array<{ path: string, bytes: Buffer }> = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    out.push({ path, bytes: await readFile(path) })
  }
  return out
}

/** Opens the LevelDB of a closed store directly, with raw bytes for keys and values. */
async function rawDb (dataDir: string): Promise<ClassicLevel<Uint8Array, Uint8Array>> {
  const db = new (await import('classic-level')).ClassicLevel<Uint8Array, Uint8Array>(join(dataDir, DB_DIR), { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  return db
}

async function rejection (promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

async function expectCode (promise: Promise<unknown>, code: string): Promise<HearthError> {
  const err = await rejection(promise)
  expect(err).toBeInstanceOf(HearthError)
  expect((err as HearthError).code).toBe(code)
  return err as HearthError
}

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'

function contact (name: string, peerId = PEER): ContactRecord {
  return { peerId, name, verified: false, addedAt: 1_700_000_000_000, addresses: ['/ip4/192.168.1.20/tcp/4001'], via: 'invite' }
}

const KEY_A = makeKey(Table.META, new Uint8Array([0x7a]))
const KEY_B = makeKey(Table.META, new Uint8Array([0x7b]))
const KEY_C = makeKey(Table.META, new Uint8Array([0x7c]))

describe('Store: create and unlock', () => {
  it('creates a profile, then reopens it with the same passphrase and reads back what was stored', async () => {
    const dataDir = await newDataDir()
    expect(await Store.isNew(dataDir)).toBe(true)
    const first = await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF })
    expect(first.created).toBe(true)
    await first.store.batch([putContact(first.store, contact('Alice'))])
    await first.store.close()

    expect(await Store.isNew(dataDir)).toBe(false)
    const second = await Store.open({ dataDir, passphrase: PASSPHRASE })
    cleanups.push(async () => second.store.close())
    expect(second.created).toBe(false)
    expect(await listContacts(second.store)).toEqual([contact('Alice')])
  })

  it('refuses a wrong passphrase with WRONG_PASSPHRASE and changes no byte on disk', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.batch([putContact(store, contact('Alice'))])
    await store.close()

    const before = await snapshot(dataDir)
    expect(Object.keys(before)).toContain(KEY_FILE)
    expect(Object.keys(before).some(p => p.startsWith(DB_DIR))).toBe(true)
    await expectCode(Store.open({ dataDir, passphrase: 'not the passphrase' }), 'WRONG_PASSPHRASE')
    expect(await snapshot(dataDir)).toEqual(before)

    // And the right passphrase still works afterwards.
    const again = await openStore({ dataDir })
    expect(await listContacts(again)).toHaveLength(1)
  })

  it('refuses a second open of a directory that is already open with ALREADY_OPEN, and the first stays usable', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'ALREADY_OPEN')
    await store.batch([putContact(store, contact('Alice'))])
    expect(await listContacts(store)).toHaveLength(1)
  })

  it('refuses a non-empty directory that is not a Hearth profile with NOT_A_HEARTH_DIR, and leaves it untouched', async () => {
    const dataDir = await newDataDir()
    await mkdir(join(dataDir, 'photos'), { recursive: true })
    await writeFile(join(dataDir, 'notes.txt'), 'my notes')
    await writeFile(join(dataDir, 'photos', 'cat.jpg'), new Uint8Array([0xff, 0xd8, 0xff]))
    const before = await snapshot(dataDir)

    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF }), 'NOT_A_HEARTH_DIR')
    expect(await snapshot(dataDir)).toEqual(before)
    expect((await readdir(dataDir)).sort()).toEqual(['notes.txt', 'photos'])
  })

  it('refuses a directory holding a database but no key file with NOT_A_HEARTH_DIR', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.close()
    await rm(join(dataDir, KEY_FILE))
    const before = await snapshot(dataDir)
    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF }), 'NOT_A_HEARTH_DIR')
    expect(await snapshot(dataDir)).toEqual(before)
  })

  it(`refuses a passphrase shorter than ${MIN_PASSPHRASE_LENGTH} characters on create with WEAK_PASSPHRASE, creating no profile`, async () => {
    const dataDir = await newDataDir()
    await expectCode(Store.open({ dataDir, passphrase: 'seven77', kdf: TEST_KDF }), 'WEAK_PASSPHRASE')
    expect(await Store.isNew(dataDir)).toBe(true)
    // The refusal leaves nothing behind that would block a second attempt.
    const store = await openStore({ dataDir, passphrase: 'eight888' })
    expect(await readSchemaVersion(store)).toBe(SCHEMA_VERSION)
  })

  it('counts passphrase length in characters, not UTF-16 units', async () => {
    // Four emoji are eight UTF-16 units but only four characters.
    await expectCode(Store.open({ dataDir: await newDataDir(), passphrase: '🔥🔥🔥🔥', kdf: TEST_KDF }), 'WEAK_PASSPHRASE')
    const store = await openStore({ dataDir: await newDataDir(), passphrase: '🔥'.repeat(MIN_PASSPHRASE_LENGTH) })
    expect(store.closed).toBe(false)
  })

  it('refuses writes after close with SHUTTING_DOWN', async () => {
    const store = await openStore({ dataDir: await newDataDir() })
    await store.close()
    expect(store.closed).toBe(true)
    await expectCode(store.batch([putContact(store, contact('Alice'))]), 'SHUTTING_DOWN')
  })
})

describe('Store: key file tampering', () => {
  const KDF_BYTES = { logN: 5, r: 6, p: 7 }

  async function tamper (dataDir: string, offset: number, value: number): Promise<void> {
    const path = join(dataDir, KEY_FILE)
    const bytes = await readFile(path)
    bytes[offset] = value
    await writeFile(path, bytes)
  }

  it('never unlocks when the KDF cost in the key file is lowered', async () => {
    for (const [kdf, field, lowered] of [
      [TEST_KDF, 'logN', TEST_KDF.logN - 1],
      [{ logN: 11, r: 8, p: 1 }, 'logN', 10],
      [TEST_KDF, 'r', 1],
      [{ logN: 10, r: 8, p: 2 }, 'p', 1]
    ] as const) {
      const dataDir = await newDataDir()
      const store = await openStore({ dataDir, kdf })
      await store.close()
      await tamper(dataDir, KDF_BYTES[field], lowered)
      const err = await rejection(Store.open({ dataDir, passphrase: PASSPHRASE }))
      expect(err, `${field} lowered to ${lowered}`).toBeInstanceOf(HearthError)
      expect(['NOT_A_HEARTH_DIR', 'WRONG_PASSPHRASE']).toContain((err as HearthError).code)
    }
  })

  it('refuses a damaged key file (bad magic, truncated) with NOT_A_HEARTH_DIR', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.close()
    const original = await readFile(join(dataDir, KEY_FILE))

    await tamper(dataDir, 0, 0x00)
    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'NOT_A_HEARTH_DIR')

    await writeFile(join(dataDir, KEY_FILE), original.subarray(0, original.length - 1))
    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'NOT_A_HEARTH_DIR')
  })

  it('refuses a key file from a newer format with SCHEMA_TOO_NEW', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.close()
    await tamper(dataDir, 4, 2)
    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'SCHEMA_TOO_NEW')
  })

  it('refuses a key file whose salt or wrapped key was changed', async () => {
    for (const offset of [8, 30, 83]) {
      const dataDir = await newDataDir()
      const store = await openStore({ dataDir })
      await store.close()
      const bytes = await readFile(join(dataDir, KEY_FILE))
      await tamper(dataDir, offset, (bytes[offset] ?? 0) ^ 0x01)
      await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'WRONG_PASSPHRASE')
    }
  })
})

describe('Store: sealed values', () => {
  it('refuses a stored value with one bit flipped (DecryptError on read)', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.batch([store.putJson(KEY_A, { hello: 'world' })])
    await store.close()

    const db = await rawDb(dataDir)
    const sealed = await db.get(KEY_A)
    expect(sealed).toBeDefined()
    const flipped = Uint8Array.from(sealed ?? [])
    flipped[20] = (flipped[20] ?? 0) ^ 0x04
    await db.put(KEY_A, flipped)
    await db.close()

    const reopened = await openStore({ dataDir })
    await expect(reopened.getJson(KEY_A)).rejects.toBeInstanceOf(DecryptError)
  })

  it('binds each value to its key: a value copied onto another key does not open', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.batch([store.putJson(KEY_A, { who: 'a' }), store.putJson(KEY_B, { who: 'b' })])
    await store.close()

    const db = await rawDb(dataDir)
    const sealedA = await db.get(KEY_A)
    await db.put(KEY_B, sealedA ?? new Uint8Array(0))
    await db.close()

    const reopened = await openStore({ dataDir })
    expect(await reopened.getJson(KEY_A)).toEqual({ who: 'a' })
    await expect(reopened.getJson(KEY_B)).rejects.toBeInstanceOf(DecryptError)
  })

  it('keeps names, peer ids and message text out of every key and every file on disk', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    const name = 'Zebediah Quux'
    const text = 'meet me at the lighthouse'
    const message: MessageRecord = {
      id: '00112233445566778899aabbccddeeff',
      with: PEER,
      from: PEER,
      outgoing: false,
      text,
      hlc: String(1_700_000_000_000n << 16n),
      sentAt: 1_700_000_000_000,
      receivedAt: 1_700_000_000_001,
      status: 'delivered'
    }
    await store.batch([putContact(store, contact(name)), ...insertMessage(store, message)])
    await store.close()

    const secrets = [name, PEER, text, message.id, PASSPHRASE].map(s => Buffer.from(s, 'utf8'))
    secrets.push(Buffer.from(message.id, 'hex'))

    const db = await rawDb(dataDir)
    let entries = 0
    const rawKeys: Buffer[] = []
    for await (const [key, value] of db.iterator()) {
      entries++
      rawKeys.push(Buffer.from(key))
      for (const secret of secrets) {
        expect(Buffer.from(key).includes(secret)).toBe(false)
        expect(Buffer.from(value).includes(secret)).toBe(false)
      }
    }
    await db.close()
    expect(entries).toBeGreaterThanOrEqual(4) // schema, contact, message, index, unread

    const files = await allFiles(dataDir)
    // Control: the scan does see what was written (keys are stored as they are).
    for (const key of rawKeys) expect(files.some(f => f.bytes.includes(key))).toBe(true)
    for (const file of files) {
      for (const secret of secrets) expect(file.bytes.includes(secret), `${file.path} holds plaintext`).toBe(false)
    }
  })
})

describe('Store: epochs', () => {
  it('erases, at open, the epochs that hold no row, and only those', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    const kept = await store.epochs.current('day', 'kept')
    const emptied = await store.epochs.current('day', 'emptied')
    await store.batch([
      ...store.putInEpoch(KEY_A, { n: 1 }, kept),
      ...store.putInEpoch(KEY_B, { n: 2 }, kept),
      ...store.putInEpoch(KEY_C, { n: 3 }, emptied)
    ])
    await store.batch(await store.deleteRow(KEY_C))
    expect(store.epochs.list()).toHaveLength(2)

    expect(await store.eraseEmptyEpochs()).toBe(1)
    expect(store.epochs.list().map(e => e.id)).toEqual([Buffer.from(kept).toString('hex')])
    expect(await store.getJson(KEY_A)).toEqual({ n: 1 })
    expect(await store.getJson(KEY_B)).toEqual({ n: 2 })
    expect(await store.eraseEmptyEpochs()).toBe(0)
  })
})

describe('Store: changing the passphrase', () => {
  it('makes the old passphrase fail and the new one work, rewriting only the key file', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    await store.batch([putContact(store, contact('Alice'))])
    const dbBefore = await snapshot(join(dataDir, DB_DIR))
    const keyBefore = await readFile(join(dataDir, KEY_FILE))

    const next = 'a brand new passphrase'
    await store.changePassphrase(PASSPHRASE, next, TEST_KDF)

    expect(await snapshot(join(dataDir, DB_DIR))).toEqual(dbBefore)
    const keyAfter = await readFile(join(dataDir, KEY_FILE))
    expect(keyAfter.equals(keyBefore)).toBe(false)
    expect(keyAfter).toHaveLength(keyBefore.length)
    expect((await readdir(dataDir)).sort()).toEqual([DB_DIR, KEY_FILE].sort())
    await store.close()

    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'WRONG_PASSPHRASE')
    const reopened = await openStore({ dataDir, passphrase: next })
    expect(await listContacts(reopened)).toEqual([contact('Alice')])
  })

  it('refuses the change when the current passphrase is wrong or the new one is weak, keeping the old one', async () => {
    const dataDir = await newDataDir()
    const store = await openStore({ dataDir })
    const keyBefore = await readFile(join(dataDir, KEY_FILE))
    await expectCode(store.changePassphrase('not the passphrase', 'a brand new passphrase', TEST_KDF), 'WRONG_PASSPHRASE')
    await expectCode(store.changePassphrase(PASSPHRASE, 'short', TEST_KDF), 'WEAK_PASSPHRASE')
    expect((await readFile(join(dataDir, KEY_FILE))).equals(keyBefore)).toBe(true)
    await store.close()
    await openStore({ dataDir })
  })
})

describe('Store: schema version and migrations', () => {
  it('stamps a new store with the current SCHEMA_VERSION', async () => {
    const store = await openStore({ dataDir: await newDataDir() })
    expect(await readSchemaVersion(store)).toBe(SCHEMA_VERSION)
  })

  it('applies pending migrations in ascending order, recording each version as it goes', async () => {
    const dataDir = await newDataDir()
    const v1 = await openStore({ dataDir, schemaVersion: 1 })
    expect(await readSchemaVersion(v1)).toBe(1)
    await v1.close()

    const ran: Array<{ to: number, seen: number | undefined }> = []
    const step = (to: number): Migration => ({
      to,
      up: async (store) => {
        ran.push({ to, seen: await readSchemaVersion(store) })
        await store.batch([store.putJson(makeKey(Table.META, new Uint8Array([0x70, to])), { migrated: to })])
      }
    })
    // Listed out of order, with one already applied and one beyond the target.
    const migrations = [step(3), step(1), step(4), step(2)]
    const v3 = await openStore({ dataDir, schemaVersion: 3, migrations })
    expect(ran).toEqual([{ to: 2, seen: 1 }, { to: 3, seen: 2 }])
    expect(await readSchemaVersion(v3)).toBe(3)
    expect(await v3.getJson(makeKey(Table.META, new Uint8Array([0x70, 3])))).toEqual({ migrated: 3 })
    await v3.close()

    // Nothing left to do on the next open.
    ran.length = 0
    const again = await openStore({ dataDir, schemaVersion: 3, migrations })
    expect(ran).toEqual([])
    await again.close()
  })

  it('resumes after a failed migration from the last version it recorded', async () => {
    const dataDir = await newDataDir()
    const v1 = await openStore({ dataDir, schemaVersion: 1 })
    await v1.close()

    const ran: number[] = []
    const ok = (to: number): Migration => ({ to, up: async () => { ran.push(to) } })
    const failing: Migration = { to: 3, up: async () => { throw new Error('disk on fire') } }
    await expect(Store.open({ dataDir, passphrase: PASSPHRASE, schemaVersion: 3, migrations: [ok(2), failing] })).rejects.toThrow('disk on fire')
    expect(ran).toEqual([2])

    // The failed open released the directory, and the next attempt starts at 3.
    const store = await openStore({ dataDir, schemaVersion: 3, migrations: [ok(2), ok(3)] })
    expect(ran).toEqual([2, 3])
    expect(await readSchemaVersion(store)).toBe(3)
  })

  it('runMigrations brings an open store forward to a new target', async () => {
    const store = await openStore({ dataDir: await newDataDir(), schemaVersion: 5 })
    const ran: number[] = []
    await runMigrations(store, [{ to: 6, up: async () => { ran.push(6) } }], 6)
    expect(ran).toEqual([6])
    expect(await readSchemaVersion(store)).toBe(6)
  })

  it('refuses a store written by a newer schema with SCHEMA_TOO_NEW, and releases the directory', async () => {
    const dataDir = await newDataDir()
    const newer = await openStore({ dataDir, schemaVersion: SCHEMA_VERSION + 1 })
    await newer.close()

    await expectCode(Store.open({ dataDir, passphrase: PASSPHRASE }), 'SCHEMA_TOO_NEW')
    // Not left locked: a build that knows the schema opens it.
    const store = await openStore({ dataDir, schemaVersion: SCHEMA_VERSION + 1 })
    expect(await readSchemaVersion(store)).toBe(SCHEMA_VERSION + 1)
  })
})

describe('tables', () => {
  it('encodes integers big-endian so that byte order is numeric order', () => {
    const values = [0n, 1n, 255n, 256n, 65_535n, 2n ** 32n, 2n ** 48n + 7n, 2n ** 64n - 1n]
    const encoded = values.map(v => Buffer.from(u64(v)))
    for (let i = 1; i < encoded.length; i++) expect(Buffer.compare(encoded[i - 1] ?? Buffer.alloc(0), encoded[i] ?? Buffer.alloc(0))).toBe(-1)
    values.forEach((v, i) => { expect(readU64(encoded[i] ?? new Uint8Array(8), 0)).toBe(v) })
  })

  it('prefixEnd is just past every key with the prefix', () => {
    const prefix = new Uint8Array([0x04, 0x10, 0xff])
    const end = Buffer.from(prefixEnd(prefix))
    expect(end.equals(Buffer.from([0x04, 0x11]))).toBe(true)
    expect(Buffer.compare(Buffer.from([0x04, 0x10, 0xff, 0xff, 0xff]), end)).toBe(-1)
    expect(Buffer.compare(Buffer.from([0x04, 0x11]), end)).toBe(0)
  })
})
