/**
 * It must really be gone. The raw data directory (every file, LevelDB's
 * .log and .ldb included) is copied before and after a message expires,
 * another is deleted and a third is edited. Then, holding the real master
 * key and reaching into the store's internals, the test searches every byte
 * of each copy for sealed copies of those messages and tries to open them
 * with every key that copy holds. Before: each one opens. After: none does,
 * though LevelDB still holds their bytes, because their epoch keys are gone.
 */
import { cp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { toHex } from '../../src/main/core/bytes.js'
import { DecryptError, open } from '../../src/main/core/crypto/index.js'
import { EPOCH_ID_BYTES, EpochKeys } from '../../src/main/core/store/epochs.js'
import { unlockKeyFile } from '../../src/main/core/store/key-file.js'
import { DB_DIR, KEY_FILE } from '../../src/main/core/store/store.js'
import { Table } from '../../src/main/core/store/tables.js'
import { befriend, openPeer, PASSPHRASE, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { filesUnder, tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

/** The keys of message and outbox rows in a copy's database (where sealed message text lives). */
async function rowKeys (copy: string): Promise<Uint8Array[]> {
  const scratch = await tempDir('hearth-forensic-db-')
  cleanups.push(scratch.cleanup)
  await cp(join(copy, DB_DIR), scratch.path, { recursive: true })
  const db = new ClassicLevel<Uint8Array, Uint8Array>(scratch.path, { keyEncoding: 'view', valueEncoding: 'view' })
  const keys: Uint8Array[] = []
  for await (const key of db.keys()) if (key[0] === Table.MESSAGES || key[0] === Table.OUTBOX) keys.push(key)
  await db.close()
  return keys
}

/**
 * Every marker found in plaintext that some sealed blob in some file of
 * `copy` opens to, using the keys `copy` itself holds (the master key from
 * its key file, the epoch keys from its epoch file). Blobs are found by
 * their shape: 0x02, then the id of an epoch we know of.
 */
async function readable (copy: string, knownEpochs: Set<string>, ads: Uint8Array[], markers: string[]): Promise<Set<string>> {
  const master = await unlockKeyFile(join(copy, KEY_FILE), PASSPHRASE)
  const epochs = await EpochKeys.open(copy, master)
  const found = new Set<string>()
  for (const file of await filesUnder(copy)) {
    const bytes = new Uint8Array(await readFile(file))
    for (let p = bytes.indexOf(0x02); p !== -1 && p + 1 + EPOCH_ID_BYTES < bytes.length; p = bytes.indexOf(0x02, p + 1)) {
      const epochId = bytes.subarray(p + 1, p + 1 + EPOCH_ID_BYTES)
      if (!knownEpochs.has(toHex(epochId))) continue
      const key = epochs.key(epochId)
      if (key == null) continue
      const body = p + 1 + EPOCH_ID_BYTES
      for (const rowKey of ads) {
        const ad = new Uint8Array(rowKey.length + EPOCH_ID_BYTES)
        ad.set(rowKey, 0)
        ad.set(epochId, rowKey.length)
        for (let end = body + 12 + 16 + 2; end <= Math.min(bytes.length, body + 3000); end++) {
          let plain: Uint8Array
          try {
            plain = open(key, bytes.subarray(body, end), ad)
          } catch (err) {
            if (err instanceof DecryptError) continue
            throw err
          }
          const text = new TextDecoder().decode(plain)
          for (const m of markers) if (text.includes(m)) found.add(m)
          break
        }
      }
    }
  }
  epochs.forget()
  return found
}

describe('crypto-shredding', () => {
  it('leaves no decryptable copy of an expired, a deleted or an edited-away message in any file', async () => {
    const dirs = [await tempDir(), await tempDir(), await tempDir(), await tempDir()]
    cleanups.push(...dirs.map(d => d.cleanup))
    let alice: TestPeer = await openPeer(dirs[0]!.path, 'Alice')
    const bob = await openPeer(dirs[1]!.path, 'Bob')
    cleanups.push(async () => alice.hearth.close(), async () => bob.hearth.close())
    await befriend(alice, bob)
    const tag = Math.random().toString(36).slice(2, 10)
    const EXPIRE = `FORENSIC-EXPIRE-${tag}`
    const DELETE = `FORENSIC-DELETE-${tag}`
    const OLD = `FORENSIC-EDIT-OLD-${tag}`
    const NEW = `FORENSIC-EDIT-NEW-${tag}`
    const KEEP = `FORENSIC-KEEP-${tag}`
    const bobId = bob.hearth.peerId
    const expiring = await alice.hearth.api['messages.send']({ to: bobId, text: EXPIRE, expiresInSeconds: 2 })
    const deleted = await alice.hearth.api['messages.send']({ to: bobId, text: DELETE })
    const edited = await alice.hearth.api['messages.send']({ to: bobId, text: OLD })
    await alice.hearth.api['messages.send']({ to: bobId, text: KEEP })
    await waitFor(async () => (await bob.hearth.api['messages.list']({ with: alice.hearth.peerId })).length === 4, 'delivery')
    await waitFor(async () => (await alice.hearth.api['messages.list']({ with: bobId })).every(m => m.status === 'delivered'), 'acks (the outbox copies are deleted rows now)')

    // Before: a copy of the closed profile.
    await alice.hearth.close()
    const before = dirs[2]!.path
    await cp(alice.dataDir, before, { recursive: true })
    const beforeMaster = await unlockKeyFile(join(before, KEY_FILE), PASSPHRASE)
    const beforeEpochs = await EpochKeys.open(before, beforeMaster)
    const knownEpochs = new Set(beforeEpochs.list().map(e => e.id))
    beforeEpochs.forget()
    const ads = await rowKeys(before)
    const markers = [EXPIRE, DELETE, OLD, NEW, KEEP]
    expect([...await readable(before, knownEpochs, ads, markers)].sort()).toEqual([EXPIRE, DELETE, OLD, KEEP].sort())

    // Past the expiring message's window; on reopening, expiry runs first.
    await new Promise(resolve => setTimeout(resolve, 2000 + 1000 - (Date.now() - expiring.sentAt) + 200))
    alice = await restartPeer(alice)
    expect((await alice.hearth.api['messages.list']({ with: bobId })).map(m => m.text)).toEqual([DELETE, OLD, KEEP])
    await alice.hearth.api['messages.delete']({ id: deleted.id })
    await alice.hearth.api['messages.edit']({ id: edited.id, text: NEW })
    expect((await alice.hearth.api['messages.list']({ with: bobId })).map(m => m.text)).toEqual([NEW, KEEP])
    await alice.hearth.close()

    const after = dirs[3]!.path
    await cp(alice.dataDir, after, { recursive: true })
    const afterMaster = await unlockKeyFile(join(after, KEY_FILE), PASSPHRASE)
    const afterEpochs = await EpochKeys.open(after, afterMaster)
    for (const e of afterEpochs.list()) knownEpochs.add(e.id)
    afterEpochs.forget()
    // LevelDB still holds the old bytes somewhere...
    let stillThere = 0
    for (const file of await filesUnder(after)) {
      const bytes = await readFile(file)
      for (const id of knownEpochs) if (bytes.indexOf(Buffer.from(id, 'hex')) !== -1) stillThere++
    }
    expect(stillThere).toBeGreaterThan(0)
    // ...but only what should live can be opened.
    expect([...await readable(after, knownEpochs, [...ads, ...await rowKeys(after)], markers)].sort()).toEqual([NEW, KEEP].sort())
    // And no plaintext anywhere, of course.
    for (const file of await filesUnder(after)) {
      const bytes = await readFile(file)
      for (const m of markers) expect(bytes.indexOf(Buffer.from(m))).toBe(-1)
    }
  }, 60_000)
})
