/**
 * Groups between real peers on 127.0.0.1: everyone sees everything in one
 * order, catch-up through whoever is online, removal that really removes,
 * and admins changing the group at once.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/api.js'
import { allMessages, befriend, deferrals, hearthPeer, restartPeer, type TestPeer } from '../fixtures/peers.js'
import { waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** A peer whose handle stays current across restarts, so that the one open at the end is closed (closing twice is harmless). */
async function peer (name: string): Promise<{ current: TestPeer }> {
  const ref = { current: await hearthPeer(defer, name) }
  defer(async () => ref.current.hearth.close())
  return ref
}

const texts = (ms: Message[]): string[] => ms.filter(m => m.kind !== 'system').map(m => m.text)

describe('groups', () => {
  it('a group of 5: everyone sees every message, in the same order', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave', 'Erin'].map(async n => peer(n)))
    const [alice, ...others] = refs.map(r => r.current) as [TestPeer, ...TestPeer[]]
    for (const o of others) await befriend(alice, o)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Flat 3', members: others.map(o => o.hearth.peerId) })
    for (const o of others) await waitFor(async () => (await o.hearth.api['groups.list']({})).some(g => g.groupId === groupId), `${o.name} to have the group`)

    const everyone = [alice, ...others]
    const sends = everyone.flatMap((p, i) => Array.from({ length: 4 }, (_, j) => ({ p, text: `${p.name} ${j}`, i })))
    await Promise.all(everyone.map(async p => {
      for (const s of sends.filter(s => s.p === p)) await p.hearth.api['messages.send']({ to: groupId, text: s.text })
    }))
    for (const p of everyone) await waitFor(async () => texts(await allMessages(p, groupId)).length === 20, `${p.name} to have all 20`)
    const orders = await Promise.all(everyone.map(async p => (await allMessages(p, groupId)).map(m => m.id)))
    for (const o of orders) expect(o).toEqual(orders[0])
    const aliceView = await allMessages(alice, groupId)
    expect(new Set(texts(aliceView))).toEqual(new Set(sends.map(s => s.text)))
    // Each author's own messages keep their order.
    for (const p of everyone) expect(texts(aliceView).filter(t => t.startsWith(p.name))).toEqual([0, 1, 2, 3].map(j => `${p.name} ${j}`))
    // Members see the group's creation and its five members.
    for (const p of everyone) {
      const members = await p.hearth.api['groups.members']({ groupId })
      expect(members.map(m => m.peerId).sort()).toEqual(everyone.map(e => e.hearth.peerId).sort())
      expect(members.filter(m => m.admin).map(m => m.peerId)).toEqual([alice.hearth.peerId])
    }
    // My messages end up delivered to all four others.
    await waitFor(async () => (await allMessages(alice, groupId)).filter(m => m.outgoing && m.kind !== 'system').every(m => m.receipts?.delivered === 4 && m.receipts.of === 4 && m.status === 'delivered'), 'alice\'s messages delivered to 4 of 4')
    // The group list says the same of the last one.
    const last = (await alice.hearth.api['groups.list']({}))[0]?.lastMessage
    if (last?.outgoing === true) expect(last.status).toBe('delivered')
  })

  it('the creator offline while the others chat, then catching up from a member who did not write them', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Carol'].map(async n => peer(n)))
    const [alice, bob, carol] = refs.map(r => r.current) as [TestPeer, TestPeer, TestPeer]
    await befriend(alice, bob)
    await befriend(alice, carol)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Book club', members: [bob.hearth.peerId, carol.hearth.peerId] })
    await alice.hearth.api['messages.send']({ to: groupId, text: 'welcome' })
    for (const p of [bob, carol]) await waitFor(async () => texts(await allMessages(p, groupId)).includes('welcome'), `${p.name} to get the welcome`)
    // Bob and Carol are not contacts; the group makes them reach each other.
    await waitFor(async () => (await bob.hearth.api['groups.members']({ groupId })).find(m => m.peerId === carol.hearth.peerId)?.online === true, 'bob to reach carol')

    await alice.hearth.close()
    for (let i = 0; i < 5; i++) {
      await bob.hearth.api['messages.send']({ to: groupId, text: `bob ${i}` })
      await carol.hearth.api['messages.send']({ to: groupId, text: `carol ${i}` })
    }
    const want = ['welcome', ...[0, 1, 2, 3, 4].flatMap(i => [`bob ${i}`, `carol ${i}`])]
    for (const p of [bob, carol]) await waitFor(async () => texts(await allMessages(p, groupId)).length === 11, `${p.name} to have all 11`)
    // Bob goes too: Alice can only catch up from Carol, who did not write Bob's messages.
    await bob.hearth.close()
    refs[0]!.current = await restartPeer(alice)
    await waitFor(async () => texts(await allMessages(refs[0]!.current, groupId)).length === 11, 'alice to catch up from carol')
    expect(texts(await allMessages(refs[0]!.current, groupId))).toEqual(texts(await allMessages(carol, groupId)))
    expect(new Set(texts(await allMessages(refs[0]!.current, groupId)))).toEqual(new Set(want))
    refs[1]!.current = await restartPeer(bob)
  })

  it('a member away for 200 messages catches up, in order, without duplicates', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Dave'].map(async n => peer(n)))
    const [alice, bob, dave] = refs.map(r => r.current) as [TestPeer, TestPeer, TestPeer]
    await befriend(alice, bob)
    await befriend(alice, dave)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Team', members: [bob.hearth.peerId, dave.hearth.peerId] })
    await waitFor(async () => (await dave.hearth.api['groups.list']({})).length === 1, 'dave to have the group')
    await dave.hearth.close()
    for (let i = 0; i < 100; i++) {
      await alice.hearth.api['messages.send']({ to: groupId, text: `alice ${i}` })
      await bob.hearth.api['messages.send']({ to: groupId, text: `bob ${i}` })
    }
    await waitFor(async () => texts(await allMessages(bob, groupId)).length === 200, 'bob to have all 200')
    const back = await restartPeer(dave)
    refs[2]!.current = back
    await waitFor(async () => texts(await allMessages(back, groupId)).length === 200, 'dave to catch up on 200', 30_000)
    const davesView = await allMessages(back, groupId)
    expect(davesView.map(m => m.id)).toEqual((await allMessages(alice, groupId)).map(m => m.id))
    expect(new Set(davesView.map(m => m.id)).size).toBe(davesView.length)
    expect(back.events.filter(e => e.name === 'message.received' && (e.payload as { kind?: string }).kind !== 'system')).toHaveLength(200)
    // Dave's reading shows up on the authors' side.
    await back.hearth.api['messages.markRead']({ with: groupId })
    await waitFor(async () => (await allMessages(alice, groupId)).filter(m => m.outgoing && m.kind !== 'system').every(m => m.receipts?.read === 2 || m.receipts?.read === 1), 'reads to reach alice')
  })

  it('two admins adding and removing at once converge on one group, and say so on every screen', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Carol', 'Dave', 'Erin'].map(async n => peer(n)))
    const [alice, bob, carol, dave, erin] = refs.map(r => r.current) as [TestPeer, TestPeer, TestPeer, TestPeer, TestPeer]
    for (const p of [bob, carol, dave, erin]) await befriend(alice, p)
    for (const p of [carol, dave, erin]) await befriend(bob, p)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Committee', members: [bob.hearth.peerId, carol.hearth.peerId] })
    await alice.hearth.api['groups.promote']({ groupId, peerId: bob.hearth.peerId })
    await waitFor(async () => (await bob.hearth.api['groups.list']({}))[0]?.admin === true, 'bob to be an admin')
    const view = async (p: TestPeer): Promise<string> => JSON.stringify((await p.hearth.api['groups.members']({ groupId })).map(m => [m.peerId, m.admin]))

    // Both admins change the group at the same moment. (Usually neither has
    // heard of the other's change yet; if one has, its call is refused as it
    // should be, and the group still ends the same everywhere.)
    await Promise.all([
      alice.hearth.api['groups.add']({ groupId, peerId: dave.hearth.peerId }),
      bob.hearth.api['groups.add']({ groupId, peerId: erin.hearth.peerId })
    ])
    await waitFor(async () => (await view(alice)) === (await view(bob)) && (await alice.hearth.api['groups.members']({ groupId })).length === 5, 'both adds to land')
    const both = await Promise.allSettled([
      alice.hearth.api['groups.remove']({ groupId, peerId: carol.hearth.peerId }),
      bob.hearth.api['groups.remove']({ groupId, peerId: carol.hearth.peerId })
    ])
    expect(both.some(r => r.status === 'fulfilled')).toBe(true)
    for (const r of both) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'NOT_FOUND' })
    // The admins remove each other. Made at once, the one in the group longer
    // (Alice, its creator) prevails; if one call came after the other's
    // removal had arrived, it is refused and the first one stands.
    const mutual = await Promise.allSettled([
      alice.hearth.api['groups.remove']({ groupId, peerId: bob.hearth.peerId }),
      bob.hearth.api['groups.remove']({ groupId, peerId: alice.hearth.peerId })
    ])
    for (const r of mutual) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'NOT_ALLOWED' })
    const [winner, loser] = mutual[0].status === 'fulfilled' ? [alice, bob] : [bob, alice]
    const stayed = [winner, dave, erin]
    await waitFor(async () => {
      const views = await Promise.all(stayed.map(view))
      return views.every(v => v === views[0]) && JSON.parse(views[0]!).length === 3
    }, 'the members to agree')
    const admins = new Map(JSON.parse(await view(dave)) as Array<[string, boolean]>)
    expect([...admins.keys()].sort()).toEqual(stayed.map(p => p.hearth.peerId).sort())
    expect(admins.get(winner.hearth.peerId)).toBe(true)
    await waitFor(async () => (await loser.hearth.api['groups.list']({}))[0]?.status === 'removed', `${loser.name} to know of the removal`)
    await waitFor(async () => (await carol.hearth.api['groups.list']({}))[0]?.status === 'removed', 'carol to know she was removed')
    await expect(loser.hearth.api['messages.send']({ to: groupId, text: 'still here?' })).rejects.toMatchObject({ code: 'NOT_ALLOWED' })

    await winner.hearth.api['messages.send']({ to: groupId, text: 'the three of us' })
    for (const p of [dave, erin]) await waitFor(async () => texts(await allMessages(p, groupId)).includes('the three of us'), `${p.name} to get it`)
    for (const p of [loser, carol]) expect(texts(await allMessages(p, groupId))).not.toContain('the three of us')

    // Every member's history tells the same story, as system lines.
    const story = async (p: TestPeer): Promise<string[]> => (await allMessages(p, groupId)).filter(m => m.kind === 'system').map(m => `${m.system?.group?.kind ?? 'timer'} ${m.system?.group?.peerId ?? ''}`)
    const told = await story(dave)
    expect(await story(winner)).toEqual(told)
    expect(await story(erin)).toEqual(told)
    expect(told).toEqual(expect.arrayContaining([`added ${dave.hearth.peerId}`, `added ${erin.hearth.peerId}`, `removed ${carol.hearth.peerId}`, `removed ${loser.hearth.peerId}`]))
    expect(told).not.toContain(`removed ${winner.hearth.peerId}`)
  })

  it('a disappearing group message goes from every member, and catch-up does not bring it back', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Carol'].map(async n => peer(n)))
    const [alice, bob, carol] = refs.map(r => r.current) as [TestPeer, TestPeer, TestPeer]
    await befriend(alice, bob)
    await befriend(alice, carol)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Surprise party', members: [bob.hearth.peerId, carol.hearth.peerId] })
    await waitFor(async () => (await carol.hearth.api['groups.list']({})).length === 1, 'carol to have the group')
    await carol.hearth.close()
    const { id } = await alice.hearth.api['messages.send']({ to: groupId, text: 'the cake is in the shed', expiresInSeconds: 1 })
    await alice.hearth.api['messages.send']({ to: groupId, text: 'this one stays' })
    await waitFor(async () => texts(await allMessages(bob, groupId)).includes('the cake is in the shed'), 'bob to get it')
    await bob.hearth.api['messages.markRead']({ with: groupId })
    // Gone from the sender (its clock started at send) and from the reader (at read).
    for (const p of [alice, bob]) await waitFor(async () => !texts(await allMessages(p, groupId)).includes('the cake is in the shed'), `${p.name} to lose it`, 10_000)
    expect(alice.events.some(e => e.name === 'message.expired' && (e.payload as { id: string }).id === id)).toBe(true)
    // Carol comes back: she gets what stays, and never what went.
    const back = await restartPeer(carol)
    refs[2]!.current = back
    await waitFor(async () => texts(await allMessages(back, groupId)).includes('this one stays'), 'carol to catch up')
    expect(texts(await allMessages(back, groupId))).toEqual(['this one stays'])
  })

  it('someone added to a group with a long history of changes gets the whole group, from their arrival on', async () => {
    const refs = await Promise.all(['Alice', 'Bob', 'Carol'].map(async n => peer(n)))
    const [alice, bob, carol] = refs.map(r => r.current) as [TestPeer, TestPeer, TestPeer]
    await befriend(alice, bob)
    await befriend(alice, carol)
    const { groupId } = await alice.hearth.api['groups.create']({ name: 'Renamed a lot', members: [bob.hearth.peerId] })
    await alice.hearth.api['messages.send']({ to: groupId, text: 'before carol' })
    // More changes than one frame of ops carries, and more from one author than an outsider may bring.
    for (let i = 0; i < 40; i++) await alice.hearth.api['groups.rename']({ groupId, name: `Name ${i}` })
    const shown: string[] = []
    carol.hearth.events.on('group.changed', (e) => { if (e.group.groupId === groupId) shown.push(e.group.status) })
    await alice.hearth.api['groups.add']({ groupId, peerId: carol.hearth.peerId })
    await alice.hearth.api['messages.send']({ to: groupId, text: 'welcome carol' })
    await waitFor(async () => texts(await allMessages(carol, groupId)).includes('welcome carol'), 'carol to get the group and the welcome')
    expect((await carol.hearth.api['groups.list']({}))[0]?.name).toBe('Name 39')
    // Carol was a member from the first moment she heard of the group, never shown out of it on the way.
    expect(shown.length).toBeGreaterThan(0)
    expect(shown.every(s => s === 'member')).toBe(true)
    // What was said before she came stays between those who were there.
    expect(texts(await allMessages(carol, groupId))).toEqual(['welcome carol'])
  })
})
