/**
 * The transport over the loopback bridge, for the renderer opened in a
 * plain browser (tests, demos). The page's URL fragment carries the token.
 */
import type { EventName, Events, MethodName, Result } from '../../../shared/api'
import type { Transport } from './client'

/** Reads the bridge token from a URL fragment like `#token=…`. */
export function tokenFrom (hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')
  return token != null && /^[0-9a-f]{64}$/.test(token) ? token : undefined
}

export function bridgeTransport (token: string, location: { host: string } = window.location): Transport {
  const socket = new WebSocket(`ws://${location.host}/bridge?token=${token}`)
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => { resolve() }, { once: true })
    socket.addEventListener('error', () => { reject(new Error('the bridge refused the connection')) }, { once: true })
  })
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  let nextId = 1

  socket.addEventListener('message', (evt: MessageEvent<string>) => {
    const frame = JSON.parse(evt.data) as { id?: number, result?: Result<unknown>, event?: EventName, payload?: unknown }
    if (frame.event != null) {
      for (const fn of listeners.get(frame.event) ?? []) (fn as (p: unknown) => void)(frame.payload)
    } else if (typeof frame.id === 'number' && frame.result != null) {
      pending.get(frame.id)?.(frame.result)
      pending.delete(frame.id)
    }
  })
  socket.addEventListener('close', () => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'UNREACHABLE', message: 'the connection to Hearth was lost; reload the page' } })
    pending.clear()
  })

  return {
    call: async (method: MethodName, params: unknown) => {
      await opened
      const id = nextId++
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, method, params }))
      })
    },
    on: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => {
      let set = listeners.get(name)
      if (set == null) listeners.set(name, set = new Set())
      set.add(listener as (payload: never) => void)
      return () => { set.delete(listener as (payload: never) => void) }
    }
  }
}
