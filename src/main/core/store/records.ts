/**
 * Schemas of what the store holds. Every record is validated when it is
 * read back, so damage shows up as a clear error instead of a bad value
 * travelling further.
 */
import { z } from 'zod'
import { HearthError } from '../errors.js'

const peerId = z.string().min(32).max(128)
const hex = (bytes: number): z.ZodString => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`))
const status = z.enum(['pending', 'sent', 'delivered', 'read'])

export const IdentityRecord = z.object({
  privateKey: z.string(),
  name: z.string(),
  createdAt: z.number()
})
export type IdentityRecord = z.infer<typeof IdentityRecord>

export const SettingsRecord = z.object({
  readReceipts: z.boolean(),
  hideNotificationText: z.boolean().default(false),
  autoLockMinutes: z.number().int().min(0).default(0)
})
export type SettingsRecord = z.infer<typeof SettingsRecord>

export const ContactRecord = z.object({
  peerId,
  name: z.string(),
  verified: z.boolean(),
  addedAt: z.number(),
  addresses: z.array(z.string()).max(16),
  via: z.enum(['invite', 'request']),
  /** Set when its name changed to one that looks like another contact's (or ours): whose. */
  resembles: z.object({ peerId }).optional()
})
export type ContactRecord = z.infer<typeof ContactRecord>

export const MessageRecord = z.object({
  id: hex(16),
  with: peerId,
  from: peerId,
  outgoing: z.boolean(),
  text: z.string(),
  /** The hybrid logical clock value, as a decimal string (it is a 64-bit integer). */
  hlc: z.string().regex(/^\d{1,20}$/),
  sentAt: z.number(),
  receivedAt: z.number(),
  status,
  /** A system line (a timer change) rather than something someone wrote. */
  kind: z.enum(['text', 'system']).optional(),
  /** A disappearing message's lifetime in seconds; its clock starts at send (ours) or at read (theirs). */
  expiresIn: z.number().int().positive().optional(),
  /** When it disappears, once its clock has started. */
  expiresAt: z.number().optional(),
  editedAt: z.number().optional(),
  /** For a system line: who did what (set the timer, changed a group). */
  system: z.object({
    by: peerId,
    timer: z.number().int().min(0).optional(),
    group: z.object({ kind: z.enum(['created', 'added', 'removed', 'left', 'promoted', 'renamed']), peerId: peerId.optional(), name: z.string().optional() }).optional()
  }).optional(),
  /** A group message: the signed, sealed envelope it came in (base64), which members hand on to each other. */
  envelope: z.string().max(64 * 1024).optional()
})
export type MessageRecord = z.infer<typeof MessageRecord>

/**
 * Points from a message id to the message's key; once the message is gone
 * (deleted, retracted, expired), a tombstone that keeps a late duplicate
 * from bringing it back.
 */
export const MessageIndexRecord = z.union([
  z.object({ key: z.string().regex(/^[0-9a-f]+$/) }),
  z.object({ gone: z.literal(true) })
])

/** A disappearing message's entry in the expiry schedule. */
export const ExpiryRecord = z.object({ id: hex(16), with: peerId })

/** Per-conversation settings, agreed by both sides (the last change by clock wins). */
export const ConversationRecord = z.object({
  peerId,
  /** The disappearing-message timer, in seconds; 0 is off. */
  timer: z.number().int().min(0),
  /** The clock of the change that set it, and who made it. */
  hlc: z.string().regex(/^\d{1,20}$/),
  by: peerId
})
export type ConversationRecord = z.infer<typeof ConversationRecord>

export const OutboxItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), id: hex(16), to: peerId, hlc: z.string().regex(/^\d{1,20}$/), text: z.string(), expiresIn: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('read'), id: hex(16), to: peerId, messageIds: z.array(hex(16)).min(1).max(256) }),
  z.object({ kind: z.literal('profile'), id: hex(16), to: peerId, name: z.string() }),
  z.object({ kind: z.literal('retract'), id: hex(16), to: peerId, messageId: hex(16) }),
  z.object({ kind: z.literal('edit'), id: hex(16), to: peerId, messageId: hex(16), text: z.string(), editedAt: z.number() }),
  z.object({ kind: z.literal('timer'), id: hex(16), to: peerId, seconds: z.number().int().min(0), hlc: z.string().regex(/^\d{1,20}$/) })
])
export type OutboxItem = z.infer<typeof OutboxItem>

export const InviteRecord = z.object({
  createdAt: z.number(),
  expiresAt: z.number(),
  usedAt: z.number().optional(),
  /** Who redeemed it: the same peer may redeem again (its answer was lost), nobody else. */
  usedBy: z.string().optional()
})
export type InviteRecord = z.infer<typeof InviteRecord>

export const IncomingRequestRecord = z.object({
  peerId,
  name: z.string(),
  receivedAt: z.number(),
  addresses: z.array(z.string()).max(16),
  /** A declined request is kept, quietly, so the peer cannot ask again at once. */
  declinedAt: z.number().optional()
})
export type IncomingRequestRecord = z.infer<typeof IncomingRequestRecord>

export const OutgoingRequestRecord = z.object({
  peerId,
  sentAt: z.number()
})
export type OutgoingRequestRecord = z.infer<typeof OutgoingRequestRecord>

const flatRanges = z.array(z.number().int().min(1)).max(128)

/** A group as this member keeps it; its membership comes from its ops. */
export const GroupRecord = z.object({
  id: z.string().regex(/^grp-[0-9a-f]{32}$/),
  /** My last sequence number in this group. */
  mySeq: z.number().int().min(0),
  /** Which of each author's messages I have seen (stored, or gone since): flattened ranges. */
  seen: z.record(peerId, flatRanges),
  /** How far I have read each author's messages. */
  readUpTo: z.record(peerId, z.number().int().min(0)),
  /** What each member has told me of my messages: which they have, how far they read. */
  receipts: z.record(peerId, z.object({ seen: flatRanges, read: z.number().int().min(0) })),
  /** Where members were last reached. */
  addrs: z.record(peerId, z.array(z.string()).max(8)),
  /** 'member' while I am in it; after I leave or am removed, the history stays, read-only. */
  status: z.enum(['member', 'left', 'removed']),
  joinedAt: z.number()
})
export type GroupRecord = z.infer<typeof GroupRecord>

/** Validates a record read from the store. */
export function parseRecord<T> (schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new HearthError('INTERNAL', `a stored ${what} record is damaged`)
  return parsed.data
}
