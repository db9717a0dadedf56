import { cleanup, render } from '@testing-library/svelte'
import { createRawSnippet } from 'svelte'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/api'
import VirtualList from '../../src/renderer/src/components/VirtualList.svelte'
import { dayKey } from '../../src/renderer/src/lib/format'
import { createChat, PAGE, toRows } from '../../src/renderer/src/state/chat.svelte'
import { fakeClient } from './fake-client'

afterEach(() => { cleanup() })

const ME = '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L'
const BOB = '12D3KooWBXgBZDTr2ddfACdt629SstUey3TYeXv4Y3VzoksvBijs'
const DAY = 86_400_000
const T0 = new Date(2026, 10, 20, 9, 0).getTime()

function message (i: number, at: number, outgoing = false): Message {
  return { id: i.toString(16).padStart(32, '0'), from: outgoing ? ME : BOB, with: BOB, text: `m${i}`, sentAt: at, status: 'delivered', outgoing }
}

describe('conversation rows', () => {
  it('put a day separator before the first message of each day', () => {
    const rows = toRows([message(1, T0), message(2, T0 + 60_000), message(3, T0 + DAY), message(4, T0 + 3 * DAY)])
    expect(rows.map(r => r.kind === 'day' ? 'day' : r.message.text)).toEqual(['day', 'm1', 'm2', 'day', 'm3', 'day', 'm4'])
    expect(dayKey(T0)).not.toBe(dayKey(T0 + DAY))
  })

  it('page backwards without repeating the separator of a day that spans the pages', async () => {
    const all = Array.from({ length: PAGE + 10 }, (_, i) => message(i, T0 + i * 1000))
    const fake = fakeClient({
      'messages.list': (p) => {
        const end = p.before == null ? all.length : all.findIndex(m => m.id === p.before)
        return all.slice(Math.max(0, end - (p.limit ?? PAGE)), end)
      }
    })
    const chat = createChat(fake.client, BOB, ME)
    await chat.loadLatest()
    expect(chat.rows.filter(r => r.kind === 'message')).toHaveLength(PAGE)
    expect(chat.complete).toBe(false)
    expect(await chat.loadOlder()).toBe(10)
    expect(chat.complete).toBe(true)
    expect(chat.rows.filter(r => r.kind === 'day')).toHaveLength(1)
    expect(chat.rows.filter(r => r.kind === 'message').map(r => r.kind === 'message' ? r.message.text : '')).toEqual(all.map(m => m.text))
    expect(await chat.loadOlder()).toBe(0)
  })

  it('never move a status backwards, and apply one that arrived before its message', async () => {
    const id = 'f'.repeat(32)
    const fake = fakeClient({ 'messages.list': () => [], 'messages.send': () => ({ id, status: 'pending', sentAt: T0 }) })
    const chat = createChat(fake.client, BOB, ME)
    await chat.loadLatest()
    chat.onStatus({ id, with: BOB, status: 'sent' })
    await chat.send('hello')
    const status = (): string | undefined => { const r = chat.rows.at(-1); return r?.kind === 'message' ? r.message.status : undefined }
    expect(status()).toBe('sent')
    chat.onStatus({ id, with: BOB, status: 'read' })
    chat.onStatus({ id, with: BOB, status: 'delivered' })
    expect(status()).toBe('read')
  })

  it('ignore messages from other conversations and duplicates', async () => {
    const fake = fakeClient({ 'messages.list': () => [] })
    const chat = createChat(fake.client, BOB, ME)
    await chat.loadLatest()
    chat.onReceived({ id: 'a'.repeat(32), from: ME, text: 'not this one', sentAt: T0 })
    chat.onReceived({ id: 'b'.repeat(32), from: BOB, text: 'this one', sentAt: T0 })
    chat.onReceived({ id: 'b'.repeat(32), from: BOB, text: 'this one', sentAt: T0 })
    expect(chat.rows.filter(r => r.kind === 'message')).toHaveLength(1)
  })
})

describe('the virtual list', () => {
  it('puts only a screenful of rows in the DOM, even for 100,000 items', () => {
    type Item = { id: string, text: string }
    const items: unknown[] = Array.from({ length: 100_000 }, (_, i): Item => ({ id: `row-${i}`, text: `row ${i}` }))
    const row = createRawSnippet((item: () => unknown) => ({ render: () => `<p class="item">${(item() as Item).text}</p>` }))
    const { container } = render(VirtualList, { props: { items, key: (i: unknown) => (i as Item).id, estimate: 40, label: 'Rows', row } })
    const rendered = container.querySelectorAll('.item').length
    expect(rendered).toBeGreaterThan(0)
    expect(rendered).toBeLessThan(60)
    const space = container.querySelector('.space') as HTMLElement
    expect(space.style.height).toBe(`${100_000 * 40}px`)
    expect(container.querySelector('[role="log"]')?.getAttribute('aria-label')).toBe('Rows')
  })
})
