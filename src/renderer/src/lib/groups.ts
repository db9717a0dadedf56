/** Words for conversations, groups' mostly: system lines, members' names, statuses and delivery counts. No state. */
import type { GroupInfo, GroupReceipts, Message, MessageStatus } from '../../../shared/api'
import { shortId } from './format'
import { timerName } from './timers'

/** Looks up a member's name by peer id. */
type NameOf = (peerId: string) => string

/** A message's status in words (a 1:1 message's ticks, a group message nobody has yet). */
export const STATUS_LABEL: Record<MessageStatus, string> = { pending: 'Waiting to send', sent: 'Sent', delivered: 'Delivered', read: 'Read' }

/**
 * What a system line says: in a group "Alice added Carol", "Bob left",
 * "You were removed by Alice", "Alice renamed the group to …"; in a group
 * or with a contact, "Bob set disappearing messages to 1 hour".
 * `name` gives a member's (or the contact's) name; `self` is my peer id.
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

/**
 * What to call someone in a group: a current member by their name there (a
 * contact's name, or the one the admin who added them gave), else a contact
 * by their contact name (`contactName`), else a former member by what they
 * were called, else whatever `more` knows, else a short id.
 */
export function memberName (group: Pick<GroupInfo, 'members' | 'former'>, peerId: string, contactName: (peerId: string) => string | undefined, more?: (peerId: string) => string | undefined): string {
  return group.members.find(m => m.peerId === peerId)?.name ??
    contactName(peerId) ??
    group.former.find(f => f.peerId === peerId)?.name ??
    more?.(peerId) ??
    shortId(peerId)
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
