import { describe, expect, it } from 'vitest'
import { NOTIFICATION_TEXT_LIMIT, notificationFor, notifyOnMessages, type NotificationContent } from '../../src/main/app/notifications.js'
import { Emitter } from '../../src/main/core/emitter.js'
import { HearthError } from '../../src/main/core/errors.js'
import type { ApiHandlers, Contact, Events, Settings } from '../../src/shared/api.js'

const OPEN = { locked: false, hideText: false }
const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const OTHER = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const GROUP = 'grp-00112233445566778899aabbccddeeff'

describe('notificationFor', () => {
  it('shows the sender and the text when unlocked and allowed', () => {
    expect(notificationFor({ senderName: 'Alice', text: 'Dinner at eight?' }, OPEN)).toEqual({ title: 'Alice', body: 'Dinner at eight?' })
  })

  it('says only "Hearth" / "New message" when locked or when text is hidden', () => {
    const message = { senderName: 'Alice', text: 'the secret plan' }
    for (const options of [{ locked: true, hideText: false }, { locked: false, hideText: true }, { locked: true, hideText: true }]) {
      const content = notificationFor(message, options)
      expect(content).toEqual({ title: 'Hearth', body: 'New message' })
      expect(JSON.stringify(content)).not.toMatch(/Alice|secret|plan/)
    }
  })

  it('truncates long text to about 120 characters, at a character boundary', () => {
    const long = 'word '.repeat(100)
    const { body } = notificationFor({ senderName: 'A', text: long }, OPEN)
    expect([...body].length).toBeLessThanOrEqual(NOTIFICATION_TEXT_LIMIT)
    expect([...body].length).toBeGreaterThan(100)
    expect(body.endsWith('…')).toBe(true)
    expect(NOTIFICATION_TEXT_LIMIT).toBe(120)
    // Emoji and combined characters are never cut in half.
    const emoji = notificationFor({ senderName: 'A', text: '👩‍👩‍👧'.repeat(200) }, OPEN).body
    expect(emoji).toBe('👩‍👩‍👧'.repeat(119) + '…')
    expect(notificationFor({ senderName: 'A', text: 'x'.repeat(120) }, OPEN).body).toBe('x'.repeat(120))
  })

  it('keeps the text on one plain line: no control, direction or markup characters', () => {
    const { title, body } = notificationFor({ senderName: 'Bob', text: 'line one\nline\ttwo\u202Eevil\u0007 <b>bold</b> <img src="http://x/y.png"> & co' }, OPEN)
    expect(title).toBe('Bob')
    expect(body).toBe('line one line two evil ‹b›bold‹/b› ‹img src="http://x/y.png"› & co')
    for (const ch of ['<', '>', '\n', '\t', '\u202e', '\u0007']) expect(body).not.toContain(ch)
  })

  it('falls back to generic words when the name or the text is empty', () => {
    expect(notificationFor({ text: 'hi' }, OPEN)).toEqual({ title: 'Hearth', body: 'hi' })
    expect(notificationFor({ senderName: '  ', text: ' \n ' }, OPEN)).toEqual({ title: 'Hearth', body: 'New message' })
  })
})

describe('notifyOnMessages', () => {
  const contacts: Contact[] = [{ peerId: PEER, name: 'Alice', online: true, verified: false, addedAt: 1 }]

  function setup (options: { settings?: Partial<Settings> | Error, focused?: boolean, locked?: boolean, contactsFail?: boolean } = {}) {
    const events = new Emitter<Events>()
    const shown: NotificationContent[] = []
    let contactCalls = 0
    const api = {
      'settings.get': async () => {
        if (options.settings instanceof Error) throw options.settings
        return { readReceipts: true, hideNotificationText: false, autoLockMinutes: 0, ...options.settings }
      },
      'contacts.list': async () => {
        contactCalls++
        if (options.contactsFail === true) throw new HearthError('LOCKED', 'locked')
        return contacts
      },
      'groups.list': async () => [{
        groupId: GROUP, name: 'Flat 3', admin: false, status: 'member' as const, timer: 0, createdBy: PEER, unread: 1, former: [],
        members: [{ peerId: OTHER, name: 'Bob', admin: true, you: false, contact: false, online: true }]
      }]
    } as Pick<ApiHandlers, 'settings.get' | 'contacts.list' | 'groups.list'>
    const off = notifyOnMessages({
      events,
      api,
      isLocked: () => options.locked ?? false,
      isFocused: () => options.focused ?? false,
      show: (content) => { shown.push(content) }
    })
    const receive = async (from: string, text: string, extra: Partial<Events['message.received']> = {}): Promise<void> => {
      events.emit('message.received', { id: '00112233445566778899aabbccddeeff', from, text, sentAt: 1, ...extra })
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    return { receive, shown, off, contactCalls: () => contactCalls }
  }

  it('shows sender and text while the window is not focused', async () => {
    const { receive, shown } = setup()
    await receive(PEER, 'hello')
    expect(shown).toEqual([{ title: 'Alice', body: 'hello' }])
  })

  it('shows nothing while the window is focused', async () => {
    const { receive, shown } = setup({ focused: true })
    await receive(PEER, 'hello')
    expect(shown).toEqual([])
  })

  it('honours hideNotificationText, without even looking up the name', async () => {
    const { receive, shown, contactCalls } = setup({ settings: { hideNotificationText: true } })
    await receive(PEER, 'hello')
    expect(shown).toEqual([{ title: 'Hearth', body: 'New message' }])
    expect(contactCalls()).toBe(0)
  })

  it('says nothing about the message if the settings cannot be read, or once locked', async () => {
    const failing = setup({ settings: new HearthError('LOCKED', 'locked') })
    await failing.receive(PEER, 'hello')
    expect(failing.shown).toEqual([{ title: 'Hearth', body: 'New message' }])
    const locked = setup({ locked: true })
    await locked.receive(PEER, 'hello')
    expect(locked.shown).toEqual([{ title: 'Hearth', body: 'New message' }])
  })

  it('uses a generic title for an unknown sender or when contacts fail', async () => {
    const unknown = setup()
    await unknown.receive(OTHER, 'hello')
    expect(unknown.shown).toEqual([{ title: 'Hearth', body: 'hello' }])
    const failing = setup({ contactsFail: true })
    await failing.receive(PEER, 'hello')
    expect(failing.shown).toEqual([{ title: 'Hearth', body: 'hello' }])
  })

  it('names the author and the group for a group message, and stays quiet for a group\'s system lines', async () => {
    const { receive, shown } = setup()
    await receive(OTHER, 'dinner at 8?', { group: GROUP })
    await receive(OTHER, '', { group: GROUP, kind: 'system', system: { by: OTHER, group: { kind: 'left' } } })
    expect(shown).toEqual([{ title: 'Bob in Flat 3', body: 'dinner at 8?' }])
  })

  it('stops when unsubscribed', async () => {
    const { receive, shown, off } = setup()
    off()
    await receive(PEER, 'hello')
    expect(shown).toEqual([])
  })
})
