/**
 * The preload: exposes exactly the contract's methods and an event
 * subscription limited to the contract's events, nothing generic.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { EVENT_NAMES, METHOD_NAMES, type EventName } from '../shared/api.js'
import { EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../shared/channels.js'

const methods: Record<string, (params?: unknown) => Promise<unknown>> = {}
for (const method of METHOD_NAMES) {
  methods[method] = async (params?: unknown) => ipcRenderer.invoke(METHOD_CHANNEL_PREFIX + method, params)
}

const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !(EVENT_NAMES as readonly string[]).includes(name)) return
  for (const fn of listeners.get(name as EventName) ?? []) fn(payload)
})

contextBridge.exposeInMainWorld('hearth', Object.freeze({
  methods: Object.freeze(methods),
  on (name: EventName, listener: (payload: unknown) => void): () => void {
    if (!(EVENT_NAMES as readonly string[]).includes(name) || typeof listener !== 'function') throw new TypeError('unknown event')
    let set = listeners.get(name)
    if (set == null) listeners.set(name, set = new Set())
    set.add(listener)
    return () => { set.delete(listener) }
  }
}))
