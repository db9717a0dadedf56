/** IPC channel names shared by the main process and the preload. */
import type { MethodName } from './api.js'

export const METHOD_CHANNEL_PREFIX = 'hearth:'
export const EVENT_CHANNEL = 'hearth:event'

/** The channel of one method. */
export function channelFor (method: MethodName): string {
  return METHOD_CHANNEL_PREFIX + method
}
