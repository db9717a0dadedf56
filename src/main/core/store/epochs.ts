/**
 * Epoch keys: what makes deleted and expired messages unreadable, not just
 * unlisted. LevelDB does not erase a deleted value from its files, so every
 * message is sealed under an epoch key, and the epoch keys live outside the
 * database, in one small file that is rewritten whenever a key is erased.
 * Once its key is gone, every copy of a message that LevelDB left behind is
 * ciphertext nobody can open, including us.
 *
 * An epoch groups messages that are erased together: those expiring in the
 * same short window, those waiting to be read in one conversation, or those
 * written on one day. Erasing one message of a group ("punctures") re-seals
 * the rest under a fresh key and erases the old one.
 *
 * The file (`epochs.key`) is sealed with a key derived from the master key.
 * It is replaced atomically: the new version is written and fsynced beside
 * it first, the old one is then overwritten in place with random bytes and
 * fsynced, and only then is the new one renamed over it. A crash leaves one
 * complete version; the old bytes are overwritten where the file system
 * writes in place (ext4 does; an SSD's wear levelling may still keep them).
 */
import { open as openFile, readFile, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import { toHex, fromHex, utf8 } from '../bytes.js'
import { DecryptError, hkdf, open, randomBytes, seal, secretKey, wipe } from '../crypto/index.js'
import { HearthError } from '../errors.js'
import { Mutex } from '../mutex.js'
import { fsyncDir, overwriteInPlace } from './fs-util.js'

export const EPOCHS_FILE = 'epochs.key'
const NEXT_SUFFIX = '.next'
const MAGIC = utf8.encode('HRTE')
const VERSION = 1
export const EPOCH_ID_BYTES = 8

/** What an epoch is for. */
export type EpochKind = 'day' | 'expiry' | 'awaiting'

const EpochEntry = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(['day', 'expiry', 'awaiting']),
  /** Which messages it takes: a day, an expiry window or a conversation; the newest epoch of a bucket is its current one. */
  bucket: z.string().max(200),
  /** For expiry epochs: when every message in it has expired. */
  endsAt: z.number().optional(),
  createdAt: z.number()
})
type EpochEntry = z.infer<typeof EpochEntry>
const EpochFile = z.object({ epochs: z.array(EpochEntry) })

export class EpochErasedError extends Error {
  readonly code = 'EPOCH_ERASED'
  constructor () {
    super('this value was sealed under an epoch key that has been erased')
    this.name = 'EpochErasedError'
  }
}

/** Replaces `path` with `data`, overwriting the old content in place before the swap (see above). */
async function shredAndReplace (path: string, data: Uint8Array): Promise<void> {
  const next = path + NEXT_SUFFIX
  const fh = await openFile(next, 'w', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await overwriteInPlace(path)
  await rename(next, path)
  await fsyncDir(dirname(path))
}

export class EpochKeys {
  readonly #path: string
  readonly #fileKey: Uint8Array
  readonly #now: () => number
  readonly #entries = new Map<string, EpochEntry>()
  readonly #keys = new Map<string, KeyObject>()
  /** Epochs a puncture is erasing: no new writes go to them. */
  readonly #retiring = new Set<string>()
  readonly #lock = new Mutex()
  #closed = false

  private constructor (path: string, fileKey: Uint8Array, now: () => number) {
    this.#path = path
    this.#fileKey = fileKey
    this.#now = now
  }

  /** Opens (or starts) the epoch file of a data directory. */
  static async open (dataDir: string, master: Uint8Array, now: () => number = Date.now): Promise<EpochKeys> {
    const epochs = new EpochKeys(join(dataDir, EPOCHS_FILE), hkdf(master, 'hearth/epochs/v1'), now)
    await epochs.load()
    return epochs
  }

  private async load (): Promise<void> {
    // A complete `.next` is always the newer version: it is written before the old one is touched.
    const next = await this.readIfValid(this.#path + NEXT_SUFFIX)
    if (next != null) {
      await rename(this.#path + NEXT_SUFFIX, this.#path)
      await fsyncDir(dirname(this.#path))
    } else {
      await rm(this.#path + NEXT_SUFFIX, { force: true })
    }
    const file = next ?? await this.readIfValid(this.#path, true)
    for (const entry of file?.epochs ?? []) this.remember(entry)
  }

  private async readIfValid (path: string, mustParse = false): Promise<z.infer<typeof EpochFile> | undefined> {
    let bytes: Uint8Array
    try {
      bytes = new Uint8Array(await readFile(path))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    const head = bytes.subarray(0, MAGIC.length + 1)
    try {
      if (!MAGIC.every((b, i) => bytes[i] === b) || bytes[MAGIC.length] !== VERSION) throw new DecryptError('not an epoch file')
      return EpochFile.parse(JSON.parse(utf8.decode(open(this.#fileKey, bytes.subarray(head.length), head))))
    } catch (err) {
      if (!mustParse) return undefined
      throw new HearthError('INTERNAL', 'the epoch key file is damaged; messages sealed under it cannot be read', { cause: err })
    }
  }

  private remember (entry: EpochEntry): void {
    this.#entries.set(entry.id, entry)
    const raw = fromHex(entry.key)
    this.#keys.set(entry.id, secretKey(raw))
    wipe(raw)
  }

  private async persist (): Promise<void> {
    this.checkOpen()
    const head = new Uint8Array(MAGIC.length + 1)
    head.set(MAGIC, 0)
    head[MAGIC.length] = VERSION
    const body = seal(this.#fileKey, utf8.encode(JSON.stringify({ epochs: [...this.#entries.values()] })), head)
    const file = new Uint8Array(head.length + body.length)
    file.set(head, 0)
    file.set(body, head.length)
    await shredAndReplace(this.#path, file)
  }

  /** The key of an epoch, or undefined once it is erased. */
  key (id: Uint8Array): KeyObject | undefined {
    return this.#keys.get(toHex(id))
  }

  has (id: string): boolean {
    return this.#entries.has(id)
  }

  /** Every live epoch. */
  list (): Array<Readonly<EpochEntry>> {
    return [...this.#entries.values()]
  }

  /**
   * The current epoch of a bucket (its newest one not being closed), made
   * and written to disk if there is none. Resolves to its id.
   */
  async current (kind: EpochKind, bucket: string, endsAt?: number): Promise<Uint8Array> {
    this.checkOpen()
    const found = this.newestOf(bucket)
    if (found != null && !this.#retiring.has(found.id)) return fromHex(found.id)
    return this.#lock.run(async () => {
      this.checkOpen()
      const again = this.newestOf(bucket)
      if (again != null && !this.#retiring.has(again.id)) return fromHex(again.id)
      return this.add(kind, bucket, endsAt)
    })
  }

  /**
   * Marks an epoch as being erased: from now on `current` never returns it.
   * Resolves to its bucket's new current epoch, for what survives it.
   */
  async retire (id: Uint8Array): Promise<Uint8Array> {
    const entry = this.#entries.get(toHex(id))
    if (entry == null) throw new EpochErasedError()
    this.#retiring.add(entry.id)
    return this.current(entry.kind, entry.bucket, entry.endsAt)
  }

  /** Marks an epoch as being erased, with no successor (its bucket is over). */
  retireForGood (id: Uint8Array): void {
    this.#retiring.add(toHex(id))
  }

  isRetiring (id: Uint8Array): boolean {
    return this.#retiring.has(toHex(id))
  }

  /** Erases epoch keys, from memory and from the file. */
  async erase (ids: Array<Uint8Array | string>): Promise<void> {
    await this.#lock.run(async () => {
      this.checkOpen()
      let changed = false
      for (const id of ids) {
        const hex = typeof id === 'string' ? id : toHex(id)
        changed = this.#entries.delete(hex) || changed
        this.#keys.delete(hex)
        this.#retiring.delete(hex)
      }
      if (changed) await this.persist()
    })
  }

  private newestOf (bucket: string): EpochEntry | undefined {
    let newest: EpochEntry | undefined
    for (const e of this.#entries.values()) {
      if (e.bucket === bucket && (newest == null || e.createdAt >= newest.createdAt)) newest = e
    }
    return newest
  }

  private async add (kind: EpochKind, bucket: string, endsAt?: number): Promise<Uint8Array> {
    const id = randomBytes(EPOCH_ID_BYTES)
    const key = randomBytes(32)
    // createdAt only orders epochs of one bucket; it must grow even within a millisecond.
    const newest = this.newestOf(bucket)?.createdAt ?? 0
    const entry: EpochEntry = { id: toHex(id), key: toHex(key), kind, bucket, ...(endsAt != null ? { endsAt } : {}), createdAt: Math.max(this.#now(), newest + 1) }
    wipe(key)
    this.remember(entry)
    try {
      await this.persist()
    } catch (err) {
      this.#entries.delete(entry.id)
      this.#keys.delete(entry.id)
      throw err
    }
    return id
  }

  /** Destroys the file in place (panic wipe): overwritten with random bytes, fsynced, removed. */
  static async destroy (dataDir: string): Promise<void> {
    for (const path of [join(dataDir, EPOCHS_FILE), join(dataDir, EPOCHS_FILE + NEXT_SUFFIX)]) {
      if (await overwriteInPlace(path)) await rm(path, { force: true })
    }
  }

  /**
   * Forgets every key (the store is closing), once any change under way has
   * been written; after this nothing can be made, erased or written.
   */
  async close (): Promise<void> {
    await this.#lock.run(async () => { this.forget() })
  }

  /** Forgets every key at once, for a reader that never wrote (a copy being examined). */
  forget (): void {
    this.#closed = true
    this.#entries.clear()
    this.#keys.clear()
    wipe(this.#fileKey)
  }

  private checkOpen (): void {
    if (this.#closed) throw new HearthError('SHUTTING_DOWN', 'the store is closed')
  }
}
