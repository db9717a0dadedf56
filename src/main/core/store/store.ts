/**
 * The encrypted store: LevelDB (through `level`) where every value is sealed
 * with AES-256-GCM, bound to its own key, and no key carries plaintext.
 *
 * Keys are `table byte || fixed-width parts`. Parts that would identify a
 * person or a conversation are keyed hashes ({@link Store.hash}); ordering
 * parts are big-endian counters or clocks.
 */
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import { hkdf, hmacSha256, open, seal, secretKey, wipe, type ScryptParams } from '../crypto/index.js'
import type { KeyObject } from 'node:crypto'
import { HearthError } from '../errors.js'
import { createLog } from '../log.js'
import { Mutex } from '../mutex.js'
import { createKeyFile, rewrapKeyFile, unlockKeyFile } from './key-file.js'
import { runMigrations, SCHEMA_VERSION, type Migration, MIGRATIONS } from './migrations.js'
import { HASH_BYTES, makeKey, prefixEnd, type TableId } from './tables.js'

const log = createLog('store')

export const KEY_FILE = 'hearth.key'
export const DB_DIR = 'db'

export type BatchOp = { type: 'put', key: Uint8Array, value: Uint8Array } | { type: 'del', key: Uint8Array }

export interface OpenStoreOptions {
  dataDir: string
  passphrase: string
  /** KDF cost for a new key file or a passphrase change; defaults to the production cost. */
  kdf?: ScryptParams
  /** For tests of the migration runner. */
  migrations?: Migration[]
  schemaVersion?: number
}

export interface RangeOptions {
  gte?: Uint8Array
  gt?: Uint8Array
  lt?: Uint8Array
  lte?: Uint8Array
  reverse?: boolean
  limit?: number
}

const encoder = new TextEncoder()
/** Keyed hashes of strings kept in memory (a contact list, not a history). */
const HASH_MEMO_SIZE = 1024
const decoder = new TextDecoder()

export class Store {
  readonly dataDir: string
  readonly #db: Level<Uint8Array, Uint8Array>
  readonly #valueKey: KeyObject
  readonly #indexKey: KeyObject
  readonly #hashes = new Map<string, Uint8Array>()
  readonly #keyFileLock = new Mutex()
  #closed = false

  private constructor (dataDir: string, db: Level<Uint8Array, Uint8Array>, master: Uint8Array) {
    this.dataDir = dataDir
    this.#db = db
    const valueKey = hkdf(master, 'hearth/store/values/v1')
    const indexKey = hkdf(master, 'hearth/store/index/v1')
    this.#valueKey = secretKey(valueKey)
    this.#indexKey = secretKey(indexKey)
    wipe(valueKey, indexKey)
  }

  /** True when `dataDir` holds no profile yet (so opening it would create one). */
  static async isNew (dataDir: string): Promise<boolean> {
    try {
      await stat(join(dataDir, KEY_FILE))
      return false
    } catch {
      return true
    }
  }

  /**
   * Opens (or creates) the store in `dataDir`. The passphrase is checked
   * against the key file before the database is touched, so a wrong
   * passphrase changes nothing on disk.
   */
  static async open (options: OpenStoreOptions): Promise<{ store: Store, created: boolean }> {
    const { dataDir, passphrase } = options
    const keyPath = join(dataDir, KEY_FILE)
    let created = await Store.isNew(dataDir)
    let master: Uint8Array | undefined
    if (created) {
      await prepareNewDataDir(dataDir)
      master = await createKeyFile(keyPath, passphrase, options.kdf)
      // Another process created the profile a moment before us: open theirs.
      if (master == null) created = false
    }
    master ??= await unlockKeyFile(keyPath, passphrase)

    const db = new Level<Uint8Array, Uint8Array>(join(dataDir, DB_DIR), { keyEncoding: 'view', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (err) {
      wipe(master)
      const code = (err as { cause?: { code?: string } }).cause?.code
      if (code === 'LEVEL_LOCKED') {
        throw new HearthError('ALREADY_OPEN', `the data directory ${dataDir} is already open in another Hearth process`, { cause: err })
      }
      throw err
    }
    const store = new Store(dataDir, db, master)
    wipe(master)
    try {
      await runMigrations(store, options.migrations ?? MIGRATIONS, options.schemaVersion ?? SCHEMA_VERSION)
    } catch (err) {
      await store.close()
      throw err
    }
    log('opened store (new: %s)', created)
    return { store, created }
  }

  /** Changes the passphrase by rewrapping the master key; the database is not rewritten. One change at a time. */
  async changePassphrase (current: string, next: string, kdf?: ScryptParams): Promise<void> {
    await this.#keyFileLock.run(async () => rewrapKeyFile(join(this.dataDir, KEY_FILE), current, next, kdf))
  }

  /**
   * A keyed hash for use inside keys: reveals nothing without the master
   * key. Hashes of strings (peer ids) repeat on every message, so the most
   * recent ones are remembered.
   */
  hash (label: string, data: Uint8Array | string): Uint8Array {
    if (typeof data === 'string') {
      const memo = `${label}\u0000${data}`
      const cached = this.#hashes.get(memo)
      if (cached != null) return cached
      const hashed = this.hashBytes(label, encoder.encode(data))
      if (this.#hashes.size >= HASH_MEMO_SIZE) this.#hashes.delete(this.#hashes.keys().next().value ?? '')
      this.#hashes.set(memo, hashed)
      return hashed
    }
    return this.hashBytes(label, data)
  }

  private hashBytes (label: string, bytes: Uint8Array): Uint8Array {
    const input = new Uint8Array(label.length + 1 + bytes.length)
    input.set(encoder.encode(label), 0)
    input.set(bytes, label.length + 1)
    return hmacSha256(this.#indexKey, input).subarray(0, HASH_BYTES)
  }

  seal (key: Uint8Array, plaintext: Uint8Array): Uint8Array {
    return seal(this.#valueKey, plaintext, key)
  }

  open (key: Uint8Array, sealed: Uint8Array): Uint8Array {
    return open(this.#valueKey, sealed, key)
  }

  /** A put operation for a JSON value, sealed under its key. */
  putJson (key: Uint8Array, value: unknown): BatchOp {
    return { type: 'put', key, value: this.seal(key, encoder.encode(JSON.stringify(value))) }
  }

  decodeJson (key: Uint8Array, sealed: Uint8Array): unknown {
    return JSON.parse(decoder.decode(this.open(key, sealed)))
  }

  async getJson (key: Uint8Array): Promise<unknown> {
    const sealed = await this.#db.get(key)
    return sealed === undefined ? undefined : this.decodeJson(key, sealed)
  }

  /** Several values in one round trip; `undefined` where a key is absent. */
  async getManyJson (keys: Uint8Array[]): Promise<unknown[]> {
    if (keys.length === 0) return []
    const values = await this.#db.getMany(keys)
    return values.map((sealed, i) => sealed === undefined ? undefined : this.decodeJson(keys[i]!, sealed))
  }

  async has (key: Uint8Array): Promise<boolean> {
    return (await this.#db.get(key)) !== undefined
  }

  /** Which of several keys exist, in one round trip, without opening any value. */
  async hasMany (keys: Uint8Array[]): Promise<boolean[]> {
    if (keys.length === 0) return []
    return (await this.#db.getMany(keys)).map(v => v !== undefined)
  }

  /**
   * Applies operations atomically. `sync` (the default) waits for the write
   * to reach the disk, which is what lets us acknowledge after it returns.
   */
  async batch (ops: BatchOp[], options: { sync?: boolean } = {}): Promise<void> {
    if (ops.length === 0) return
    if (this.#closed) throw new HearthError('SHUTTING_DOWN', 'the store is closed')
    await this.#db.batch(ops, { sync: options.sync ?? true })
  }

  /** Iterates sealed entries in a key range, opening each value. */
  async * entries (range: RangeOptions): AsyncGenerator<{ key: Uint8Array, value: unknown }> {
    for await (const [key, sealed] of this.#db.iterator(range)) {
      yield { key, value: this.decodeJson(key, sealed) }
    }
  }

  /** Iterates keys only (no decryption). */
  async * keys (range: RangeOptions): AsyncGenerator<Uint8Array> {
    for await (const key of this.#db.keys(range)) yield key
  }

  /** The range of every key in a table, optionally under a further prefix. */
  static range (table: TableId, ...prefix: Uint8Array[]): { gte: Uint8Array, lt: Uint8Array } {
    const start = makeKey(table, ...prefix)
    return { gte: start, lt: prefixEnd(start) }
  }

  get closed (): boolean {
    return this.#closed
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#hashes.clear()
    // The KeyObjects cannot be zeroed from JavaScript; with the store closed
    // nothing references them and they go with the next garbage collection.
    await this.#db.close()
  }
}

async function prepareNewDataDir (dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  // Another process starting at the same moment may be writing the key file,
  // or have written it: then the profile is theirs, and ours to unlock.
  const existing = (await readdir(dataDir)).filter(name => !(name.startsWith(`${KEY_FILE}.`) && name.endsWith('.tmp')))
  if (existing.includes(KEY_FILE)) return
  if (existing.includes(DB_DIR)) {
    throw new HearthError('NOT_A_HEARTH_DIR', `${dataDir} has a database but no ${KEY_FILE}; without the key file it cannot be opened`)
  }
  if (existing.length > 0) {
    throw new HearthError('NOT_A_HEARTH_DIR', `${dataDir} is not empty and is not a Hearth data directory; choose an empty or new directory`)
  }
}
