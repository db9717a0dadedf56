/**
 * The preload: exposes exactly the contract's methods and an event
 * subscription limited to the contract's events, nothing generic. It runs
 * sandboxed and is bundled to CommonJS, so it imports only electron and the
 * shared contract.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { buildSurface } from './surface.js'

contextBridge.exposeInMainWorld('hearth', buildSurface({
  invoke: async (channel, params) => ipcRenderer.invoke(channel, params),
  // The IPC event object (which holds the sender) stays here; the page gets only name and payload.
  onEvent: (channel, listener) => { ipcRenderer.on(channel, (_event, name: unknown, payload: unknown) => { listener(name, payload) }) }
}))
