import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Contact, Message } from '../../src/shared/api'
import Main from '../../src/renderer/src/components/Main.svelte'
import { authorColor, BUBBLE, contrast, hexToRgb, MIN_CONTRAST } from '../../src/renderer/src/lib/colors'
import { receiptLabel, systemText } from '../../src/renderer/src/lib/groups'
import { createChat } from '../../src/renderer/src/state/chat.svelte'
import { createDirectory } from '../../src/renderer/src/state/directory.svelte'
import { createSession } from '../../src/renderer/src/state/session.svelte'
import { FakeWorld } from './fake-client'

afterEach(() => { cleanup() })

const ME = '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L'
const BOB = '12D3KooWBXgBZDTr2ddfACdt629SstUey3TYeXv4Y3VzoksvBijs'
const CAROL = '12D3KooWAHTjhKbgBT5xVmuQqcmKUezp1h5gP5UPTdQM4f5iHMr1'
const DAVE = '12D3KooWNc1X4FmPrrD4qhyaioYsCFPJdgpMqYGUNGpWnUSzvDWe'
/** Not a contact of mine: Bob put her in the group. */
const ERIN = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const HOUR = 3_600_000

const contact = (peerId: string, name: string, online: boolean): Contact => ({ peerId, name, online, verified: false, addedAt: 1 })

function world (): FakeWorld {
  return new FakeWorld({ peerId: ME, name: 'Alice' }, [contact(BOB, 'Bob', true), contact(CAROL, 'Carol', false), contact(DAVE, 'Dave', true)])
}

function text (w: FakeWorld, groupId: string, from: string, body: string, sentAt: number, extra: Partial<Message> = {}): Message {
  return { id: w.id(), from, with: groupId, text: body, sentAt, status: from === ME ? 'sent' : 'read', outgoing: from === ME, ...extra }
}

async function mount (w: FakeWorld) {
  const session = createSession(w.fake.client)
  session.identity = { peerId: ME, name: 'Alice', addresses: [] }
  render(Main, { props: { client: w.fake.client, session } })
  return within(await screen.findByRole('navigation', { name: 'Conversations' }))
}

async function openGroup (w: FakeWorld, name: string) {
  const list = await mount(w)
  await fireEvent.click(await list.findByRole('button', { name: new RegExp(`^Group ${name}`) }))
  return within(await screen.findByRole('region', { name: `Group ${name}` }))
}

/** What a screen reader says for an element, near enough: its text without what is hidden from it, spaces folded. */
function said (el: Element | null | undefined): string {
  if (el == null) return ''
  const copy = el.cloneNode(true) as Element
  for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove()
  return copy.textContent?.replace(/\s+/g, ' ').trim() ?? ''
}

const bubbles = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('.bubble')]
const notes = (): string[] => screen.queryAllByRole('note').map(n => n.textContent?.trim() ?? '')

/** A group of me (admin or not), Bob (its creator), Carol and Erin, with some history. */
function flat3 (w: FakeWorld, admin: boolean) {
  const t0 = Date.now() - 5 * HOUR
  const members = [w.member(BOB, true), w.member(ME, admin), w.member(CAROL), { ...w.member(ERIN), name: 'Erin' }]
  const g = w.addGroup({ name: 'Flat 3', admin, createdBy: BOB, members })
  w.groups.get(g.groupId)!.messages.push(
    w.line(g.groupId, BOB, { group: { kind: 'created', name: 'Flat 3' } }, t0),
    w.line(g.groupId, BOB, { group: { kind: 'added', peerId: ERIN, name: 'Erin' } }, t0 + 1000),
    text(w, g.groupId, BOB, 'Who has the spare key?', t0 + 60_000),
    text(w, g.groupId, BOB, 'It is not under the mat', t0 + 61_000),
    text(w, g.groupId, ERIN, 'I do', t0 + 120_000),
    w.line(g.groupId, DAVE, { group: { kind: 'left' } }, t0 + 130_000),
    w.line(g.groupId, BOB, { group: { kind: 'renamed', name: 'Flat 3' } }, t0 + 140_000),
    w.line(g.groupId, BOB, { timer: 3600 }, t0 + 150_000),
    text(w, g.groupId, ME, 'Thanks Erin', t0 + 180_000, { receipts: { delivered: 2, read: 1, of: 3 } })
  )
  return g
}

describe('creating a group', () => {
  it('names it, picks contacts, and opens it at the top of the list', async () => {
    const w = world()
    w.messages.set(BOB, [{ id: w.id(), from: BOB, with: BOB, text: 'hi', sentAt: Date.now() - HOUR, status: 'read', outgoing: false }])
    const list = await mount(w)
    await list.findByRole('button', { name: /^Bob/ })
    await fireEvent.click(screen.getAllByRole('button', { name: 'New group' })[0]!)
    const dialog = within(screen.getByRole('dialog', { name: 'New group' }))
    const create = dialog.getByRole('button', { name: 'Create group' }) as HTMLButtonElement
    expect(create.disabled).toBe(true)
    // Only contacts are offered.
    expect(dialog.getAllByRole('checkbox').map(c => said(c.closest('label')))).toEqual(['Bob, online', 'Carol, offline', 'Dave, online'])
    await fireEvent.input(dialog.getByLabelText('Group name'), { target: { value: '  Flat 3 ' } })
    await fireEvent.click(dialog.getByRole('checkbox', { name: /Bob/ }))
    await fireEvent.click(dialog.getByRole('checkbox', { name: /Carol/ }))
    expect(dialog.getByText('2 chosen, up to 31')).toBeTruthy()
    await fireEvent.click(create)

    const view = within(await screen.findByRole('region', { name: 'Group Flat 3' }))
    expect(w.fake.calls.find(c => c.method === 'groups.create')?.params).toEqual({ name: 'Flat 3', members: [BOB, CAROL] })
    expect(view.getByRole('heading', { name: 'Flat 3' })).toBeTruthy()
    await expect.poll(notes).toEqual(['You created the group “Flat 3”'])
    // The new group comes first, above Bob's older conversation, and says what happened.
    const entries = list.getAllByRole('button')
    expect(entries[0]?.textContent).toContain('Flat 3')
    expect(entries[0]?.getAttribute('aria-current')).toBe('true')
    expect(entries[0]?.textContent).toContain('You created the group “Flat 3”')
    expect(entries[1]?.textContent).toContain('Bob')
    // No typing indicators go to a group.
    await fireEvent.input(view.getByRole('textbox', { name: 'Message' }), { target: { value: 'hello all' } })
    expect(w.fake.calls.some(c => c.method === 'typing.set')).toBe(false)
  })

  it('lists groups among conversations by recency, with the author of the last message and unread counts', async () => {
    const w = world()
    const g = flat3(w, false)
    w.groups.get(g.groupId)!.unread = 3
    w.messages.set(CAROL, [{ id: w.id(), from: CAROL, with: CAROL, text: 'later', sentAt: Date.now(), status: 'read', outgoing: false }])
    const list = await mount(w)
    const group = await list.findByRole('button', { name: /^Group Flat 3/ })
    expect(group.textContent).toContain('You: Thanks Erin')
    expect(within(group).getByLabelText('3 unread')).toBeTruthy()
    expect(within(group).getByRole('img', { name: 'Sent' })).toBeTruthy()
    const names = list.getAllByRole('button').map(b => b.querySelector('.name')?.textContent)
    expect(names).toEqual(['Carol', 'Group Flat 3', 'Bob', 'Dave'])

    // A message from Erin: her name in the preview, one more unread, and the group goes to the top.
    w.fake.emit('message.received', { id: w.id(), from: ERIN, text: 'Key is on the hook', sentAt: Date.now() + 1000, group: g.groupId })
    await expect.poll(() => group.textContent).toContain('Erin: Key is on the hook')
    expect(within(group).getByLabelText('4 unread')).toBeTruthy()
    expect(list.getAllByRole('button')[0]).toBe(group)
  })
})

describe('a group conversation', () => {
  it('shows who wrote what, each author in a colour of their own, and the group\'s changes as lines', async () => {
    const w = world()
    flat3(w, false)
    await openGroup(w, 'Flat 3')
    await expect.poll(() => bubbles().length).toBe(4)
    expect(notes()).toEqual([
      'Bob created the group “Flat 3”',
      'Bob added Erin',
      'Dave left',
      'Bob renamed the group to “Flat 3”',
      'Bob set disappearing messages to 1 hour'
    ])
    const authors = bubbles().map(b => b.querySelector('.author')?.textContent ?? null)
    // The name heads each run of one author's messages; mine carry none.
    expect(authors).toEqual(['Bob', null, 'Erin', null])
    const colour = (b: HTMLElement): string => (b.querySelector('.author') as HTMLElement).style.getPropertyValue('--author-light')
    expect(colour(bubbles()[0]!)).toBe(authorColor(BOB).light)
    expect(colour(bubbles()[2]!)).toBe(authorColor(ERIN).light)
    expect(colour(bubbles()[0]!)).not.toBe(colour(bubbles()[2]!))
    expect(screen.getByRole('heading', { name: 'Flat 3' }).parentElement?.textContent).toContain('4 members, 1 of 3 online')
  })

  it('says when members come, go and are promoted, as it happens', async () => {
    const w = world()
    const g = flat3(w, true)
    await openGroup(w, 'Flat 3')
    await expect.poll(() => bubbles().length).toBe(4)
    w.change(g.groupId, BOB, i => i, { group: { kind: 'added', peerId: DAVE, name: 'Dave' } })
    w.change(g.groupId, BOB, i => i, { group: { kind: 'promoted', peerId: ME, name: 'Alice' } })
    w.change(g.groupId, ERIN, i => i, { group: { kind: 'left' } })
    w.change(g.groupId, BOB, i => i, { group: { kind: 'removed', peerId: CAROL, name: 'Carol' } })
    await expect.poll(() => notes().slice(-4)).toEqual(['Bob added Dave', 'Bob made you an admin', 'Erin left', 'Bob removed Carol'])
  })

  it('offers only "delete for me" and delivery details on my group messages (no edit, no delete for everyone)', async () => {
    const w = world()
    flat3(w, false)
    await openGroup(w, 'Flat 3')
    await expect.poll(() => bubbles().length).toBe(4)
    const mine = bubbles().find(b => b.textContent?.includes('Thanks Erin'))!
    await fireEvent.click(within(mine).getByRole('button', { name: 'Message actions' }))
    expect(within(mine).getAllByRole('menuitem').map(i => i.textContent)).toEqual(['Delivery details', 'Delete for me'])
    const theirs = bubbles().find(b => b.textContent?.includes('I do'))!
    await fireEvent.click(within(theirs).getByRole('button', { name: 'Message actions' }))
    expect(within(theirs).getAllByRole('menuitem').map(i => i.textContent)).toEqual(['Delete for me'])
  })

  it('shows k of n ticks on my messages, and who has them, kept current', async () => {
    const w = world()
    const g = flat3(w, false)
    const view = await openGroup(w, 'Flat 3')
    await fireEvent.input(view.getByRole('textbox', { name: 'Message' }), { target: { value: 'Dinner at 8?' } })
    await fireEvent.keyDown(view.getByRole('textbox', { name: 'Message' }), { key: 'Enter' })
    const bubble = await vi.waitFor(() => {
      const b = bubbles().find(b => b.textContent?.includes('Dinner at 8?'))
      if (b == null) throw new Error('not sent yet')
      return b
    })
    const ticks = (): HTMLElement => within(bubble).getByRole('button', { name: /of 3|Waiting|Sent/ })
    expect(ticks().getAttribute('aria-label')).toBe('Waiting to send')
    const id = bubble.dataset.messageId!
    w.fake.emit('message.status', { id, with: g.groupId, status: 'sent', receipts: { delivered: 1, read: 0, of: 3 } })
    await expect.poll(() => ticks().getAttribute('aria-label')).toBe('Delivered to 1 of 3')
    expect(ticks().textContent).toContain('1/3')

    const erin = { ...w.member(ERIN), name: 'Erin' }
    w.receipts.set(id, { delivered: [w.member(BOB), erin], read: [w.member(BOB)], waiting: [w.member(CAROL)] })
    w.fake.emit('message.status', { id, with: g.groupId, status: 'sent', receipts: { delivered: 2, read: 1, of: 3 } })
    await expect.poll(() => ticks().getAttribute('aria-label')).toBe('Read by 1 of 3, delivered to 2 of 3')
    // An older event never takes the counts back.
    w.fake.emit('message.status', { id, with: g.groupId, status: 'sent', receipts: { delivered: 1, read: 0, of: 3 } })
    expect(ticks().getAttribute('aria-label')).toBe('Read by 1 of 3, delivered to 2 of 3')

    await fireEvent.click(ticks())
    const dialog = within(await screen.findByRole('dialog', { name: 'Who has your message' }))
    const section = (name: RegExp): string[] => Array.from(dialog.getByRole('list', { name }).querySelectorAll('li'), li => said(li))
    await expect.poll(() => section(/Read by/)).toEqual(['Bob, online'])
    expect(section(/Delivered, not read yet/)).toEqual(['Erin, offline'])
    expect(section(/Waiting for it/)).toEqual(['Carol, offline'])

    // Carol gets it and everyone reads it: the list and the ticks follow.
    w.receipts.set(id, { delivered: [w.member(BOB), erin, w.member(CAROL)], read: [w.member(BOB), erin, w.member(CAROL)], waiting: [] })
    w.fake.emit('message.status', { id, with: g.groupId, status: 'read', receipts: { delivered: 3, read: 3, of: 3 } })
    await expect.poll(() => section(/Read by/)).toEqual(['Bob, online', 'Erin, offline', 'Carol, offline'])
    expect(section(/Waiting for it/)).toEqual(['Nobody: every member has it.'])
    expect(ticks().getAttribute('aria-label')).toBe('Read by 3 of 3')
  })
})

describe('the member panel', () => {
  it('shows members with online dots and admin badges, and gives an admin the admin actions', async () => {
    const w = world()
    const g = flat3(w, true)
    const view = await openGroup(w, 'Flat 3')
    await fireEvent.click(view.getByRole('button', { name: 'Members' }))
    const panel = within(await screen.findByRole('dialog', { name: 'Flat 3' }))
    const rows = (): HTMLElement[] => panel.getAllByRole('listitem').filter(li => li.classList.contains('member'))
    await expect.poll(() => rows().length).toBe(4)
    expect(rows().map(r => said(r.querySelector('.name')))).toEqual(['Bob', 'Alice (you)', 'Carol', 'Erin'])
    expect(rows().map(r => r.querySelector('.admin-badge') != null)).toEqual([true, true, false, false])
    expect(rows().map(r => r.querySelector('.dot.online') != null)).toEqual([true, true, false, false])
    expect(rows()[3]?.textContent).toContain('not a contact')

    // Promote Carol.
    await fireEvent.click(panel.getByRole('button', { name: 'Make Carol an admin' }))
    expect(w.fake.calls.find(c => c.method === 'groups.promote')?.params).toEqual({ groupId: g.groupId, peerId: CAROL })
    await expect.poll(() => rows()[2]?.querySelector('.admin-badge') != null).toBe(true)

    // Add Dave: the picker offers only contacts not in the group.
    const picker = panel.getByRole('combobox', { name: 'Contact to add' }) as HTMLSelectElement
    expect([...picker.options].filter(o => !o.disabled).map(o => o.textContent)).toEqual(['Dave'])
    await fireEvent.change(picker, { target: { value: DAVE } })
    await fireEvent.click(panel.getByRole('button', { name: 'Add' }))
    await expect.poll(() => rows().map(r => r.querySelector('.name')?.textContent)).toContain('Dave')
    expect(w.fake.calls.find(c => c.method === 'groups.add')?.params).toEqual({ groupId: g.groupId, peerId: DAVE })

    // Removing asks first.
    await fireEvent.click(panel.getByRole('button', { name: 'Remove Erin' }))
    expect(w.fake.calls.some(c => c.method === 'groups.remove')).toBe(false)
    const confirm = within(panel.getByRole('group', { name: 'Confirm removal' }))
    await fireEvent.click(confirm.getByRole('button', { name: 'Remove Erin' }))
    expect(w.fake.calls.find(c => c.method === 'groups.remove')?.params).toEqual({ groupId: g.groupId, peerId: ERIN })
    await expect.poll(() => rows().map(r => r.querySelector('.name')?.textContent)).not.toContain('Erin')
    await expect.poll(() => notes().slice(-3)).toEqual(['You made Carol an admin', 'You added Dave', 'You removed Erin'])
  })

  it('gives a member who is not an admin rename and leave, and none of the admin actions', async () => {
    const w = world()
    const g = flat3(w, false)
    const view = await openGroup(w, 'Flat 3')
    await fireEvent.click(view.getByRole('button', { name: 'Members' }))
    const panel = within(await screen.findByRole('dialog', { name: 'Flat 3' }))
    await panel.findByText(/\(you\)/)
    expect(panel.queryByRole('button', { name: /^Remove/ })).toBeNull()
    expect(panel.queryByRole('button', { name: /^Make .* an admin/ })).toBeNull()
    expect(panel.queryByRole('combobox', { name: 'Contact to add' })).toBeNull()
    expect(panel.getByText('Only the group\'s admins can add, remove and promote members.')).toBeTruthy()

    await fireEvent.input(panel.getByLabelText('Group name'), { target: { value: 'Flat 3b' } })
    await fireEvent.click(panel.getByRole('button', { name: 'Rename' }))
    expect(w.fake.calls.find(c => c.method === 'groups.rename')?.params).toEqual({ groupId: g.groupId, name: 'Flat 3b' })
    await view.findByRole('heading', { name: 'Flat 3b' })
    await expect.poll(() => notes().at(-1)).toBe('You renamed the group to “Flat 3b”')

    // Leaving asks first, then the group stays, read-only.
    await fireEvent.click(panel.getByRole('button', { name: 'Leave group…' }))
    expect(w.fake.calls.some(c => c.method === 'groups.leave')).toBe(false)
    await fireEvent.click(panel.getByRole('button', { name: 'Leave the group' }))
    expect(w.fake.calls.find(c => c.method === 'groups.leave')?.params).toEqual({ groupId: g.groupId })
    await panel.findByText(/You left this group/)
    expect(panel.queryByLabelText('Group name')).toBeNull()
    expect(panel.queryByRole('button', { name: 'Leave group…' })).toBeNull()
    await fireEvent.click(panel.getByRole('button', { name: 'Close' }))
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull()
    expect(screen.getByText(/You left this group\. Its history stays on this computer, read-only\./)).toBeTruthy()
  })
})

describe('after removal', () => {
  it('keeps the history, read-only, the moment an admin removes me', async () => {
    const w = world()
    const g = flat3(w, false)
    const view = await openGroup(w, 'Flat 3')
    await expect.poll(() => bubbles().length).toBe(4)
    expect(view.getByRole('textbox', { name: 'Message' })).toBeTruthy()
    w.change(g.groupId, BOB, i => ({ ...i, status: 'removed', members: i.members.filter(m => !m.you) }), { group: { kind: 'removed', peerId: ME, name: 'Alice' } })
    await expect.poll(() => view.queryByRole('textbox', { name: 'Message' })).toBeNull()
    expect(said(view.getByRole('status'))).toContain('You were removed from this group. Its history stays on this computer, read-only.')
    expect(notes().at(-1)).toBe('You were removed by Bob')
    expect(bubbles()).toHaveLength(4)
    expect((view.getByRole('combobox', { name: 'Disappearing messages' }) as HTMLSelectElement).disabled).toBe(true)
    const entry = within(screen.getByRole('navigation', { name: 'Conversations' })).getByRole('button', { name: /^Group Flat 3/ })
    expect(entry.textContent).toContain('You were removed')
  })
})

describe('group state', () => {
  it('keeps group messages out of the author\'s own conversation, and counts them for the group', async () => {
    const w = world()
    const g = flat3(w, false)
    const directory = createDirectory(w.fake.client, ME)
    directory.start()
    await directory.refresh()
    const chat = createChat(w.fake.client, BOB, ME)
    await chat.loadLatest()
    w.fake.emit('message.received', { id: w.id(), from: BOB, text: 'for the flat', sentAt: Date.now(), group: g.groupId })
    expect(chat.rows).toHaveLength(0)
    expect(directory.summary(BOB)?.unread).toBe(0)
    expect(directory.group(g.groupId)?.unread).toBe(1)
    expect(directory.group(g.groupId)?.lastMessage).toMatchObject({ text: 'for the flat', from: BOB, outgoing: false })
    // A system line is news, not an unread message.
    w.fake.emit('message.received', { id: w.id(), from: BOB, text: '', sentAt: Date.now() + 1, group: g.groupId, kind: 'system', system: { by: BOB, group: { kind: 'added', peerId: DAVE, name: 'Dave' } } })
    expect(directory.group(g.groupId)?.unread).toBe(1)
  })

  it('adds a group I was put in, when it is announced', async () => {
    const w = world()
    const directory = createDirectory(w.fake.client, ME)
    directory.start()
    await directory.refresh()
    const g = w.addGroup({ name: 'Choir', createdBy: BOB, members: [w.member(BOB, true), w.member(ME)] })
    w.fake.emit('group.changed', { group: g })
    expect(directory.entries.map(e => e.kind === 'group' ? e.summary.name : e.summary.contact.name)).toContain('Choir')
  })

  it('places a message written while we were apart among the ones it came between', async () => {
    const w = world()
    const g = flat3(w, false)
    const chat = createChat(w.fake.client, g.groupId, ME)
    await chat.loadLatest()
    const before = chat.messages().map(m => m.text)
    const erinSaid = before.indexOf('I do')
    const at = chat.messages()[erinSaid]!.sentAt + 1
    chat.onReceived({ id: w.id(), from: CAROL, text: 'me too', sentAt: at, group: g.groupId })
    expect(chat.messages().map(m => m.text)[erinSaid + 1]).toBe('me too')
  })

  it('asks for the group list a bounded number of times, however many receipts arrive', async () => {
    const w = world()
    const g = flat3(w, false)
    const directory = createDirectory(w.fake.client, ME)
    directory.start()
    await directory.refresh()
    const before = w.fake.calls.filter(c => c.method === 'groups.list').length
    for (let i = 0; i < 200; i++) w.fake.emit('message.status', { id: w.id(), with: g.groupId, status: 'sent', receipts: { delivered: 1, read: 0, of: 3 } })
    await directory.refreshGroups()
    expect(w.fake.calls.filter(c => c.method === 'groups.list').length - before).toBeLessThanOrEqual(3)
  })
})

describe('words and colours', () => {
  it('name authors in colours readable on their bubbles in both themes, the same for one peer every time', () => {
    const ids = [ME, BOB, CAROL, DAVE, ERIN, ...Array.from({ length: 400 }, (_, i) => `12D3KooW${i.toString(36).padStart(44, 'x')}`)]
    const hues = new Set<string>()
    for (const id of ids) {
      const c = authorColor(id)
      expect(contrast(hexToRgb(c.light), hexToRgb(BUBBLE.light))).toBeGreaterThanOrEqual(MIN_CONTRAST)
      expect(contrast(hexToRgb(c.dark), hexToRgb(BUBBLE.dark))).toBeGreaterThanOrEqual(MIN_CONTRAST)
      expect(authorColor(id)).toEqual(c)
      hues.add(c.light)
    }
    // Plenty of different colours, so members rarely share one.
    expect(hues.size).toBeGreaterThan(100)
  })

  it('say how far a group message got', () => {
    expect(receiptLabel('pending', { delivered: 0, read: 0, of: 4 })).toBe('Waiting to send')
    expect(receiptLabel('sent', { delivered: 0, read: 0, of: 4 })).toBe('Sent, delivered to none of 4 yet')
    expect(receiptLabel('sent', { delivered: 3, read: 0, of: 4 })).toBe('Delivered to 3 of 4')
    expect(receiptLabel('delivered', { delivered: 4, read: 2, of: 4 })).toBe('Read by 2 of 4, delivered to 4 of 4')
    expect(receiptLabel('read', { delivered: 4, read: 4, of: 4 })).toBe('Read by 4 of 4')
    expect(receiptLabel('sent', { delivered: 0, read: 0, of: 0 })).toBe('Sent')
  })

  it('describe every change of a group', () => {
    const name = (p: string): string => ({ [BOB]: 'Bob', [CAROL]: 'Carol' })[p] ?? '?'
    expect(systemText({ by: BOB, group: { kind: 'created', name: 'Flat 3' } }, ME, name)).toBe('Bob created the group “Flat 3”')
    expect(systemText({ by: BOB, group: { kind: 'added', peerId: CAROL, name: 'Carol' } }, ME, name)).toBe('Bob added Carol')
    expect(systemText({ by: BOB, group: { kind: 'added', peerId: ME, name: 'Alice' } }, ME, name)).toBe('Bob added you')
    expect(systemText({ by: ME, group: { kind: 'removed', peerId: CAROL, name: 'Carol' } }, ME, name)).toBe('You removed Carol')
    expect(systemText({ by: BOB, group: { kind: 'removed', peerId: ME } }, ME, name)).toBe('You were removed by Bob')
    expect(systemText({ by: CAROL, group: { kind: 'left' } }, ME, name)).toBe('Carol left')
    expect(systemText({ by: ME, group: { kind: 'left' } }, ME, name)).toBe('You left')
    expect(systemText({ by: BOB, group: { kind: 'promoted', peerId: CAROL, name: 'Carol' } }, ME, name)).toBe('Bob made Carol an admin')
    expect(systemText({ by: BOB, group: { kind: 'renamed', name: 'Flat 4' } }, ME, name)).toBe('Bob renamed the group to “Flat 4”')
    expect(systemText({ by: ME, timer: 300 }, ME, name)).toBe('You set disappearing messages to 5 minutes')
  })
})
