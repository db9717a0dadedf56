/**
 * Removal that really removes: a removed member is a raw node that keeps
 * every key it was ever given and stays on the network. After the key
 * rotation it can read nothing new, and nothing it injects (messages
 * sealed with old keys, ops back-dated to before its removal, forged keys)
 * reaches anyone's screen.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { fromHex, owned } from '../../src/main/core/bytes.js'
import { checkOp, opId } from '../../src/main/core/groups/ops.js'
import type { GroupFrame } from '../../src/main/core/groups/pb/group.js'
import { addressOf, fakePeerId } from '../fixtures/hostile.js'
import { befriend, deferrals, hearthPeer, type TestPeer } from '../fixtures/peers.js'
import { RawMember } from '../fixtures/raw-member.js'
import { waitFor } from '../fixtures/wait.js'
import { peerIdFromString } from '@libp2p/peer-id'

const defer = deferrals(afterEach)

async function texts (p: TestPeer, groupId: string): Promise<string[]> {
  return (await p.hearth.api['messages.list']({ with: groupId, limit: 500 })).filter(m => m.kind !== 'system').map(m => m.text)
}

const peerBytes = (id: string): Uint8Array<ArrayBuffer> => owned(peerIdFromString(id).toMultihash().bytes)

describe('removing a member from a group', () => {
  it('leaves the removed member, holding every old key, nothing to read and no way in', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const mallory = await RawMember.join(defer, alice, 'Mallory')
    await waitFor(async () => (await alice.hearth.api['contacts.list']({})).some(c => c.peerId === mallory.peerId), 'mallory to be alice\'s contact')

    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Secret', members: [bob.hearth.peerId, mallory.peerId] })
    const hex = groupId.slice(4)
    // The strongest removed member there is: an admin.
    await alice.hearth.api['groups.promote']({ groupId, peerId: mallory.peerId })
    await alice.hearth.api['messages.send']({ to: groupId, text: 'before' })
    // While a member, the raw node reads the group like anyone.
    await waitFor(() => mallory.envelopes.some(e => mallory.read(e) === 'before'), 'mallory to read "before"')
    await waitFor(() => mallory.state(hex).members.get(mallory.peerId)?.admin === true, 'mallory to see herself admin')
    const heads = mallory.state(hex).heads
    const firstKey = [...mallory.keys.keys()][0]!

    await alice.hearth.api['groups.remove']({ groupId, peerId: mallory.peerId })
    await waitFor(() => !mallory.state(hex).members.has(mallory.peerId), 'mallory to hear of her removal')
    const keysAtRemoval = new Set(mallory.keys.keys())
    const envelopesAtRemoval = mallory.envelopes.length

    for (let i = 0; i < 5; i++) {
      await alice.hearth.api['messages.send']({ to: groupId, text: `after ${i}` })
      await bob.hearth.api['messages.send']({ to: groupId, text: `bob after ${i}` })
    }
    for (const p of [alice, bob]) await waitFor(async () => (await texts(p, groupId)).length === 11, `${p.name} to have all 11`)

    // She asks each of them for everything, as a member coming back would, then injects:
    // a message sealed with the key she holds, ops back-dated to before her
    // removal (removing Alice, adding a stranger), and a forged key.
    const newest = [...mallory.state(hex).reigns].at(-1)!.op
    const sealed = await mallory.seal(hex, firstKey, 1, BigInt((await alice.hearth.api['messages.list']({ with: groupId, limit: 1 }))[0]!.sentAt) << 16n, 'injected')
    const removeAlice = await mallory.op(hex, heads, { remove: { peer: peerBytes(alice.hearth.peerId), name: '', addrs: [], cutoff: 0n } }, mallory.state(hex).order[1]!.hlc + 1n)
    const addEve = await mallory.op(hex, heads, { add: { peer: peerBytes(fakePeerId()), name: 'Eve', addrs: [], cutoff: 0n } }, mallory.state(hex).order[1]!.hlc + 2n)
    const replay = mallory.envelopes[0]!
    // Checked here, so a refusal below is the group's rules at work, not a malformed op.
    for (const op of [removeAlice, addEve]) await checkOp(op)
    const keysBefore = new Set(keysAtRemoval)
    const ask: GroupFrame = { summary: { group: fromHex(hex), heads: [], opCount: 0, seen: [], wantKeys: [...mallory.state(hex).reigns.map(r => fromHex(r.op))].slice(-8), readOfYours: 0n } }
    for (const p of [alice, bob]) {
      const before = mallory.frames
      await mallory.send(addressOf(p), [
        { envelopes: { envelopes: [sealed, replay] } },
        { ops: { ops: [removeAlice, addEve] } },
        { key: { group: fromHex(hex), keyOp: fromHex(newest), key: owned(crypto.getRandomValues(new Uint8Array(32))) } },
        ask
      ])
      // Frames on one stream are handled in order: the answer to `ask` means the rest were handled.
      await waitFor(() => mallory.frames > before, `${p.name} to answer`)
    }

    // Nothing readable came after the rotation, and no new key.
    expect([...mallory.keys.keys()].filter(k => !keysBefore.has(k) && k !== opId(removeAlice) && k !== opId(addEve))).toEqual([])
    const later = mallory.envelopes.slice(envelopesAtRemoval)
    expect(later.map(e => mallory.read(e)).filter(t => t != null)).toEqual([])
    expect(mallory.envelopes.map(e => mallory.read(e))).not.toContain('after 0')

    // Nothing she sent shows, and the group is as Alice left it.
    await bob.hearth.api['messages.send']({ to: groupId, text: 'last' })
    for (const p of [alice, bob]) {
      await waitFor(async () => (await texts(p, groupId)).includes('last'), `${p.name} to have "last"`)
      const seen = await texts(p, groupId)
      expect(seen).not.toContain('injected')
      expect(seen.filter(t => t === 'before')).toHaveLength(1)
      const members = await p.hearth.api['groups.members']({ groupId })
      expect(members.map(m => m.peerId).sort()).toEqual([alice.hearth.peerId, bob.hearth.peerId].sort())
      expect(members.find(m => m.peerId === alice.hearth.peerId)?.admin).toBe(true)
    }
    expect((await alice.hearth.api['groups.list']({}))[0]?.status).toBe('member')
  })
})
