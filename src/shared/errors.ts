/**
 * Error codes that cross the API boundary (IPC, JSON-RPC, bridge). Every
 * failure a caller can see carries one of these and a human sentence.
 */
export const ERROR_CODES = [
  'INVALID_PARAMS',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'ALREADY_OPEN',
  'NOT_A_HEARTH_DIR',
  'PROFILE_EXISTS',
  'NO_PROFILE',
  'REMEMBER_UNAVAILABLE',
  'NOT_ALLOWED',
  'SCHEMA_TOO_NEW',
  'LOCKED',
  'NOT_FOUND',
  'NOT_A_CONTACT',
  'NOT_NEARBY',
  'ALREADY_CONTACT',
  'INVALID_INVITE',
  'INVITE_EXPIRED',
  'INVITE_USED',
  'OWN_INVITE',
  'UNREACHABLE',
  'RATE_LIMITED',
  'REJECTED',
  'TOO_LARGE',
  'SHUTTING_DOWN',
  'INTERNAL'
] as const

export type ErrorCode = typeof ERROR_CODES[number]

/** The shape errors take when they cross a boundary as data. */
export interface ApiError {
  code: ErrorCode
  message: string
}

export function isErrorCode (value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}
