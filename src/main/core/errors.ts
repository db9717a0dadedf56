import type { ApiError, ErrorCode } from '../../shared/errors.js'

/** The one error class the core throws on purpose: a code, a clear sentence and an optional cause. */
export class HearthError extends Error {
  readonly code: ErrorCode

  constructor (code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'HearthError'
    this.code = code
  }
}

/** Turns anything thrown into data that may cross a boundary, without leaking internals. */
export function toApiError (err: unknown): ApiError {
  if (err instanceof HearthError) return { code: err.code, message: err.message }
  return { code: 'INTERNAL', message: 'internal error (see the log on stderr)' }
}
