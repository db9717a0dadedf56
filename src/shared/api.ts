/**
 * The one contract between Hearth's core and every front end: the desktop
 * renderer (over IPC), the headless peer (JSON-RPC on stdio) and the test
 * bridge (loopback WebSocket). Each method is declared once here, with the
 * schema its params are validated against at the boundary and the type of
 * its result; each event the core pushes is declared once too.
 */
import { z } from 'zod'
import type { ApiError } from './errors.js'
import { LIMITS, utf8Length } from './limits.js'

// ---------------------------------------------------------------- value types

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read'

export interface Identity {
  peerId: string
  name: string
  addresses: string[]
}

export interface Contact {
  peerId: string
  name: string
  online: boolean
  verified: boolean
  addedAt: number
  /** Another contact (or you) whose name this contact's latest name looks like: a possible impersonation, to be shown loudly. */
  resembles?: { peerId: string, name: string }
}

export interface NearbyPeer {
  peerId: string
  addresses: string[]
  /** True when this peer is already one of our contacts. */
  contact: boolean
}

export interface ContactRequest {
  peerId: string
  /** The name the requester gave. It is a claim: compare the peer id or the safety number. */
  name: string
  receivedAt: number
  /** A contact whose name this one resembles: a possible impersonation, to be shown loudly. */
  resembles?: { peerId: string, name: string }
}

export interface ConversationSummary {
  contact: Contact
  lastMessage?: { text: string, sentAt: number, outgoing: boolean, status: MessageStatus, kind?: 'text' | 'system' }
  unread: number
  /** The disappearing-message timer, in seconds; 0 is off. */
  timer: number
}

/** A change to a group, as a system line shows it. */
export interface GroupChange {
  kind: 'created' | 'added' | 'removed' | 'left' | 'promoted' | 'renamed'
  /** Whom it is about (added, removed, promoted). */
  peerId?: string
  /** Their name then, or the group's new name. */
  name?: string
}

/** How far one of my group messages got: to how many of its recipients, and read by how many. */
export interface GroupReceipts {
  delivered: number
  read: number
  of: number
}

export interface GroupMember {
  peerId: string
  /** A contact's name; otherwise what the admin who added them called them. */
  name: string
  admin: boolean
  you: boolean
  contact: boolean
  online: boolean
}

export interface GroupInfo {
  groupId: string
  name: string
  members: GroupMember[]
  /** Whether I may add, remove and promote. */
  admin: boolean
  /** 'left' or 'removed': the history stays, read-only. */
  status: 'member' | 'left' | 'removed'
  /** The disappearing-message timer, in seconds; 0 is off. */
  timer: number
  createdBy: string
  /** Who was in it and is no longer, with what they were called (to name them in old lines). */
  former: Array<{ peerId: string, name: string }>
}

export interface GroupSummary extends GroupInfo {
  lastMessage?: ConversationSummary['lastMessage'] & Pick<Message, 'id' | 'from' | 'system' | 'receipts'>
  unread: number
}

export interface Message {
  id: string
  /** The author's peer id (ours for messages we sent). */
  from: string
  /** The other party of the conversation: a contact's peer id, or a group id. */
  with: string
  text: string
  /** Milliseconds since the epoch, from the author's clock. */
  sentAt: number
  status: MessageStatus
  outgoing: boolean
  /** 'system' for a line about the conversation (a timer change) rather than a message. */
  kind?: 'text' | 'system'
  /** A disappearing message's lifetime, in seconds. */
  expiresIn?: number
  /** When it disappears, once its clock has started (at send for ours, at first read for theirs). */
  expiresAt?: number
  /** When its author last edited it. */
  editedAt?: number
  /** For a system line: who did it, and what (set the timer, changed the group). */
  system?: { by: string, timer?: number, group?: GroupChange }
  /** For my messages in a group: how far they got. */
  receipts?: GroupReceipts
}

/** The disappearing-message timers a conversation can have, in seconds (0 is off). */
export const TIMER_CHOICES = [0, 30, 300, 3600, 28_800, 86_400, 604_800, 2_419_200] as const
/** The longest lifetime one message may ask for: 4 weeks. */
export const MAX_EXPIRES_IN = 2_419_200
/** The most members a group may have, its creator included. */
export const MAX_GROUP_MEMBERS = 32

export interface Settings {
  readReceipts: boolean
  /** Desktop notifications say only "New message", never who or what. */
  hideNotificationText: boolean
  /** Lock after this many minutes without input; 0 never. */
  autoLockMinutes: number
}

/** Whether "remember on this device" can work here, and whether it is on. */
export interface RememberStatus {
  available: boolean
  /** Why it is unavailable, in a sentence for the user. */
  reason?: string
  enabled: boolean
}

export interface ProfileStatus {
  /** A profile exists in the data directory. */
  exists: boolean
  unlocked: boolean
  remember: RememberStatus
}

// ---------------------------------------------------------------- param schemas

const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{32,128}$/
const MESSAGE_ID = /^[0-9a-f]{32}$/

const GROUP_ID = /^grp-[0-9a-f]{32}$/

const peerId = z.string().regex(PEER_ID, 'must be a base58 peer id')
const groupId = z.string().regex(GROUP_ID, 'must be a group id (grp- and 32 hex characters)')
/** A conversation: with a contact (their peer id) or a group (its id). */
const conversationId = z.string().refine(s => PEER_ID.test(s) || GROUP_ID.test(s), 'must be a peer id or a group id')

export function isGroupId (id: string): boolean {
  return GROUP_ID.test(id)
}
const messageId = z.string().regex(MESSAGE_ID, 'must be a 32-character hex message id')
/** A display name as typed by a person or sent by a peer: trimmed, bounded, no control characters. */
export const displayNameSchema = z.string()
  .transform(s => s.trim())
  .pipe(z.string()
    .min(1, 'must not be empty')
    .max(LIMITS.nameChars, `must be at most ${LIMITS.nameChars} characters`)
    // Control, text-direction and invisible characters (format characters
    // such as a zero-width space, blank fillers) would let a name rewrite a
    // terminal line, hide text, or pass for someone else's name. The joiners
    // (emoji sequences, Persian and Indic spelling) and emoji tags are kept.
    .regex(/^(?:\u200c|\u200d|[\u{e0020}-\u{e007f}]|[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0])*$/u, 'must not contain control, invisible or text-direction characters')
    .refine(s => s.isWellFormed(), 'must be valid Unicode'))
const messageText = z.string()
  .min(1, 'must not be empty')
  .refine(s => s.isWellFormed(), 'must be valid Unicode')
  .refine(s => utf8Length(s) <= LIMITS.textBytes, `must be at most ${LIMITS.textBytes} bytes of UTF-8`)
const passphrase = z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters')

const empty = z.object({}).strict()

interface MethodSpec<P extends z.ZodType, R> {
  params: P
  /** Phantom: carries the result type only. */
  result: R
}

function method<P extends z.ZodType> (params: P): { returns: <R>() => MethodSpec<P, R> } {
  return { returns: <R>() => ({ params, result: undefined as R }) }
}

export const methods = {
  'identity.get': method(empty).returns<Identity>(),
  'identity.setName': method(z.object({ name: displayNameSchema }).strict()).returns<Identity>(),

  'invite.create': method(empty).returns<{ code: string, expiresAt: number }>(),
  'invite.accept': method(z.object({ code: z.string().min(1).max(LIMITS.inviteChars) }).strict()).returns<{ contact: Contact }>(),

  'peers.nearby': method(empty).returns<NearbyPeer[]>(),

  'contacts.list': method(empty).returns<Contact[]>(),
  'contacts.request': method(z.object({ peerId }).strict()).returns<{ peerId: string, state: 'requested' | 'already-contact' | 'added' }>(),
  'contacts.requests': method(empty).returns<ContactRequest[]>(),
  'contacts.acceptRequest': method(z.object({ peerId }).strict()).returns<{ contact: Contact }>(),
  'contacts.declineRequest': method(z.object({ peerId }).strict()).returns<null>(),
  'contacts.safetyNumber': method(z.object({ peerId }).strict()).returns<{ safetyNumber: string }>(),
  'contacts.verify': method(z.object({ peerId, verified: z.boolean().optional() }).strict()).returns<{ contact: Contact }>(),

  'messages.send': method(z.object({
    to: conversationId,
    text: messageText,
    expiresInSeconds: z.number().int().min(1, 'must be at least 1').max(MAX_EXPIRES_IN, `must be at most ${MAX_EXPIRES_IN} (4 weeks)`).optional()
  }).strict()).returns<{ id: string, status: MessageStatus, sentAt: number, expiresAt?: number }>(),
  'messages.delete': method(z.object({ id: messageId, forEveryone: z.boolean().optional() }).strict()).returns<null>(),
  'messages.edit': method(z.object({ id: messageId, text: messageText }).strict()).returns<{ id: string, editedAt: number }>(),
  'messages.list': method(z.object({
    with: conversationId,
    limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
    before: messageId.optional()
  }).strict()).returns<Message[]>(),
  'messages.markRead': method(z.object({ with: conversationId }).strict()).returns<{ count: number }>(),

  'typing.set': method(z.object({ with: peerId, typing: z.boolean() }).strict()).returns<null>(),

  'settings.get': method(empty).returns<Settings>(),
  'settings.set': method(z.object({
    readReceipts: z.boolean().optional(),
    hideNotificationText: z.boolean().optional(),
    autoLockMinutes: z.number().int().min(0, 'must be 0 (never) or more').max(24 * 60, 'must be at most a day').optional()
  }).strict()).returns<Settings>(),

  'conversations.list': method(empty).returns<ConversationSummary[]>(),
  'conversations.setTimer': method(z.object({
    with: conversationId,
    seconds: z.number().int().refine(n => (TIMER_CHOICES as readonly number[]).includes(n), `must be one of ${TIMER_CHOICES.join(', ')}`)
  }).strict()).returns<{ with: string, seconds: number }>(),

  'groups.create': method(z.object({
    name: displayNameSchema,
    members: z.array(peerId).min(1, 'must name at least one contact').max(MAX_GROUP_MEMBERS - 1, `must name at most ${MAX_GROUP_MEMBERS - 1} contacts`)
  }).strict()).returns<{ groupId: string }>(),
  'groups.list': method(empty).returns<GroupSummary[]>(),
  'groups.members': method(z.object({ groupId }).strict()).returns<GroupMember[]>(),
  'groups.add': method(z.object({ groupId, peerId }).strict()).returns<GroupInfo>(),
  'groups.remove': method(z.object({ groupId, peerId }).strict()).returns<GroupInfo>(),
  'groups.promote': method(z.object({ groupId, peerId }).strict()).returns<GroupInfo>(),
  'groups.rename': method(z.object({ groupId, name: displayNameSchema }).strict()).returns<GroupInfo>(),
  'groups.leave': method(z.object({ groupId }).strict()).returns<null>(),
  /** Who has one of my group messages, and who read it. */
  'groups.receipts': method(z.object({ id: messageId }).strict()).returns<{ delivered: GroupMember[], read: GroupMember[], waiting: GroupMember[] }>(),

  'profile.status': method(empty).returns<ProfileStatus>(),
  'profile.create': method(z.object({ name: displayNameSchema, passphrase, remember: z.boolean().optional() }).strict()).returns<Identity>(),
  'profile.unlock': method(z.object({ passphrase, remember: z.boolean().optional() }).strict()).returns<Identity>(),
  'profile.forgetDevice': method(empty).returns<null>(),
  'profile.lock': method(empty).returns<null>(),
  /** Destroys the keys, then the whole data directory. `confirm` must be "wipe". */
  'profile.wipe': method(z.object({ confirm: z.literal('wipe', { error: 'must be "wipe"' }) }).strict()).returns<null>(),
  'profile.changePassphrase': method(z.object({ current: passphrase, next: passphrase }).strict()).returns<null>()
}

export type Methods = typeof methods
export type MethodName = keyof Methods
export type ParamsOf<M extends MethodName> = z.output<Methods[M]['params']>
export type ParamsInputOf<M extends MethodName> = z.input<Methods[M]['params']>
export type ResultOf<M extends MethodName> = Methods[M]['result']

/** What the core implements: one async function per method. */
export type ApiHandlers = { [M in MethodName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> }

export const METHOD_NAMES = Object.keys(methods) as MethodName[]

export function isMethodName (name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

// ---------------------------------------------------------------- events

export interface Events {
  /** `group` when it belongs to a group; a group's system lines come this way too (`kind` 'system'). */
  'message.received': { id: string, from: string, text: string, sentAt: number, expiresIn?: number, group?: string, kind?: 'text' | 'system', system?: Message['system'] }
  /** A disappearing message's time came; it is gone from the disk too. */
  'message.expired': { id: string, with: string }
  /** A message was deleted (by us, or retracted by its author). */
  'message.deleted': { id: string, with: string }
  'message.edited': { id: string, with: string, text: string, editedAt: number }
  /** A conversation's disappearing-message timer changed; `id` is the system line that records it. */
  'conversation.timer': { with: string, seconds: number, by: string, id: string, at: number }
  'message.status': { id: string, with: string, status: MessageStatus, receipts?: GroupReceipts }
  /** A group I am in (or was in) changed: members, name, timer, or my standing in it. */
  'group.changed': { group: GroupInfo }
  'contact.online': { peerId: string, online: boolean }
  'contact.request': { peerId: string, name: string, resembles?: { peerId: string, name: string } }
  /** A contact's address answered with another identity: someone else is there, or the contact has a new key. */
  'contact.identityMismatch': { peerId: string, name: string, address: string }
  'contact.added': { contact: Contact }
  /** `resembles`: the new name looks like another contact's (or yours). */
  'contact.renamed': { peerId: string, name: string, resembles?: { peerId: string, name: string } }
  'typing': { peerId: string, typing: boolean }
  'nearby.changed': { peers: NearbyPeer[] }
  'profile.status': ProfileStatus
}

export type EventName = keyof Events

export const EVENT_NAMES: readonly EventName[] = [
  'message.received',
  'message.expired',
  'message.deleted',
  'message.edited',
  'conversation.timer',
  'message.status',
  'group.changed',
  'contact.online',
  'contact.request',
  'contact.added',
  'contact.renamed',
  'contact.identityMismatch',
  'typing',
  'nearby.changed',
  'profile.status'
]

// ---------------------------------------------------------------- boundary helpers

/** How results cross IPC and the bridge: data, never exceptions. */
export type Result<T> = { ok: true, value: T } | { ok: false, error: ApiError }

/**
 * Validates raw params for a method. Absent params mean `{}`. The error
 * message names the field and the rule, never echoes the value.
 */
export function parseParams<M extends MethodName> (name: M, raw: unknown): Result<ParamsOf<M>> {
  const parsed = methods[name].params.safeParse(raw ?? {})
  if (parsed.success) return { ok: true, value: parsed.data as ParamsOf<M> }
  const issue = parsed.error.issues[0]
  const where = issue == null || issue.path.length === 0 ? 'params' : issue.path.join('.')
  let what = issue?.message ?? 'is invalid'
  if (issue?.code === 'unrecognized_keys') what = `has unknown field ${issue.keys.slice(0, 3).map(k => `"${k.slice(0, 32)}"`).join(', ')}`
  else if (issue?.code === 'invalid_type') what = `must be ${issue.expected}`
  return { ok: false, error: { code: 'INVALID_PARAMS', message: `invalid params: ${where} ${what}` } }
}
