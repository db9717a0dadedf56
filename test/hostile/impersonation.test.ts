/**
 * Impersonation by name. A peer id is a key, and a contact is pinned by it:
 * a new key with an old name is a different peer, shown as a separate
 * request that is flagged as resembling the contact. Names that look the
 * same but are spelled differently are flagged too, names with invisible
 * characters are refused, and a contact that renames itself to look like
 * another contact (or like us) is flagged.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lpStream, pbStream } from '@libp2p/utils'
import type { Contact, Events } from '../../src/shared/api.js'
import type { HearthError } from '../../src/main/core/errors.js'
import { CHAT_PROTOCOL } from '../../src/main/core/protocols/chat/constants.js'
import { ChatFrame } from '../../src/main/core/protocols/chat/pb/chat.js'
import { CONTACT_PROTOCOL } from '../../src/main/core/protocols/contact/constants.js'
import { ContactHello, ContactReply } from '../../src/main/core/protocols/contact/pb/contact.js'
import { befriend, deferrals, hearthPeer, testMdns } from '../fixtures/peers.js'
import { ChatMeter, addressOf, rawNode, rogueContact } from '../fixtures/hostile.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { sleep, waitFor } from '../fixtures/wait.js'

const defer = deferrals(afterEach)

/** A name with everything outside printable ASCII spelled as an escape, so the summary shows what is there. */
const visible = (name: string): string => name.replace(/[^\x20-\x7e]/gu, c => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`)

describe('impersonation by name', () => {
  it('a fresh identity named like a contact is a separate request, flagged as resembling it; the contact list is unchanged', async () => {
    const mdns = testMdns()
    const alice = await hearthPeer(defer, 'Alice', { mdns })
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const contactsBefore = await alice.hearth.api['contacts.list']({})
    const requests: Array<Events['contact.request']> = []
    alice.hearth.events.on('contact.request', (e) => { requests.push(e) })

    // Mallory: a new key, Bob's name, asking over the nearby list like anyone would.
    const mallory = await hearthPeer(defer, 'Bob', { mdns })
    await waitFor(async () => (await mallory.hearth.api['peers.nearby']({})).some(p => p.peerId === alice.hearth.peerId), 'alice nearby for mallory')
    expect(await mallory.hearth.api['contacts.request']({ peerId: alice.hearth.peerId })).toEqual({ peerId: alice.hearth.peerId, state: 'requested' })
    await waitFor(() => requests.length > 0, 'the request')

    const flagged = { peerId: mallory.hearth.peerId, name: 'Bob', resembles: { peerId: bob.hearth.peerId, name: 'Bob' } }
    expect(mallory.hearth.peerId).not.toBe(bob.hearth.peerId)
    expect(requests).toEqual([flagged])
    expect((await alice.hearth.api['contacts.requests']({})).map(r => ({ peerId: r.peerId, name: r.name, resembles: r.resembles }))).toEqual([flagged])
    expect(await alice.hearth.api['contacts.list']({})).toEqual(contactsBefore)

    // Mallory cannot write to Alice, and what Alice writes to "Bob" goes to Bob.
    let refused: string | undefined
    try {
      await mallory.hearth.api['messages.send']({ to: alice.hearth.peerId, text: 'it is me, Bob' })
    } catch (err) {
      refused = (err as HearthError).code
    }
    expect(refused).toBe('NOT_A_CONTACT')
    const chat = new ChatMeter(alice, bob)
    await chat.send('to the real Bob')
    expect(await mallory.hearth.api['messages.list']({ with: alice.hearth.peerId })).toEqual([])
    expect(await alice.hearth.api['messages.list']({ with: mallory.hearth.peerId })).toEqual([])

    recordScenario({ scenario: 'impersonation: same name, new key', chat: await chat.tally(), faults: { 'impostor requests': 1 } })
  })

  it('names spelled with look-alike letters, joiners or accents are flagged as resembling the contact; invisible characters are refused', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)

    /** A stranger with a fresh key sends a contact request by hand; resolves to its peer id and the reply. */
    const ask = async (name: string): Promise<{ peerId: string, status: ContactReply.Status }> => {
      const stranger = await rawNode(defer)
      const stream = await stranger.dialProtocol(addressOf(alice), CONTACT_PROTOCOL)
      const pb = pbStream(stream)
      await pb.write({ request: { name } }, ContactHello)
      const { status } = await pb.read(ContactReply)
      await stream.close()
      const peerId = stranger.peerId.toString()
      // Gone, as a stranger's one-off request would be (and one host may hold only a few connections).
      await stranger.stop()
      return { peerId, status }
    }
    // Within the request burst (5), and under 5 connections a second.
    const names = {
      'lower case': 'bob',
      'zero-width joiner': 'Bo\u200Db',
      'Cyrillic look-alikes': '\u0412\u043Eb',
      'Greek and a zero': '\u03920b',
      'full width and an accent': '\uFF22\u00F3b'
    }
    const asked = new Map<string, string>()
    for (const [label, name] of Object.entries(names)) {
      const { peerId, status } = await ask(name)
      expect(status, label).toBe(ContactReply.Status.OK)
      asked.set(peerId, label)
      await sleep(250)
    }
    // A zero-width space has no use in a name: the request is refused as invalid, and nothing is kept.
    const invisible = await ask('Bo\u200Bb')
    expect(invisible.status).toBe(ContactReply.Status.INVALID)

    const requests = await alice.hearth.api['contacts.requests']({})
    expect(requests.map(r => asked.get(r.peerId)).sort()).toEqual(Object.keys(names).sort())
    const flagged = requests.filter(r => r.resembles?.peerId === bob.hearth.peerId && r.resembles.name === 'Bob').map(r => asked.get(r.peerId))
    expect(flagged.sort()).toEqual(Object.keys(names).sort())
    expect((await alice.hearth.api['contacts.list']({})).map(c => c.peerId)).toEqual([bob.hearth.peerId])
    recordScenario({
      scenario: 'impersonation: look-alike names',
      faults: { 'impostor requests': asked.size + 1 },
      notes: [`${flagged.length} of ${asked.size} requests named like "Bob" (${Object.values(names).map(n => `"${visible(n)}"`).join(', ')}) flagged as resembling the contact; "${visible('Bo\u200Bb')}" refused as invalid`]
    })
  })

  it('a contact that renames itself to look like another contact, or like us, is flagged: in the event, in the contact list, until it no longer does', async () => {
    const alice = await hearthPeer(defer, 'Alice')
    const bob = await hearthPeer(defer, 'Bob')
    await befriend(alice, bob)
    const rogue = await rogueContact(defer, alice, 'Rogue')
    const rogueId = rogue.peerId.toString()
    const renamed: Array<Events['contact.renamed']> = []
    alice.hearth.events.on('contact.renamed', (e) => { renamed.push(e) })

    /** A profile frame on the chat stream, as any contact's rename would travel. */
    const rename = async (name: string): Promise<Events['contact.renamed']> => {
      const stream = await rogue.dialProtocol(addressOf(alice), CHAT_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(ChatFrame.encode({ profile: { id: crypto.getRandomValues(new Uint8Array(16)), name } }))
      expect(ChatFrame.decode(await lp.read()).ack?.ids).toHaveLength(1)
      await stream.close()
      await waitFor(() => renamed.some(e => e.name === name), `the rename to ${name}`)
      return renamed.find(e => e.name === name)!
    }
    const listed = async (peerId: string): Promise<Contact | undefined> => (await alice.hearth.api['contacts.list']({})).find(c => c.peerId === peerId)

    // Bob's name: kept (it is the contact's to choose), and flagged as looking like Bob's.
    expect(await rename('B0b')).toEqual({ peerId: rogueId, name: 'B0b', resembles: { peerId: bob.hearth.peerId, name: 'Bob' } })
    expect(await listed(rogueId)).toMatchObject({ name: 'B0b', resembles: { peerId: bob.hearth.peerId, name: 'Bob' } })
    // The real Bob is not the one flagged.
    expect((await listed(bob.hearth.peerId))?.resembles).toBeUndefined()

    // Our own name: flagged as looking like us.
    expect((await rename('alice')).resembles).toEqual({ peerId: alice.hearth.peerId, name: 'Alice' })
    expect((await listed(rogueId))?.resembles).toEqual({ peerId: alice.hearth.peerId, name: 'Alice' })

    // A name of its own: no flag.
    expect((await rename('Rogue')).resembles).toBeUndefined()
    expect((await listed(rogueId))?.resembles).toBeUndefined()
    recordScenario({
      scenario: 'impersonation: rename',
      faults: { 'profile frames': 3 },
      notes: ['a contact renaming itself "B0b" (like Bob) or "alice" (like us) keeps the name and is flagged, in contact.renamed and contacts.list, until it takes a name of its own']
    })
  })
})
