export const CONTACT_PROTOCOL = '/hearth/contact/1.0.0'

/** A hello carries a secret and a name; a reply a status and a name. */
export const MAX_CONTACT_FRAME_BYTES = 1024

/** One exchange per stream, and it must finish quickly. */
export const CONTACT_TIMEOUT_MS = 10_000
export const MAX_INBOUND_STREAMS = 2
export const MAX_OUTBOUND_STREAMS = 2

/**
 * Contact requests from strangers, for the whole node: a burst of 5, then
 * one every 12 s. A new peer id costs nothing to make, so the bound that
 * matters is global, not per peer.
 */
export const REQUEST_BURST = 5
export const REQUEST_REFILL_MS = 12_000

/** Pending requests kept at most; beyond it new ones are refused until some are answered. */
export const MAX_PENDING_REQUESTS = 50

export { DECLINE_COOLDOWN_MS } from '../../store/contacts.js'

/** Invite redemptions, for the whole node: a burst of 10, then one every 3 s. */
export const REDEEM_BURST = 10
export const REDEEM_REFILL_MS = 3_000
