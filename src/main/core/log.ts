import { logger, type Logger } from '@libp2p/logger'

/**
 * A scoped logger on stderr, off unless DEBUG names it (for example
 * `DEBUG=hearth:*`). Never pass plaintext, keys or passphrases to it.
 */
export function createLog (component: string): Logger {
  return logger(`hearth:${component}`)
}
