/**
 * What the preload gives the page, as a pure function of two IPC primitives
 * so that tests can check it without Electron: one function per contract
 * method and a subscription limited to the contract's events. Nothing
 * generic (no channel names, no raw invoke or send) is reachable from it.
 */
import { EVENT_NAMES, METHOD_NAMES, type EventName, type MethodName, type Result } from '../shared/api.js'
import { channelFor, EVENT_CHANNEL } from '../shared/channels.js'

/** The object exposed to the page as `window.hearth`. */
export interface HearthSurface {
  readonly methods: Readonly<Record<MethodName, (params?: unknown) => Promise<Result<unknown>>>>
  readonly on: (name: EventName, listener: (payload: unknown) => void) => () => void
}

export interface SurfaceIpc {
  /** `ipcRenderer.invoke`, bound. */
  invoke: (channel: string, params: unknown) => Promise<unknown>
  /** Registers the one listener for the event channel; it receives the event's name and payload. */
  onEvent: (channel: string, listener: (name: unknown, payload: unknown) => void) => void
}

function isEventName (name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name)
}

/** Builds the frozen surface over the given IPC primitives. */
export function buildSurface (ipc: SurfaceIpc): HearthSurface {
  const methods = {} as Record<MethodName, (params?: unknown) => Promise<Result<unknown>>>
  for (const method of METHOD_NAMES) {
    const channel = channelFor(method)
    methods[method] = async (params?: unknown) => ipc.invoke(channel, params) as Promise<Result<unknown>>
  }

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  ipc.onEvent(EVENT_CHANNEL, (name, payload) => {
    if (!isEventName(name)) return
    for (const listener of [...listeners.get(name) ?? []]) {
      try {
        listener(payload)
      } catch (err) {
        // One failing listener must not starve the others; report it on its own.
        queueMicrotask(() => { throw err })
      }
    }
  })

  const on = (name: EventName, listener: (payload: unknown) => void): () => void => {
    if (!isEventName(name)) throw new TypeError('unknown event')
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    let set = listeners.get(name)
    if (set == null) listeners.set(name, set = new Set())
    set.add(listener)
    return () => { set.delete(listener) }
  }

  return Object.freeze({ methods: Object.freeze(methods), on })
}
