/** IPC channel names shared by the main process and the preload. */
export const METHOD_CHANNEL_PREFIX = 'hearth:'
export const EVENT_CHANNEL = 'hearth:event'
