import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConversationSummary } from '../../src/shared/api'
import ContactDetails from '../../src/renderer/src/components/ContactDetails.svelte'
import Sidebar from '../../src/renderer/src/components/Sidebar.svelte'
import { createDirectory } from '../../src/renderer/src/state/directory.svelte'
import { createSession } from '../../src/renderer/src/state/session.svelte'
import { fakeClient } from './fake-client'

afterEach(() => { cleanup() })

const ME = '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L'
const BOB = '12D3KooWBXgBZDTr2ddfACdt629SstUey3TYeXv4Y3VzoksvBijs'
const CAROL = '12D3KooWAHTjhKbgBT5xVmuQqcmKUezp1h5gP5UPTdQM4f5iHMr1'
const STRANGER = '12D3KooWNc1X4FmPrrD4qhyaioYsCFPJdgpMqYGUNGpWnUSzvDWe'

const contact = (peerId: string, name: string, online: boolean, verified = false) => ({ peerId, name, online, verified, addedAt: 1 })
const conversations: ConversationSummary[] = [
  { contact: contact(BOB, 'Bob', true, true), lastMessage: { text: 'Tea at five?\nOr six.', sentAt: Date.UTC(2026, 10, 26, 10), outgoing: false, status: 'delivered' }, unread: 2, timer: 0 },
  { contact: contact(CAROL, 'Carol', false), unread: 0, timer: 0 }
]

async function setup () {
  const fake = fakeClient({
    'conversations.list': () => [...conversations],
    'peers.nearby': () => [{ peerId: STRANGER, addresses: ['/ip4/192.168.1.9/tcp/4001'], contact: false }, { peerId: BOB, addresses: [], contact: true }],
    'contacts.requests': () => [{ peerId: CAROL + 'x', name: 'Bob', receivedAt: 1, resembles: { peerId: BOB, name: 'Bob' } }],
    'contacts.request': () => ({ peerId: STRANGER, state: 'requested' })
  })
  const session = createSession(fake.client)
  session.identity = { peerId: ME, name: 'Me', addresses: [] }
  const directory = createDirectory(fake.client)
  directory.start()
  await directory.refresh()
  await directory.refreshRequests()
  const opened: string[] = []
  render(Sidebar, { props: { client: fake.client, session, directory, selected: BOB, onOpen: (p: string) => opened.push(p), onAdd: () => {}, onNewGroup: () => {}, onSettings: () => {} } })
  return { fake, directory, opened }
}

describe('the conversation list', () => {
  it('shows each contact with a preview, unread count, online state and verification', async () => {
    await setup()
    const list = within(screen.getByRole('navigation', { name: 'Conversations' }))
    const bob = list.getByRole('button', { name: /Bob/ })
    expect(bob.getAttribute('aria-current')).toBe('true')
    expect(within(bob).getByLabelText('2 unread')).toBeTruthy()
    expect(bob.textContent).toContain('Tea at five? Or six.')
    expect(bob.textContent).toContain('online')
    expect(within(bob).getByTitle('Verified')).toBeTruthy()
    const carol = list.getByRole('button', { name: /Carol/ })
    expect(carol.textContent).toContain('No messages yet')
    expect(carol.textContent).toContain('offline')
  })

  it('counts a new message as unread and moves its conversation to the top', async () => {
    const { fake, directory } = await setup()
    fake.emit('message.received', { id: 'a'.repeat(32), from: CAROL, text: 'hello!', sentAt: Date.now() })
    expect(directory.conversations[0]?.contact.name).toBe('Carol')
    expect(directory.conversations[0]?.unread).toBe(1)
    expect(directory.conversations[0]?.lastMessage?.text).toBe('hello!')
  })

  it('lists only nearby strangers, and asks one to connect', async () => {
    const { fake } = await setup()
    const nearby = within(screen.getByRole('region', { name: 'Nearby on this network' }))
    expect(nearby.getAllByRole('button', { name: 'Ask to connect' })).toHaveLength(1)
    await fireEvent.click(nearby.getByRole('button', { name: 'Ask to connect' }))
    await expect.poll(() => fake.calls.some(c => c.method === 'contacts.request')).toBe(true)
    expect(fake.calls.find(c => c.method === 'contacts.request')?.params).toEqual({ peerId: STRANGER })
  })

  it('warns loudly about a request that copies a contact\'s name', async () => {
    const { directory } = await setup()
    expect(screen.getByText(/Same name as your contact Bob, different identity/)).toBeTruthy()
    expect(directory.alarms.map(a => a.text).join(' ')).toContain('different identity')
  })

  it('warns about a contact that renamed itself to look like another, in the list and as an alarm', async () => {
    const { fake, directory } = await setup()
    expect(screen.queryByText(/Looks like Bob/)).toBeNull()
    const before = conversations[1]!
    conversations[1] = { ...before, contact: { ...contact(CAROL, 'B0b', false), resembles: { peerId: BOB, name: 'Bob' } } }
    try {
      fake.emit('contact.renamed', { peerId: CAROL, name: 'B0b', resembles: { peerId: BOB, name: 'Bob' } })
      const carol = await within(screen.getByRole('navigation', { name: 'Conversations' })).findByRole('button', { name: /B0b/ })
      expect(carol.textContent).toContain('Looks like Bob, a different identity.')
      expect(directory.alarms.some(a => a.peerId === CAROL && a.text.includes('"B0b", which looks like Bob'))).toBe(true)
    } finally {
      conversations[1] = before
    }
  })
})

describe('contact details', () => {
  it('shows the safety number in twelve groups and marks the contact verified', async () => {
    const number = Array.from({ length: 12 }, (_, i) => String(10000 + i)).join(' ')
    let changed = 0
    const fake = fakeClient({
      'contacts.safetyNumber': () => ({ safetyNumber: number }),
      'contacts.verify': (p) => ({ contact: contact(BOB, 'Bob', true, p.verified ?? true) })
    })
    render(ContactDetails, { props: { client: fake.client, contact: contact(BOB, 'Bob', true), onChanged: () => { changed++ } } })
    const safety = await screen.findByLabelText(`Safety number ${number}`)
    expect(safety.querySelectorAll('span')).toHaveLength(12)
    await fireEvent.click(screen.getByRole('button', { name: 'Mark as verified' }))
    await screen.findByText('You have checked this safety number.')
    expect(fake.calls.find(c => c.method === 'contacts.verify')?.params).toEqual({ peerId: BOB, verified: true })
    expect(changed).toBe(1)
  })
})
