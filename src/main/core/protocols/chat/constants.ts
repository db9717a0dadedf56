export const CHAT_PROTOCOL = '/hearth/chat/1.0.0'

/** Largest frame: a 16 KiB text plus framing, or an ack of MAX_ACK_IDS ids, fits with room to spare. */
export const MAX_FRAME_BYTES = 32 * 1024

/** One stream per direction is normal; a little slack covers a reconnect racing an old stream. */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4

/** Reliable frames sent but not yet acknowledged, per peer. Bounds memory and keeps the pipe full. */
export const SEND_WINDOW = 512

/** The most ids one ack carries (and the most we accept). */
export const MAX_ACK_IDS = 512

/** The most message ids one read receipt names (and the most we accept). */
export const MAX_RECEIPT_IDS = 256

/**
 * Receipt ids naming no message of ours that one contact may make us look
 * up: a burst, then 100 a second (one per UNKNOWN_RECEIPT_REFILL_MS). A
 * receipt is looked up while the budget is above zero, and its unknown ids
 * are charged after (into debt, one receipt's worth at most). Hearth's own
 * receipts name messages it was sent, so only a contact that makes ids up
 * runs out; its receipts are then acknowledged and dropped unread until the
 * budget has refilled.
 */
export const UNKNOWN_RECEIPT_BURST = 4096
export const UNKNOWN_RECEIPT_REFILL_MS = 10

/** Frames the receiver commits in one store batch (and acknowledges with one ack). */
export const RECEIVE_BATCH = 256

/** Frames the receiver buffers before it stops reading (backpressure onto the sender); at most 8 MiB. */
export const RECEIVE_QUEUE = 256

/** Without any ack for this long while frames are in flight, the stream is reset and the frames re-sent. */
export const ACK_TIMEOUT_MS = 20_000

/** Frames are written in slices of this many bytes, waiting for the stream to drain in between. */
export const WRITE_SLICE_BYTES = 64 * 1024

/** Opening a stream gives up after this long. */
export const OPEN_TIMEOUT_MS = 5_000

/** Retry delays after a failed send, doubling up to the maximum. */
export const RETRY_MIN_MS = 250
export const RETRY_MAX_MS = 30_000

/** A typing indicator with no refresh goes out after this long. */
export const TYPING_TTL_MS = 6_000
