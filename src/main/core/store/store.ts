/**
 * The encrypted store: LevelDB (through `level`) where every value is sealed
 * with AES-256-GCM, bound to its own key, and no key carries plaintext.
 *
 * Keys are `table byte || fixed-width parts`. Parts that would identify a
 * person or a conversation are keyed hashes ({@link Store.hash}); ordering
 * parts are big-endian counters or clocks.
 *
 * A value is either sealed under a key derived from the master key
 * (`0x01 | nonce | ciphertext | tag`) or, for anything that must be
 * erasable (messages, and queued copies of them), under an epoch key kept
 * outside the database (`0x02 | epoch id | nonce | ciphertext | tag`); see
 * epochs.ts. Erasing the epoch key erases every copy LevelDB left behind.
 */
import { mkdir, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'
import { hkdf, hmacSha256, open, seal, secretKey, wipe, type ScryptParams } from '../crypto/index.js'
import { fromHex, toHex } from '../bytes.js'
import type { KeyObject } from 'node:crypto'
import { HearthError } from '../errors.js'
import { createLog } from '../log.js'
import { Mutex } from '../mutex.js'
import { createKeyFile, rewrapKeyFile, unlockKeyFile } from './key-file.js'
import { runMigrations, SCHEMA_VERSION, type Migration, MIGRATIONS } from './migrations.js'
import { EPOCH_ID_BYTES, EpochErasedError, EpochKeys, type EpochKind } from './epochs.js'
import { HASH_BYTES, makeKey, prefixEnd, Table, type TableId } from './tables.js'

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
  /** The clock, for tests. */
  now?: () => number
}

/** Which epoch a write wants: its kind, the bucket it falls in, and (for expiry epochs) when the bucket ends. */
export interface EpochSpec {
  kind: EpochKind
  bucket: string
  endsAt?: number
}

/** What becomes of one row in {@link Store.rewrite}. */
export type RowChange = 'drop' | { value: unknown } | { moveTo: EpochSpec, value?: unknown }

/** What a puncture does to the rows of an epoch it erases. Row keys are hex. */
export interface PunctureChanges {
  /** Rows deleted outright. */
  drop?: Set<string>
  /** Rows kept (under the epoch's successor) with a new value. */
  replace?: Map<string, unknown>
  /** Rows moved to another epoch, with an optional new value. */
  move?: Map<string, { epoch: Uint8Array, value?: unknown }>
  /** Other operations to commit in the same batch. */
  extra?: BatchOp[]
}

const MASTER_SEALED = 0x01
const EPOCH_SEALED = 0x02

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
  /** Writes in flight per epoch id (hex): a puncture waits for them before it lists the epoch's rows. */
  readonly #inflight = new Map<string, number>()
  readonly #drained = new Map<string, Array<() => void>>()
  /** Punctures and erasures run one at a time. */
  readonly #eraseLock = new Mutex()
  readonly epochs: EpochKeys
  #closed = false

  private constructor (dataDir: string, db: Level<Uint8Array, Uint8Array>, master: Uint8Array, epochs: EpochKeys) {
    this.dataDir = dataDir
    this.#db = db
    this.epochs = epochs
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
    let epochs: EpochKeys
    try {
      epochs = await EpochKeys.open(dataDir, master, options.now)
    } catch (err) {
      wipe(master)
      await db.close()
      throw err
    }
    const store = new Store(dataDir, db, master, epochs)
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

  /** Seals a value under the master-derived key, bound to its store key. */
  seal (key: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const body = seal(this.#valueKey, plaintext, key)
    const out = new Uint8Array(1 + body.length)
    out[0] = MASTER_SEALED
    out.set(body, 1)
    return out
  }

  /** Opens a value of either kind; throws EpochErasedError when its epoch key is gone. */
  open (key: Uint8Array, sealed: Uint8Array): Uint8Array {
    if (sealed[0] === MASTER_SEALED) return open(this.#valueKey, sealed.subarray(1), key)
    if (sealed[0] === EPOCH_SEALED && sealed.length > 1 + EPOCH_ID_BYTES) {
      const epoch = sealed.subarray(1, 1 + EPOCH_ID_BYTES)
      const epochKey = this.epochs.key(epoch)
      if (epochKey == null) throw new EpochErasedError()
      return open(epochKey, sealed.subarray(1 + EPOCH_ID_BYTES), epochAd(key, epoch))
    }
    throw new HearthError('INTERNAL', 'a stored value has an unknown format')
  }

  /** A put operation for a JSON value, sealed under its key. */
  putJson (key: Uint8Array, value: unknown): BatchOp {
    return { type: 'put', key, value: this.seal(key, encoder.encode(JSON.stringify(value))) }
  }

  /**
   * Operations that store a JSON value sealed under an epoch key (so that
   * erasing the epoch erases it), and record the row in the epoch's index.
   */
  putInEpoch (key: Uint8Array, value: unknown, epoch: Uint8Array): BatchOp[] {
    const epochKey = this.epochs.key(epoch)
    if (epochKey == null) throw new EpochErasedError()
    const body = seal(epochKey, encoder.encode(JSON.stringify(value)), epochAd(key, epoch))
    const out = new Uint8Array(1 + EPOCH_ID_BYTES + body.length)
    out[0] = EPOCH_SEALED
    out.set(epoch, 1)
    out.set(body, 1 + EPOCH_ID_BYTES)
    return [{ type: 'put', key, value: out }, this.putJson(makeKey(Table.EPOCH_INDEX, epoch, key), 1)]
  }

  /** The operations that delete a row, and its epoch index entry if it has one. */
  async deleteRow (key: Uint8Array): Promise<BatchOp[]> {
    const epoch = await this.epochOf(key)
    const ops: BatchOp[] = [{ type: 'del', key }]
    if (epoch != null) ops.push({ type: 'del', key: makeKey(Table.EPOCH_INDEX, epoch, key) })
    return ops
  }

  /** The epoch a row is sealed under, if it is epoch-sealed. */
  async epochOf (key: Uint8Array): Promise<Uint8Array | undefined> {
    const sealed = await this.#db.get(key)
    if (sealed == null || sealed[0] !== EPOCH_SEALED) return undefined
    return sealed.slice(1, 1 + EPOCH_ID_BYTES)
  }

  decodeJson (key: Uint8Array, sealed: Uint8Array): unknown {
    return JSON.parse(decoder.decode(this.open(key, sealed)))
  }

  /** Opens a value, or `undefined` if its epoch was erased (it is gone, whatever LevelDB still holds). */
  private decodeLive (key: Uint8Array, sealed: Uint8Array): unknown {
    try {
      return this.decodeJson(key, sealed)
    } catch (err) {
      if (err instanceof EpochErasedError) return undefined
      throw err
    }
  }

  async getJson (key: Uint8Array): Promise<unknown> {
    const sealed = await this.#db.get(key)
    return sealed === undefined ? undefined : this.decodeLive(key, sealed)
  }

  /** Several values in one round trip; `undefined` where a key is absent. */
  async getManyJson (keys: Uint8Array[]): Promise<unknown[]> {
    if (keys.length === 0) return []
    const values = await this.#db.getMany(keys)
    return values.map((sealed, i) => sealed === undefined ? undefined : this.decodeLive(keys[i]!, sealed))
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

  /** Iterates sealed entries in a key range, opening each value; rows of erased epochs are skipped. */
  async * entries (range: RangeOptions): AsyncGenerator<{ key: Uint8Array, value: unknown }> {
    for await (const [key, sealed] of this.#db.iterator(range)) {
      const value = this.decodeLive(key, sealed)
      if (value !== undefined) yield { key, value }
    }
  }

  /** Iterates keys only (no decryption). */
  async * keys (range: RangeOptions): AsyncGenerator<Uint8Array> {
    for await (const key of this.#db.keys(range)) yield key
  }

  /**
   * Runs `write` with the current epochs of the given buckets (made if
   * needed), and holds off any puncture of those epochs until it is done, so
   * nothing is written under an epoch after its rows were counted.
   */
  async withEpochs<T> (specs: EpochSpec[], write: (epochs: Uint8Array[]) => Promise<T>): Promise<T> {
    for (;;) {
      const ids: Uint8Array[] = []
      for (const spec of specs) ids.push(await this.epochs.current(spec.kind, spec.bucket, spec.endsAt))
      const hex = ids.map(toHex)
      for (const h of hex) this.#inflight.set(h, (this.#inflight.get(h) ?? 0) + 1)
      try {
        // A puncture began while we were fetching: its bucket has a new current epoch; fetch again.
        if (ids.some(id => this.epochs.isRetiring(id) || this.epochs.key(id) == null)) continue
        return await write(ids)
      } finally {
        for (const h of hex) this.release(h)
      }
    }
  }

  private release (hex: string): void {
    const left = (this.#inflight.get(hex) ?? 1) - 1
    if (left > 0) {
      this.#inflight.set(hex, left)
      return
    }
    this.#inflight.delete(hex)
    for (const wake of this.#drained.get(hex) ?? []) wake()
    this.#drained.delete(hex)
  }

  /** Row keys sealed under an epoch. */
  async epochRows (epoch: Uint8Array): Promise<Uint8Array[]> {
    const rows: Uint8Array[] = []
    for await (const key of this.keys(Store.range(Table.EPOCH_INDEX, epoch))) rows.push(key.slice(1 + EPOCH_ID_BYTES))
    return rows
  }

  /** Resolves once no write sealed under the epoch `hex` is in flight. */
  private async drain (hex: string): Promise<void> {
    while ((this.#inflight.get(hex) ?? 0) > 0) {
      await new Promise<void>(resolve => { this.#drained.set(hex, [...(this.#drained.get(hex) ?? []), resolve]) })
    }
  }

  /**
   * Erases an epoch while keeping what should live: rows to drop are
   * deleted, rows to move go to their new epoch, and every other row is
   * re-sealed (or replaced) under a fresh epoch of the same bucket. Then the
   * old key is erased, and with it every copy LevelDB kept of any of them.
   */
  private async puncture (epoch: Uint8Array, changes: PunctureChanges): Promise<void> {
    const hex = toHex(epoch)
    if (!this.epochs.has(hex)) return
    // New writes to this bucket go to its next epoch from now on.
    const successor = await this.epochs.retire(epoch)
    await this.drain(hex)
    const ops: BatchOp[] = [...(changes.extra ?? [])]
    for (const row of await this.epochRows(epoch)) {
      const rowHex = toHex(row)
      ops.push({ type: 'del', key: makeKey(Table.EPOCH_INDEX, epoch, row) })
      if (changes.drop?.has(rowHex) === true) {
        ops.push({ type: 'del', key: row })
        continue
      }
      const moved = changes.move?.get(rowHex)
      const current = changes.replace?.has(rowHex) === true ? changes.replace.get(rowHex) : moved?.value ?? await this.getJson(row)
      if (current === undefined) {
        ops.push({ type: 'del', key: row })
        continue
      }
      ops.push(...this.putInEpoch(row, current, moved?.epoch ?? successor))
    }
    await this.batch(ops)
    // The successor stays even if nothing was kept: a write may be using it
    // already. Epochs left empty are tidied when the store next opens.
    await this.epochs.erase([epoch])
  }

  /** Erases epochs that hold no row (leftovers of punctures and crashes). Run at open, with nothing in flight. */
  async eraseEmptyEpochs (): Promise<number> {
    const empty: string[] = []
    for (const e of this.epochs.list()) {
      const [row] = await this.#db.keys({ ...Store.range(Table.EPOCH_INDEX, fromHex(e.id)), limit: 1 }).all()
      if (row == null) empty.push(e.id)
    }
    await this.epochs.erase(empty)
    return empty.length
  }

  /**
   * Changes rows so that what they held before cannot be read again: each
   * row is dropped, replaced or moved to another epoch, and every epoch
   * they were sealed under is punctured. Rows not sealed under an epoch are
   * simply deleted or rewritten. `extra` operations commit with the first
   * batch. Erasures happen one at a time.
   */
  async rewrite (rows: Map<string, RowChange>, extra: BatchOp[] = []): Promise<void> {
    await this.#eraseLock.run(async () => {
      const byEpoch = new Map<string, PunctureChanges>()
      const plain: BatchOp[] = [...extra]
      for (const [rowHex, change] of rows) {
        const row = fromHex(rowHex)
        const epoch = await this.epochOf(row)
        // Erasures are serialised by the lock we hold, so a target epoch fetched here stays.
        const target = change !== 'drop' && 'moveTo' in change ? await this.epochs.current(change.moveTo.kind, change.moveTo.bucket, change.moveTo.endsAt) : undefined
        if (epoch == null) {
          if (change === 'drop') plain.push({ type: 'del', key: row })
          else if (target != null && 'moveTo' in change) plain.push(...this.putInEpoch(row, change.value ?? await this.getJson(row), target))
          else if ('value' in change) plain.push(this.putJson(row, change.value))
          continue
        }
        const key = toHex(epoch)
        const changes = byEpoch.get(key) ?? { drop: new Set(), replace: new Map(), move: new Map() }
        byEpoch.set(key, changes)
        if (change === 'drop') changes.drop?.add(rowHex)
        else if (target != null && 'moveTo' in change) changes.move?.set(rowHex, { epoch: target, ...(change.value !== undefined ? { value: change.value } : {}) })
        else if ('value' in change) changes.replace?.set(rowHex, change.value)
      }
      let first = true
      for (const [epochHex, changes] of byEpoch) {
        await this.puncture(fromHex(epochHex), first ? { ...changes, extra: plain } : changes)
        first = false
      }
      if (first) await this.batch(plain)
    })
  }

  /**
   * Rewrites rows in place from their current values, keeping each under
   * the epoch it is sealed in (punctures and erasures wait, so neither can
   * slip between the read and the write). `change` gets undefined for a row
   * that is gone, and returns undefined to leave a row as it is.
   */
  async update (keys: Uint8Array[], change: (value: unknown) => unknown, extra: BatchOp[] = [], options: { sync?: boolean } = {}): Promise<void> {
    await this.#eraseLock.run(async () => {
      const ops: BatchOp[] = [...extra]
      const raws = keys.length === 0 ? [] : await this.#db.getMany(keys)
      for (const [i, key] of keys.entries()) {
        const raw = raws[i]
        const current = raw === undefined ? undefined : this.decodeLive(key, raw)
        if (current === undefined) continue
        const next = change(current)
        if (next === undefined) continue
        if (raw?.[0] === EPOCH_SEALED) ops.push(...this.putInEpoch(key, next, raw.slice(1, 1 + EPOCH_ID_BYTES)))
        else ops.push(this.putJson(key, next))
      }
      await this.batch(ops, options)
    })
  }

  /**
   * Erases whole epochs (say, expiry windows that have ended), deleting any
   * row still sealed under them first.
   */
  async eraseEpochs (epochs: Uint8Array[]): Promise<void> {
    await this.#eraseLock.run(async () => {
      for (const epoch of epochs) {
        const hex = toHex(epoch)
        if (!this.epochs.has(hex)) continue
        this.epochs.retireForGood(epoch)
        await this.drain(hex)
        const ops: BatchOp[] = []
        for (const row of await this.epochRows(epoch)) ops.push({ type: 'del', key: row }, { type: 'del', key: makeKey(Table.EPOCH_INDEX, epoch, row) })
        await this.batch(ops)
        await this.epochs.erase([hex])
      }
    })
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
    // Waits for an epoch being made or erased, so the file is never written
    // with a key already wiped.
    await this.epochs.close()
    // The KeyObjects cannot be zeroed from JavaScript; with the store closed
    // nothing references them and they go with the next garbage collection.
    await this.#db.close()
  }
}

/** Epoch-sealed values are bound to their store key and to the epoch id. */
function epochAd (key: Uint8Array, epoch: Uint8Array): Uint8Array {
  const ad = new Uint8Array(key.length + epoch.length)
  ad.set(key, 0)
  ad.set(epoch, key.length)
  return ad
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
