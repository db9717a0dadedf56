import { describe, expect, it } from 'vitest'
import { ipcHandler, registerIpc, type IpcMainLike, type SenderFrame } from '../../src/main/app/ipc.js'
import { isTrustedSender } from '../../src/main/app/security.js'
import { Emitter } from '../../src/main/core/emitter.js'
import { HearthError } from '../../src/main/core/errors.js'
import { EVENT_NAMES, METHOD_NAMES, type ApiHandlers, type Events, type Identity } from '../../src/shared/api.js'
import { channelFor, EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../../src/shared/channels.js'

const APP_URL = 'app://hearth/index.html'
const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const IDENTITY: Identity = { peerId: PEER, name: 'Alice', addresses: [] }
const OURS = { senderFrame: { url: APP_URL, parent: null } }
const trusted = (frame: SenderFrame | null | undefined): boolean => isTrustedSender(frame, APP_URL)

/** A fake host: a few methods, counting calls, one that throws an internal error. */
function fakeHost () {
  const calls: string[] = []
  const api = {
    'identity.get': async () => { calls.push('identity.get'); return IDENTITY },
    'identity.setName': async ({ name }: { name: string }) => { calls.push('identity.setName'); return { ...IDENTITY, name } },
    'contacts.request': async () => { calls.push('contacts.request'); throw new HearthError('NOT_NEARBY', 'that peer is not nearby') },
    'messages.send': async () => { calls.push('messages.send'); throw new Error('EIO at /home/alice/.config/hearth/profile/000123.ldb') }
  } as unknown as ApiHandlers
  return { api, events: new Emitter<Events>(), calls }
}

function fakeIpcMain () {
  const handlers = new Map<string, (event: { senderFrame?: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>>()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    removeHandler: (channel) => { handlers.delete(channel) }
  }
  return { ipcMain, handlers }
}

describe('ipcHandler', () => {
  it('answers a trusted call with {ok, value}, params validated and normalised', async () => {
    const host = fakeHost()
    expect(await ipcHandler(host.api, 'identity.get', trusted)(OURS, undefined)).toEqual({ ok: true, value: IDENTITY })
    expect(await ipcHandler(host.api, 'identity.setName', trusted)(OURS, { name: '  Bob ' })).toEqual({ ok: true, value: { ...IDENTITY, name: 'Bob' } })
  })

  it('refuses untrusted frames before anything runs', async () => {
    const host = fakeHost()
    const handler = ipcHandler(host.api, 'identity.get', trusted)
    for (const event of [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: APP_URL, parent: { url: APP_URL } } },
      { senderFrame: { url: 'app://hearth/index.html', parent: {} } },
      { senderFrame: { url: 'file:///tmp/evil.html', parent: null } },
      { senderFrame: null },
      {},
      null,
      undefined
    ]) {
      expect(await handler(event as never, {})).toEqual({ ok: false, error: { code: 'REJECTED', message: 'IPC from an untrusted frame' } })
    }
    expect(host.calls).toEqual([])
  })

  it('refuses garbage params with INVALID_PARAMS, without calling the core', async () => {
    const host = fakeHost()
    const handler = ipcHandler(host.api, 'identity.setName', trusted)
    for (const params of [{}, { name: '' }, { name: 42 }, { name: 'ok', extra: 1 }, 'name', [1, 2], 7, true, { name: 'x'.repeat(10_000) }, null, undefined]) {
      const result = await handler(OURS, params)
      expect(result.ok, JSON.stringify(params)).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('INVALID_PARAMS')
    }
    expect(host.calls).toEqual([])
  })

  it('passes application errors through and hides internal ones', async () => {
    const host = fakeHost()
    expect(await ipcHandler(host.api, 'contacts.request', trusted)(OURS, { peerId: PEER }))
      .toEqual({ ok: false, error: { code: 'NOT_NEARBY', message: 'that peer is not nearby' } })
    const internal = await ipcHandler(host.api, 'messages.send', trusted)(OURS, { to: PEER, text: 'hi' })
    expect(internal).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error (see the log on stderr)' } })
    expect(JSON.stringify(internal)).not.toMatch(/EIO|alice|ldb/)
  })

  it('never throws, even when the trust check or the core misbehave', async () => {
    const host = fakeHost()
    const throwingCheck = (): boolean => { throw new Error('boom at /secret/path') }
    const result = await ipcHandler(host.api, 'identity.get', throwingCheck)(OURS, {})
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'internal error (see the log on stderr)' } })
    const notAFunction = { 'identity.get': 'nope' } as unknown as ApiHandlers
    expect((await ipcHandler(notAFunction, 'identity.get', trusted)(OURS, {})).ok).toBe(false)
  })
})

describe('registerIpc', () => {
  it('registers exactly one channel per contract method, no more, no less', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpc(ipcMain, fakeHost(), trusted, () => {})
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(m => METHOD_CHANNEL_PREFIX + m).sort())
    expect(handlers.size).toBe(METHOD_NAMES.length)
    for (const m of METHOD_NAMES) expect(channelFor(m)).toBe(`hearth:${m}`)
  })

  it('routes each channel to its own method, checking the sender', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const host = fakeHost()
    registerIpc(ipcMain, host, trusted, () => {})
    expect(await handlers.get('hearth:identity.get')?.(OURS, {})).toEqual({ ok: true, value: IDENTITY })
    expect(await handlers.get('hearth:identity.get')?.({ senderFrame: { url: 'https://evil.example/', parent: null } }, {}))
      .toMatchObject({ ok: false, error: { code: 'REJECTED' } })
    // Extra arguments are ignored: only the first is the params.
    expect(await handlers.get('hearth:identity.setName')?.(OURS, { name: 'Carol' }, { name: 'Mallory' })).toEqual({ ok: true, value: { ...IDENTITY, name: 'Carol' } })
    expect(host.calls).toEqual(['identity.get', 'identity.setName'])
  })

  it('forwards contract events only, and stops (removing every handler) when undone', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const host = fakeHost()
    const sent: unknown[][] = []
    const undo = registerIpc(ipcMain, host, trusted, (...args) => { sent.push(args) })
    const payload = { id: '00112233445566778899aabbccddeeff', from: PEER, text: 'hello', sentAt: 1 }
    host.events.emit('message.received', payload)
    const loose = host.events as unknown as Emitter<Record<string, unknown>>
    for (const bogus of ['bogus', 'hearth:event', '__proto__', 'message.received.extra']) loose.emit(bogus, { leaked: true })
    expect(sent).toEqual([[EVENT_CHANNEL, 'message.received', payload]])

    for (const name of EVENT_NAMES) loose.emit(name, { n: name })
    expect(sent.slice(1).map(args => args[1])).toEqual([...EVENT_NAMES])

    undo()
    host.events.emit('message.received', payload)
    expect(sent).toHaveLength(1 + EVENT_NAMES.length)
    expect(handlers.size).toBe(0)
  })

  it('keeps forwarding after a failing send', () => {
    const { ipcMain } = fakeIpcMain()
    const host = fakeHost()
    let count = 0
    registerIpc(ipcMain, host, trusted, () => { count++; throw new Error('window gone') })
    host.events.emit('typing', { peerId: PEER, typing: true })
    host.events.emit('typing', { peerId: PEER, typing: false })
    expect(count).toBe(2)
  })
})
