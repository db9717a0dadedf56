/**
 * The IPC adapter: one handler per contract method, on channel
 * `hearth:<method>`. Each checks the sender frame, validates the params with
 * the contract's schema (in dispatch) and answers `{ok, value}` or
 * `{ok: false, error}`; nothing is ever thrown across IPC.
 */
import { EVENT_NAMES, METHOD_NAMES, type ApiHandlers, type EventName, type Events, type MethodName, type Result } from '../../shared/api.js'
import { channelFor, EVENT_CHANNEL } from '../../shared/channels.js'
import { dispatch, toResult } from '../core/dispatch.js'
import { createLog } from '../core/log.js'

const log = createLog('ipc')

export interface SenderFrame { url: string, parent: unknown }

/** Decides whether a sender frame is our own page. */
export type TrustCheck = (frame: SenderFrame | null | undefined) => boolean

const UNTRUSTED: Result<never> = { ok: false, error: { code: 'REJECTED', message: 'IPC from an untrusted frame' } }
const INTERNAL: Result<never> = { ok: false, error: { code: 'INTERNAL', message: 'internal error (see the log on stderr)' } }

/** Builds the handler for one method; `trusted` decides whether the sender is our own page. */
export function ipcHandler (api: ApiHandlers, method: MethodName, trusted: TrustCheck) {
  return async (event: { senderFrame?: SenderFrame | null } | null | undefined, params: unknown): Promise<Result<unknown>> => {
    try {
      if (!trusted(event?.senderFrame)) {
        log('refused %s from an untrusted frame', method)
        return UNTRUSTED
      }
      return toResult(await dispatch(api, method, params))
    } catch (err) {
      // dispatch turns handler failures into data; this is for anything else.
      log.error('%s failed - %e', method, err)
      return INTERNAL
    }
  }
}

/** The part of `ipcMain` the adapter uses. */
export interface IpcMainLike {
  handle: (channel: string, listener: (event: { senderFrame?: SenderFrame | null }, ...args: unknown[]) => Promise<unknown>) => void
  removeHandler: (channel: string) => void
}

/** The part of the host the adapter uses. */
export interface IpcHost {
  api: ApiHandlers
  events: { on: <K extends EventName>(name: K, listener: (payload: Events[K]) => void) => () => void }
}

/**
 * Registers every method of the contract, each on its own channel and no
 * other, and forwards every contract event to the page with `send`. Returns
 * the undo.
 */
export function registerIpc (
  ipcMain: IpcMainLike,
  host: IpcHost,
  trusted: TrustCheck,
  send: (channel: string, name: EventName, payload: unknown) => void
): () => void {
  for (const method of METHOD_NAMES) {
    const handler = ipcHandler(host.api, method, trusted)
    // Only the first argument is the params; anything more is ignored.
    ipcMain.handle(channelFor(method), async (event, params) => handler(event, params))
  }
  const offs = EVENT_NAMES.map(name => host.events.on(name, (payload) => {
    try {
      send(EVENT_CHANNEL, name, payload)
    } catch (err) {
      log.error('could not forward %s - %e', name, err)
    }
  }))
  return () => {
    for (const off of offs) off()
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelFor(method))
  }
}
