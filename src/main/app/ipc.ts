/**
 * The IPC adapter: one handler per contract method, on channel
 * `hearth:<method>`. Each checks the sender frame, validates the params with
 * the contract's schema (in dispatch) and answers `{ok, value}` or
 * `{ok: false, error}`; nothing is ever thrown across IPC.
 */
import { EVENT_NAMES, METHOD_NAMES, type ApiHandlers, type Events, type MethodName, type Result } from '../../shared/api.js'
import { dispatch } from '../core/dispatch.js'
import type { Emitter } from '../core/emitter.js'
import { EVENT_CHANNEL, METHOD_CHANNEL_PREFIX } from '../../shared/channels.js'

export interface SenderFrame { url: string, parent: unknown }

/** Builds the handler for one method; `trusted` decides whether the sender is our own page. */
export function ipcHandler (api: ApiHandlers, method: MethodName, trusted: (frame: SenderFrame | null | undefined) => boolean) {
  return async (event: { senderFrame?: SenderFrame | null }, params: unknown): Promise<Result<unknown>> => {
    if (!trusted(event.senderFrame)) return { ok: false, error: { code: 'REJECTED', message: 'IPC from an untrusted frame' } }
    const result = await dispatch(api, method, params)
    return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error }
  }
}

interface IpcMainLike {
  handle: (channel: string, listener: (event: { senderFrame?: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>) => void
}

/** Registers every method of the contract, and forwards every event to the page. */
export function registerIpc (
  ipcMain: IpcMainLike,
  host: { api: ApiHandlers, events: Emitter<Events> },
  trusted: (frame: SenderFrame | null | undefined) => boolean,
  send: (channel: string, name: string, payload: unknown) => void
): () => void {
  for (const method of METHOD_NAMES) {
    const handler = ipcHandler(host.api, method, trusted)
    ipcMain.handle(METHOD_CHANNEL_PREFIX + method, async (event, params) => handler(event, params))
  }
  const offs = EVENT_NAMES.map(name => host.events.on(name, (payload) => { send(EVENT_CHANNEL, name, payload) }))
  return () => { for (const off of offs) off() }
}
