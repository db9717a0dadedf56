import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import { buildSurface, type SurfaceIpc } from '../../src/preload/surface.js'
import { EVENT_NAMES, METHOD_NAMES } from '../../src/shared/api.js'
import { EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../../src/shared/channels.js'

/** A fake ipcRenderer: records invokes, and lets the test push events down the event channel. */
function fakeIpcRenderer () {
  const invoked: Array<[string, unknown]> = []
  const eventListeners = new Map<string, (name: unknown, payload: unknown) => void>()
  const ipc: SurfaceIpc = {
    invoke: async (channel, params) => { invoked.push([channel, params]); return { ok: true, value: channel } },
    onEvent: (channel, listener) => { eventListeners.set(channel, listener) }
  }
  const push = (name: unknown, payload: unknown): void => { eventListeners.get(EVENT_CHANNEL)?.(name, payload) }
  return { ipc, invoked, eventListeners, push }
}

/** Every key reachable from an object, own and inherited (but not Object.prototype's or Function.prototype's). */
function reachableKeys (root: object): string[] {
  const keys: string[] = []
  const seen = new Set<unknown>()
  const walk = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value == null || seen.has(value)) return
    seen.add(value)
    for (let o: object | null = value; o != null && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Reflect.ownKeys(o)) {
        keys.push(String(key))
        const descriptor = Object.getOwnPropertyDescriptor(o, key)
        if (descriptor != null && 'value' in descriptor) walk(descriptor.value)
      }
    }
  }
  walk(root)
  return keys
}

describe('the preload surface', () => {
  it('has exactly the contract methods and on, frozen', () => {
    const { ipc } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    expect(Object.keys(surface).sort()).toEqual(['methods', 'on'])
    expect(Object.keys(surface.methods).sort()).toEqual([...METHOD_NAMES].sort())
    for (const fn of Object.values(surface.methods)) expect(typeof fn).toBe('function')
    expect(Object.isFrozen(surface)).toBe(true)
    expect(Object.isFrozen(surface.methods)).toBe(true)
    expect(() => { (surface.methods as Record<string, unknown>).extra = () => {} }).toThrow(TypeError)
    expect(() => { (surface as unknown as Record<string, unknown>).methods = {} }).toThrow(TypeError)
  })

  it('leaks nothing generic: no ipcRenderer, invoke, send or channel names', () => {
    const { ipc } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    const keys = reachableKeys(surface)
    for (const forbidden of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'postMessage', 'removeAllListeners', 'emit', 'sender', 'channel']) {
      expect(keys, forbidden).not.toContain(forbidden)
    }
    expect(Object.getPrototypeOf(surface.methods)).toBe(Object.prototype)
  })

  it('calls each method on its own channel, passing only the params', async () => {
    const { ipc, invoked } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    for (const method of METHOD_NAMES) {
      await expect(surface.methods[method]({ a: 1 })).resolves.toEqual({ ok: true, value: METHOD_CHANNEL_PREFIX + method })
    }
    expect(invoked).toEqual(METHOD_NAMES.map(m => [METHOD_CHANNEL_PREFIX + m, { a: 1 }]))
    invoked.length = 0
    await (surface.methods['identity.get'] as (...args: unknown[]) => Promise<unknown>)({}, 'extra', 'args')
    expect(invoked).toEqual([['hearth:identity.get', {}]])
  })

  it('listens on the event channel only', () => {
    const { ipc, eventListeners } = fakeIpcRenderer()
    buildSurface(ipc)
    expect([...eventListeners.keys()]).toEqual([EVENT_CHANNEL])
  })

  it('delivers contract events to their listeners until unsubscribed', () => {
    const { ipc, push } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    const received = vi.fn()
    const typing = vi.fn()
    const off = surface.on('message.received', received)
    surface.on('typing', typing)
    push('message.received', { text: 'hi' })
    push('typing', { typing: true })
    expect(received).toHaveBeenCalledExactlyOnceWith({ text: 'hi' })
    expect(typing).toHaveBeenCalledExactlyOnceWith({ typing: true })
    off()
    push('message.received', { text: 'again' })
    expect(received).toHaveBeenCalledTimes(1)
  })

  it('refuses unknown event names and non-function listeners', () => {
    const { ipc } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    for (const name of ['bogus', '', '__proto__', 'constructor', 'hearth:event', 42, null, undefined]) {
      expect(() => surface.on(name as never, () => {}), String(name)).toThrow(TypeError)
    }
    expect(() => surface.on('typing', 'nope' as never)).toThrow(TypeError)
    for (const name of EVENT_NAMES) expect(typeof surface.on(name, () => {})).toBe('function')
  })

  it('drops events from main that are not in the contract', () => {
    const { ipc, push } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    const all = EVENT_NAMES.map(name => { const fn = vi.fn(); surface.on(name, fn); return fn })
    for (const name of ['bogus', '__proto__', 'constructor', 'toString', 7, null, undefined, { name: 'typing' }]) push(name, {})
    for (const fn of all) expect(fn).not.toHaveBeenCalled()
  })

  it('keeps delivering to other listeners when one throws', async () => {
    const { ipc, push } = fakeIpcRenderer()
    const surface = buildSurface(ipc)
    const errors: unknown[] = []
    const onError = (err: unknown): void => { errors.push(err) }
    process.on('uncaughtException', onError)
    try {
      const second = vi.fn()
      surface.on('typing', () => { throw new Error('listener bug') })
      surface.on('typing', second)
      push('typing', { typing: true })
      expect(second).toHaveBeenCalledOnce()
      await new Promise(resolve => setTimeout(resolve, 0))
    } finally {
      process.off('uncaughtException', onError)
    }
    expect(errors).toHaveLength(1)
  })
})

describe('the preload entry', () => {
  it('imports only electron and its surface: no Node built-ins, no main code', async () => {
    const source = await readFile(new URL('../../src/preload/index.ts', import.meta.url), 'utf8')
    const surface = await readFile(new URL('../../src/preload/surface.ts', import.meta.url), 'utf8')
    const imports = (text: string): string[] => [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map(m => m[1] ?? '')
    expect(imports(source).sort()).toEqual(['./surface.js', 'electron'])
    expect(imports(surface).sort()).toEqual(['../shared/api.js', '../shared/channels.js'])
    expect(source).toMatch(/contextBridge\.exposeInMainWorld\('hearth', buildSurface\(/)
  })
})
