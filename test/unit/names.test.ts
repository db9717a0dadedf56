/**
 * Names that pass for others: the name key that folds look-alikes together,
 * the display-name rule that refuses invisible characters, and the contact
 * book's flag on a contact whose name comes to look like another's (or ours).
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { displayNameSchema } from '../../src/shared/api.js'
import { ContactBook, nameKey } from '../../src/main/core/contact-book.js'
import { newContact } from '../../src/main/core/protocols/contact/contact-protocol.js'
import { Store } from '../../src/main/core/store/store.js'
import { TEST_KDF, PASSPHRASE } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'

const BOB = '12D3KooWBXgBZDTr2ddfACdt629SstUey3TYeXv4Y3VzoksvBijs'
const CAROL = '12D3KooWAHTjhKbgBT5xVmuQqcmKUezp1h5gP5UPTdQM4f5iHMr1'
const ME = '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L'

describe('the name key', () => {
  it('folds names that look like "Bob" to the same key', () => {
    const lookalikes = [
      'bob', 'BOB', 'B. O. B.', ' Bob ', 'Bób', 'Ｂｏｂ', '𝐁𝐨𝐛',
      'Bo\u200Bb', 'Bo\u200Db', 'Bo\u2060b', 'B\u00ADob', 'Bob\uFE0F', 'Bo\u034Fb',
      '\u0412\u043Eb', '\u0392\u03BFb', 'B\u0585b', '\u13F4ob', 'B0b'
    ]
    for (const name of lookalikes) expect(nameKey(name), JSON.stringify(name)).toBe(nameKey('Bob'))
  })

  it('folds i, l, I and 1 together, and rn as m, vv as w', () => {
    expect(nameKey('Bill')).toBe(nameKey('BiII'))
    expect(nameKey('Bill')).toBe(nameKey('Bi11'))
    expect(nameKey('Carmen')).toBe(nameKey('Carrnen'))
    expect(nameKey('Owen')).toBe(nameKey('Ovven'))
    expect(nameKey('\u0410\u04CF\u0456ce')).toBe(nameKey('Alice'))
  })

  it('keeps names that look different apart', () => {
    const names = ['Bob', 'Rob', 'Bobby', 'Alice', 'Alicia', 'Ann', 'Anna', 'Олег', 'Zoë', 'Zoe Li', '李雷', '李', 'Ωmega']
    expect(new Set(names.map(nameKey)).size).toBe(names.length)
  })
})

describe('a display name', () => {
  const valid = (name: string): boolean => displayNameSchema.safeParse(name).success

  it('refuses invisible characters, which have no use in a name', () => {
    for (const invisible of ['\u200B', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u3164', '\u115F', '\uFFA0', '\u200E', '\u202E', '\u2066']) {
      expect(valid(`Bo${invisible}b`), `U+${invisible.codePointAt(0)?.toString(16)}`).toBe(false)
    }
    expect(valid('\u3164')).toBe(false)
  })

  it('keeps the joiners that emoji and some scripts need', () => {
    expect(valid('Ana 👩\u200D💻')).toBe(true)
    expect(valid('می\u200Cخواهم')).toBe(true)
    expect(valid('Flag 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}')).toBe(true)
    expect(valid('Zoë 😀')).toBe(true)
  })
})

describe('the contact book', () => {
  const dirs: Array<() => Promise<void>> = []
  afterEach(async () => { while (dirs.length > 0) await dirs.pop()?.() })

  async function book (myName = 'Alice'): Promise<{ contacts: ContactBook, store: Store, me: { name: string } }> {
    const dir = await tempDir('hearth-names-')
    const { store } = await Store.open({ dataDir: join(dir.path, 'p'), passphrase: PASSPHRASE, kdf: TEST_KDF })
    dirs.push(async () => { await store.close(); await dir.cleanup() })
    const me = { name: myName }
    return { contacts: await ContactBook.open(store, () => ({ peerId: ME, name: me.name })), store, me }
  }

  it('flags a contact that renames itself to look like another, not the other, and only while they look alike', async () => {
    const { contacts } = await book()
    await contacts.save(newContact(BOB, 'Bob', 'invite', [], 1))
    await contacts.save(newContact(CAROL, 'Carol', 'invite', [], 2))
    const carol = (): ReturnType<ContactBook['get']> => contacts.get(CAROL)

    await contacts.update(CAROL, c => ({ ...c, name: 'B0b' }))
    expect(contacts.resemblance(carol()!)).toEqual({ peerId: BOB, name: 'Bob' })
    expect(contacts.resemblance(contacts.get(BOB)!)).toBeUndefined()
    // Another change to Carol (not her name) keeps the flag.
    await contacts.update(CAROL, c => ({ ...c, verified: true }))
    expect(contacts.resemblance(carol()!)).toEqual({ peerId: BOB, name: 'Bob' })
    // Bob takes another name: the two no longer look alike.
    await contacts.update(BOB, c => ({ ...c, name: 'Robert' }))
    expect(contacts.resemblance(carol()!)).toBeUndefined()
    // Carol takes her own name back: no flag.
    await contacts.update(CAROL, c => ({ ...c, name: 'Carol' }))
    expect(carol()?.resembles).toBeUndefined()
  })

  it('flags a contact named like us, and a new contact named like an old one', async () => {
    const { contacts, me } = await book('Alice')
    await contacts.save(newContact(BOB, '\u0410lice', 'invite', [], 1))
    expect(contacts.resemblance(contacts.get(BOB)!)).toEqual({ peerId: ME, name: 'Alice' })
    me.name = 'Alicia'
    expect(contacts.resemblance(contacts.get(BOB)!)).toBeUndefined()
    await contacts.save(newContact(CAROL, 'alice', 'request', [], 2))
    expect(contacts.resemblance(contacts.get(CAROL)!)).toEqual({ peerId: BOB, name: '\u0410lice' })
  })

  it('keeps the flag across a restart', async () => {
    const { contacts, store } = await book()
    await contacts.save(newContact(BOB, 'Bob', 'invite', [], 1))
    await contacts.save(newContact(CAROL, 'Bob', 'invite', [], 2))
    const reopened = await ContactBook.open(store, () => ({ peerId: ME, name: 'Alice' }))
    expect(reopened.resemblance(reopened.get(CAROL)!)).toEqual({ peerId: BOB, name: 'Bob' })
    expect(reopened.resemblance(reopened.get(BOB)!)).toBeUndefined()
  })
})
