/**
 * Desktop notifications for incoming messages. What a notification says is
 * decided by a pure function; when to show one, by a small watcher over the
 * host's events. Showing it is left to the caller (Electron's Notification).
 */
import type { ApiHandlers, Events } from '../../shared/api.js'
import { createLog } from '../core/log.js'

const log = createLog('notifications')

export interface NotificationContent { title: string, body: string }

/** The most of a message's text a notification shows, in user-perceived characters. */
export const NOTIFICATION_TEXT_LIMIT = 120

/** What a notification says when it must say nothing about who or what. */
export const PRIVATE_NOTIFICATION: Readonly<NotificationContent> = Object.freeze({ title: 'Hearth', body: 'New message' })

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Text as one line of plain characters: control characters, line breaks and
 * text-direction overrides become spaces (a peer must not be able to lay out
 * the notification), and angle brackets become look-alikes, since Linux
 * notification servers may read the body as markup (an <img> there could
 * fetch from the network, an <a> could link anywhere).
 */
function plain (text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, ' ')
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203a')
    .replace(/\s+/g, ' ')
    .trim()
}

function truncate (text: string, limit: number): string {
  const graphemes = [...segmenter.segment(text)]
  if (graphemes.length <= limit) return text
  return graphemes.slice(0, limit - 1).map(g => g.segment).join('').trimEnd() + '\u2026'
}

/**
 * What a notification for an incoming message says. Locked, or with
 * "hide notification text" on, it is only "Hearth" / "New message": no name,
 * no text. Otherwise the sender's name and the start of the text.
 */
export function notificationFor (message: { senderName?: string, text: string }, options: { locked: boolean, hideText: boolean }): NotificationContent {
  if (options.locked || options.hideText) return { ...PRIVATE_NOTIFICATION }
  const title = truncate(plain(message.senderName ?? ''), 64)
  const body = truncate(plain(message.text), NOTIFICATION_TEXT_LIMIT)
  return { title: title === '' ? PRIVATE_NOTIFICATION.title : title, body: body === '' ? PRIVATE_NOTIFICATION.body : body }
}

export interface MessageNotifierOptions {
  events: { on: (name: 'message.received', listener: (payload: Events['message.received']) => void) => () => void }
  api: Pick<ApiHandlers, 'settings.get' | 'contacts.list' | 'groups.list'>
  isLocked: () => boolean
  /** Whether the user is looking at the window already; then there is no notification. */
  isFocused: () => boolean
  show: (content: NotificationContent) => void
}

/**
 * Shows a notification for each incoming message while the window is not
 * focused. If the settings cannot be read, it says nothing about the
 * message. Returns the unsubscribe.
 */
export function notifyOnMessages (options: MessageNotifierOptions): () => void {
  const { api } = options
  const onMessage = async (message: Events['message.received']): Promise<void> => {
    // A group's system lines (someone joined, left) are no reason to interrupt anyone.
    if (options.isFocused() || message.kind === 'system') return
    let hideText = true
    try {
      hideText = (await api['settings.get']({})).hideNotificationText
    } catch {
      // Locked in the meantime, or failing: say nothing about the message.
    }
    let senderName: string | undefined
    if (!hideText) {
      try {
        if (message.group != null) {
          const group = (await api['groups.list']({})).find(g => g.groupId === message.group)
          const author = group?.members.find(m => m.peerId === message.from)?.name
          if (group != null) senderName = `${author ?? 'Someone'} in ${group.name}`
        } else {
          senderName = (await api['contacts.list']({})).find(c => c.peerId === message.from)?.name
        }
      } catch {
        // Without a name the title is just "Hearth".
      }
    }
    options.show(notificationFor({ senderName, text: message.text }, { locked: options.isLocked(), hideText }))
  }
  return options.events.on('message.received', (message) => {
    onMessage(message).catch((err: unknown) => { log.error('could not show a notification - %e', err) })
  })
}
