import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup } from '@testing-library/svelte'
import Composer from '../../src/renderer/src/components/Composer.svelte'
import { createDrafts } from '../../src/renderer/src/state/drafts'
import { LIMITS } from '../../src/shared/limits'
import { fakeClient } from './fake-client'

const PEER = '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L'
afterEach(() => { cleanup() })

function setup (draft = '') {
  const fake = fakeClient({ 'typing.set': () => null })
  const drafts = createDrafts()
  drafts.set(PEER, draft)
  const onSend = vi.fn(async () => {})
  render(Composer, { props: { client: fake.client, peerId: PEER, drafts, onSend } })
  return { fake, drafts, onSend, box: screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement }
}

describe('Composer', () => {
  it('sends on Enter, trimmed, and empties the box and the draft', async () => {
    const { box, onSend, drafts } = setup()
    await fireEvent.input(box, { target: { value: '  hello there  ' } })
    expect(drafts.get(PEER)).toBe('  hello there  ')
    await fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSend).toHaveBeenCalledWith('hello there')
    expect(box.value).toBe('')
    expect(drafts.get(PEER)).toBe('')
  })

  it('does not send on Shift+Enter, nor an empty message', async () => {
    const { box, onSend } = setup()
    await fireEvent.input(box, { target: { value: 'line one' } })
    await fireEvent.keyDown(box, { key: 'Enter', shiftKey: true })
    await fireEvent.input(box, { target: { value: '   ' } })
    await fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSend).not.toHaveBeenCalled()
  })

  it('starts from the conversation\'s draft', () => {
    const { box } = setup('unfinished thought')
    expect(box.value).toBe('unfinished thought')
  })

  it('tells the peer we are typing, at most every few seconds', async () => {
    const { box, fake } = setup()
    await fireEvent.input(box, { target: { value: 'h' } })
    await fireEvent.input(box, { target: { value: 'he' } })
    await fireEvent.input(box, { target: { value: 'hey' } })
    const typing = fake.calls.filter(c => c.method === 'typing.set')
    expect(typing).toEqual([{ method: 'typing.set', params: { with: PEER, typing: true } }])
  })

  it('refuses a message over the size limit, with a reason', async () => {
    const { box, onSend } = setup()
    await fireEvent.input(box, { target: { value: 'x'.repeat(LIMITS.textBytes + 1) } })
    await fireEvent.keyDown(box, { key: 'Enter' })
    expect(onSend).not.toHaveBeenCalled()
    expect(screen.getByRole('alert').textContent).toContain('too long')
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('keeps the text when sending fails', async () => {
    const fake = fakeClient({ 'typing.set': () => null })
    const drafts = createDrafts()
    const onSend = vi.fn(async () => { throw new Error('offline') })
    render(Composer, { props: { client: fake.client, peerId: PEER, drafts, onSend } })
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement
    await fireEvent.input(box, { target: { value: 'keep me' } })
    await fireEvent.keyDown(box, { key: 'Enter' })
    await vi.waitFor(() => { expect(box.value).toBe('keep me') })
  })
})
