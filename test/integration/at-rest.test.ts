/**
 * What a thief with the disk would find: nothing readable. After a real
 * conversation, no file anywhere in either data directory holds a message
 * text, a name, a peer id (as text or as bytes) or a public key.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { befriend, openPeer, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { filesUnder, tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

/** Every needle found in any file under `dir`, with the file it was found in. */
async function findings (dir: string, needles: Record<string, Uint8Array>): Promise<string[]> {
  const found: string[] = []
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file)
    for (const [label, needle] of Object.entries(needles)) {
      if (bytes.indexOf(needle) !== -1) found.push(`${label} in ${file}`)
    }
  }
  return found
}

describe('data at rest', () => {
  it('holds no message text, name, peer id or public key in any file', async () => {
    const dirs = [await tempDir(), await tempDir()]
    const peers: TestPeer[] = [
      await openPeer(dirs[0]!.path, 'Quentin Marchbanks'),
      await openPeer(dirs[1]!.path, 'Philippa Oyelaran')
    ]
    cleanups.push(dirs[0]!.cleanup, dirs[1]!.cleanup, async () => { for (const p of peers) await p.hearth.close() })
    const [a, b] = peers as [TestPeer, TestPeer]
    await befriend(a, b)

    const texts = ['the spare key is under the blue flowerpot', 'meet me at 7 at the Juniper Street bakery', 'ünïcødé sécret ✨ message']
    for (const text of texts) await a.hearth.api['messages.send']({ to: b.hearth.peerId, text })
    await b.hearth.api['messages.send']({ to: a.hearth.peerId, text: 'reply: noted, flowerpot' })
    await waitFor(async () => (await b.hearth.api['messages.list']({ with: a.hearth.peerId })).length === 4, 'all messages')
    await b.hearth.api['messages.markRead']({ with: a.hearth.peerId })
    await a.hearth.api['identity.setName']({ name: 'Quentin M. Marchbanks' })
    await b.hearth.api['contacts.verify']({ peerId: a.hearth.peerId })
    await a.hearth.api['invite.create']({})
    // Restart once, so that LevelDB rewrites its log into table files too.
    peers[0] = await restartPeer(a)
    peers[1] = await restartPeer(b)
    expect((await peers[1].hearth.api['messages.list']({ with: a.hearth.peerId })).map(m => m.text)).toEqual([...texts, 'reply: noted, flowerpot'])
    const ids = [a.hearth.peerId, b.hearth.peerId]
    for (const p of peers) await p.hearth.close()

    const needles: Record<string, Uint8Array> = {}
    const enc = new TextEncoder()
    for (const t of [...texts, 'flowerpot', 'Juniper', 'Quentin', 'Marchbanks', 'Philippa', 'Oyelaran']) needles[`text "${t}"`] = enc.encode(t)
    for (const id of ids) {
      const peerId = peerIdFromString(id)
      needles[`peer id ${id}`] = enc.encode(id)
      needles[`peer id bytes of ${id}`] = peerId.toMultihash().bytes
      needles[`public key of ${id}`] = peerId.publicKey!.raw
    }
    for (const dir of dirs) {
      expect(await filesUnder(dir.path)).not.toHaveLength(0)
      expect(await findings(dir.path, needles)).toEqual([])
    }
    // The needles themselves would be found if they were there.
    expect(Buffer.from('xx the spare key is under the blue flowerpot xx').indexOf(needles['text "flowerpot"']!)).toBeGreaterThan(0)
  })

  it('holds no group name, member name, group id, op or message text of a group in any file', async () => {
    const names = ['Wilhelmina Stavrou', 'Bartholomew Ekwueme', 'Cordelia Nakashima']
    const dirs = await Promise.all(names.map(async () => tempDir()))
    const peers: TestPeer[] = []
    for (const [i, n] of names.entries()) peers.push(await openPeer(dirs[i]!.path, n))
    cleanups.push(...dirs.map(d => d.cleanup), async () => { for (const p of peers) await p.hearth.close() })
    const [a, b, c] = peers as [TestPeer, TestPeer, TestPeer]
    await befriend(a, b)
    await befriend(a, c)
    const { groupId } = await a.hearth.api['groups.create']({ name: 'Tangerine Allotment Society', members: [b.hearth.peerId, c.hearth.peerId] })
    await a.hearth.api['groups.rename']({ groupId, name: 'Tangerine Allotment Committee' })
    for (const p of [b, c]) await waitFor(async () => (await p.hearth.api['groups.list']({}))[0]?.name === 'Tangerine Allotment Committee', `${p.name} to have the group`)
    const texts = ['the compost rota starts on Thursday', 'bring the quince jam', 'ünïcødé gröüp ✨ note']
    for (const [i, t] of texts.entries()) await peers[i]!.hearth.api['messages.send']({ to: groupId, text: t })
    for (const p of peers) await waitFor(async () => (await p.hearth.api['messages.list']({ with: groupId })).filter(m => m.kind !== 'system').length === 3, `${p.name} to have all three`)
    await c.hearth.api['groups.leave']({ groupId })
    await waitFor(async () => (await a.hearth.api['groups.members']({ groupId })).length === 2, 'the leave to reach alice')
    for (const [i, p] of peers.entries()) peers[i] = await restartPeer(p)
    for (const p of peers) await p.hearth.close()

    const needles: Record<string, Uint8Array> = {}
    const enc = new TextEncoder()
    for (const t of [...texts, 'compost', 'quince', 'Tangerine', 'Allotment', ...names.flatMap(n => n.split(' '))]) needles[`text "${t}"`] = enc.encode(t)
    needles['group id'] = enc.encode(groupId)
    needles['group id (hex)'] = enc.encode(groupId.slice(4))
    needles['group id (bytes)'] = Buffer.from(groupId.slice(4), 'hex')
    for (const p of peers) {
      const peerId = peerIdFromString(p.hearth.peerId)
      needles[`peer id ${p.hearth.peerId}`] = enc.encode(p.hearth.peerId)
      needles[`peer id bytes of ${p.name}`] = peerId.toMultihash().bytes
    }
    for (const dir of dirs) expect(await findings(dir.path, needles)).toEqual([])
  })

  it('keeps the data directory and the key file private to the user', async () => {
    const dir = await tempDir()
    cleanups.push(dir.cleanup)
    const p = await openPeer(join(dir.path, 'profile'), 'Owner')
    await p.hearth.close()
    expect((await stat(join(dir.path, 'profile'))).mode & 0o077).toBe(0)
    expect((await stat(join(dir.path, 'profile', 'hearth.key'))).mode & 0o077).toBe(0)
  })
})
