/**
 * The typed client every component uses: one async function per contract
 * method, whatever carries the calls (Electron IPC, or the loopback bridge
 * in a plain browser). Failures arrive as data and are thrown here as
 * {@link ClientError}, so components can show `error.message`.
 */
import type { ApiError, ErrorCode } from '../../../shared/errors'
import type { EventName, Events, MethodName, ParamsInputOf, Result, ResultOf } from '../../../shared/api'

export interface Transport {
  call: (method: MethodName, params: unknown) => Promise<Result<unknown>>
  on: <E extends EventName>(name: E, listener: (payload: Events[E]) => void) => () => void
}

export class ClientError extends Error {
  readonly code: ErrorCode
  constructor (error: ApiError) {
    super(error.message)
    this.name = 'ClientError'
    this.code = error.code
  }
}

export interface Client {
  call: <M extends MethodName>(method: M, ...params: Record<string, never> extends ParamsInputOf<M> ? [ParamsInputOf<M>?] : [ParamsInputOf<M>]) => Promise<ResultOf<M>>
  on: Transport['on']
}

export function createClient (transport: Transport): Client {
  return {
    call: async (method, ...params) => {
      const result = await transport.call(method, params[0] ?? {})
      if (!result.ok) throw new ClientError(result.error)
      return result.value as never
    },
    on: transport.on
  }
}

/** The preload's surface: exactly the contract's methods, and event subscription. */
interface PreloadApi {
  methods: Record<MethodName, (params?: unknown) => Promise<Result<unknown>>>
  on: (name: EventName, listener: (payload: unknown) => void) => () => void
}

/** The transport inside Electron, over what the preload exposes. */
export function ipcTransport (api: PreloadApi): Transport {
  return {
    call: async (method, params) => api.methods[method](params),
    on: (name, listener) => api.on(name, listener as (payload: unknown) => void)
  }
}
