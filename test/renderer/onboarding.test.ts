import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, describe, expect, it } from 'vitest'
import Unlock from '../../src/renderer/src/components/Unlock.svelte'
import Welcome from '../../src/renderer/src/components/Welcome.svelte'
import { createSession } from '../../src/renderer/src/state/session.svelte'
import { strength } from '../../src/renderer/src/lib/strength'
import { apiError, fakeClient } from './fake-client'

afterEach(() => { cleanup() })

const identity = { peerId: '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L', name: 'Ada', addresses: [] }
const settings = { readReceipts: true, hideNotificationText: false, autoLockMinutes: 0 }
const unavailable = { available: false, reason: 'No keychain on this system.', enabled: false }

describe('Welcome', () => {
  function setup (remember = unavailable) {
    const fake = fakeClient({
      'profile.create': () => identity,
      'profile.status': () => ({ exists: true, unlocked: true, remember }),
      'identity.get': () => identity,
      'settings.get': () => settings
    })
    render(Welcome, { props: { session: createSession(fake.client), remember } })
    return fake
  }

  it('creates a profile only once the name and both passphrases are right', async () => {
    const fake = setup()
    const create = screen.getByRole('button', { name: 'Create my profile' }) as HTMLButtonElement
    expect(create.disabled).toBe(true)
    await fireEvent.input(screen.getByLabelText('Your name'), { target: { value: '  Ada  ' } })
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'short' } })
    expect(screen.getByText(/at least 8 characters/)).toBeTruthy()
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'copper falcon river dusk' } })
    await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'copper falcon river dawn' } })
    expect(screen.getByRole('alert').textContent).toContain('differ')
    expect(create.disabled).toBe(true)
    await fireEvent.input(screen.getByLabelText('Passphrase again'), { target: { value: 'copper falcon river dusk' } })
    expect(create.disabled).toBe(false)
    await fireEvent.click(create)
    expect(fake.calls.find(c => c.method === 'profile.create')?.params).toEqual({ name: 'Ada', passphrase: 'copper falcon river dusk', remember: false })
  })

  it('explains why "remember on this device" is unavailable, and keeps it off', () => {
    setup()
    expect((screen.getByRole('checkbox') as HTMLInputElement).disabled).toBe(true)
    expect(screen.getByText('No keychain on this system.')).toBeTruthy()
  })
})

describe('Unlock', () => {
  it('says plainly when the passphrase is wrong, and clears the field', async () => {
    const fake = fakeClient({ 'profile.unlock': () => apiError('WRONG_PASSPHRASE', 'wrong passphrase') })
    render(Unlock, { props: { session: createSession(fake.client), remember: unavailable } })
    const input = screen.getByLabelText('Passphrase') as HTMLInputElement
    await fireEvent.input(input, { target: { value: 'guess' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await expect.poll(() => screen.getByRole('alert').textContent).toContain('Wrong passphrase. Nothing was changed')
    expect(input.value).toBe('')
  })
})

describe('passphrase strength hint', () => {
  it('rates short, repetitive and common passphrases low, and several words high', () => {
    expect(strength('abc')).toBe('too short')
    expect(strength('aaaaaaaaaaaa')).toBe('weak')
    expect(strength('password123')).toBe('weak')
    expect(strength('copper falcon river dusk')).toBe('strong')
  })
})
