/** Words for group conversations: system lines, delivery counts, previews. No state. */
import type { GroupReceipts, Message, MessageStatus } from '../../../shared/api'
import { timerName } from './timers'

/** Looks up a member's name by peer id. */
export type NameOf = (peerId: string) => string

const STATUS_LABEL: Record<MessageStatus, string> = { pending: 'Waiting to send', sent: 'Sent', delivered: 'Delivered', read: 'Read' }

/**
 * What a system line in a group says: "Alice added Carol", "Bob left",
 * "You were removed by Alice", "Alice renamed the group to …".
 * `name` gives a member's name; `self` is my peer id.
 */
export function systemText (system: NonNullable<Message['system']>, self: string, name: NameOf): string {
  const by = system.by === self ? 'You' : name(system.by)
  const change = system.group
  if (change == null) {
    return system.timer != null ? `${by} set disappearing messages to ${timerName(system.timer).toLowerCase()}` : `${by} changed the conversation`
  }
  const target = change.peerId == null ? undefined : change.peerId === self ? 'you' : (change.name != null && change.name.length > 0 ? change.name : name(change.peerId))
  switch (change.kind) {
    case 'created': return `${by} created the group${change.name != null ? ` “${change.name}”` : ''}`
    case 'added': return `${by} added ${target ?? 'someone'}`
    case 'removed':
      if (change.peerId === self) return `You were removed by ${by}`
      return `${by} removed ${target ?? 'someone'}`
    case 'left': return `${by} left`
    case 'promoted': return change.peerId === self ? `${by} made you an admin` : `${by} made ${target ?? 'someone'} an admin`
    case 'renamed': return `${by} renamed the group to “${change.name ?? ''}”`
  }
}

/** How far one of my group messages got, in words: "Delivered to 3 of 4", "Read by 2 of 4". */
export function receiptLabel (status: MessageStatus, receipts: GroupReceipts | undefined): string {
  if (receipts == null || receipts.of === 0) return STATUS_LABEL[status]
  const { delivered, read, of } = receipts
  if (read > 0 && read >= of) return `Read by ${of} of ${of}`
  if (read > 0) return `Read by ${read} of ${of}, delivered to ${Math.max(delivered, read)} of ${of}`
  if (delivered > 0) return `Delivered to ${delivered} of ${of}`
  return status === 'pending' ? 'Waiting to send' : `Sent, delivered to none of ${of} yet`
}

/** The count the ticks show: readers once anyone read it, else those who have it. */
export function receiptCount (receipts: GroupReceipts): { count: number, reading: boolean } {
  return receipts.read > 0 ? { count: receipts.read, reading: true } : { count: receipts.delivered, reading: false }
}
