/**
 * The boundary every adapter (IPC, JSON-RPC, bridge) goes through: check
 * the method name against the contract, validate params with its schema,
 * run the handler, and turn any failure into data.
 */
import { isMethodName, parseParams, type ApiHandlers, type MethodName, type Result } from '../../shared/api.js'
import { toApiError } from './errors.js'
import { createLog } from './log.js'

const log = createLog('dispatch')

export type DispatchResult = Result<unknown> & { unknownMethod?: true }

/** The result as the contract gives it to a front end (without the dispatcher's own `unknownMethod` flag). */
export function toResult (result: DispatchResult): Result<unknown> {
  return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error }
}

export async function dispatch (api: ApiHandlers, method: unknown, params: unknown): Promise<DispatchResult> {
  if (!isMethodName(method)) {
    return { ok: false, unknownMethod: true, error: { code: 'INVALID_PARAMS', message: `method not found: ${String(method).slice(0, 64)}` } }
  }
  const parsed = parseParams(method, params)
  if (!parsed.ok) return parsed
  try {
    const handler = api[method] as (p: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.value) }
  } catch (err) {
    const error = toApiError(err)
    if (error.code === 'INTERNAL') log.error('%s failed - %e', method satisfies MethodName, err)
    return { ok: false, error }
  }
}
