/**
 * A Client over a fake transport: each method answers from a handler the
 * test gives (or fails with NOT_FOUND), every call is recorded, and tests
 * can emit core events.
 */
import type { EventName, Events, MethodName, ParamsOf, ResultOf } from '../../src/shared/api'
import type { ApiError } from '../../src/shared/errors'
import { createClient, type Client } from '../../src/renderer/src/lib/client'

type Handlers = { [M in MethodName]?: (params: ParamsOf<M>) => ResultOf<M> | ApiError | Promise<ResultOf<M> | ApiError> }

export interface FakeClient {
  client: Client
  calls: Array<{ method: MethodName, params: unknown }>
  emit: <E extends EventName>(name: E, payload: Events[E]) => void
}

export function apiError (code: ApiError['code'], message: string): ApiError {
  return { code, message }
}

function isError (value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && Object.keys(value).length === 2
}

export function fakeClient (handlers: Handlers): FakeClient {
  const calls: FakeClient['calls'] = []
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const client = createClient({
    call: async (method, params) => {
      calls.push({ method, params })
      const handler = handlers[method] as ((p: unknown) => unknown) | undefined
      if (handler == null) return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${method}` } }
      const value = await handler(params)
      return isError(value) ? { ok: false, error: value } : { ok: true, value }
    },
    on: (name, listener) => {
      let set = listeners.get(name)
      if (set == null) listeners.set(name, set = new Set())
      set.add(listener as (payload: never) => void)
      return () => { set.delete(listener as (payload: never) => void) }
    }
  })
  return {
    client,
    calls,
    emit: (name, payload) => { for (const fn of listeners.get(name) ?? []) (fn as (p: unknown) => void)(payload) }
  }
}
