/**
 * Keeps contacts connected: dials each contact that is not connected, at
 * the addresses it announced (identify), the ones mDNS shows now, or the
 * ones from its invite, with backoff. Only contacts are ever dialed
 * automatically; strangers announcing themselves over mDNS never are.
 *
 * An mDNS announcement is unsigned: anyone can claim a contact's (public)
 * peer id at any address. So an announcement may bring a contact's next
 * try forward once per backoff window, no more, and never sooner than
 * LINK_MIN_GAP_MS after the last one; and announcements bring dials forward
 * at most ANNOUNCED_DIALS_BURST times, then once per
 * ANNOUNCED_DIALS_REFILL_MS, across all contacts.
 */
import { CODE_P2P, multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ContactBook } from './contact-book.js'
import { createLog } from './log.js'
import type { HearthNode } from './node/create-node.js'
import { isLanMultiaddr } from './node/lan.js'
import { TokenBucket } from './token-bucket.js'

const log = createLog('links')

export const LINK_CHECK_MS = 5_000
export const LINK_BACKOFF_MIN_MS = 2_000
export const LINK_BACKOFF_MAX_MS = 60_000
/** One contact is dialed at most this often, whatever asks for it. */
export const LINK_MIN_GAP_MS = 2_000
/** Dials brought forward by announcements, across all contacts: a burst, then one per refill. */
export const ANNOUNCED_DIALS_BURST = 4
export const ANNOUNCED_DIALS_REFILL_MS = 2_000
const DIAL_TIMEOUT_MS = 8_000

/** When a contact may next be dialed; `hastened` once an announcement brought this window's try forward. */
interface Backoff { next: number, delay: number, hastened: boolean }

/** Mismatch alarms per contact are at most this frequent. */
const MISMATCH_ALARM_MS = 10 * 60_000

/**
 * True when a dial failed because someone else answered: Noise found a
 * different identity key at an address we expected the contact at.
 */
export function isIdentityMismatch (err: unknown, self?: string): boolean {
  const e = err as { name?: string, message?: string, errors?: unknown[] } | undefined
  if (e == null) return false
  if (e.name === 'UnexpectedPeerError') return true
  if (e.name === 'EncryptionFailedError' && /does not match expected remote identity/.test(e.message ?? '')) {
    // Reaching ourselves (a contact's loopback address, say, on a port we
    // listen on too) is a wrong number, not an impostor.
    const answered = /Payload identity key (\S+)/.exec(e.message ?? '')?.[1]
    return self == null || answered !== self
  }
  return Array.isArray(e.errors) && e.errors.some(x => isIdentityMismatch(x, self))
}

export class ContactLinks {
  readonly #node: HearthNode
  readonly #contacts: ContactBook
  readonly #now: () => number
  readonly #backoff = new Map<string, Backoff>()
  /** When each contact was last dialed. */
  readonly #lastDial = new Map<string, number>()
  readonly #announced: TokenBucket
  readonly #dialing = new Set<string>()
  readonly #alarmed = new Map<string, number>()
  readonly #onMismatch: (peerId: string, addresses: string[]) => void
  readonly #others: () => Map<string, string[]>
  #timer?: ReturnType<typeof setInterval>

  /**
   * `onMismatch` hears of a contact's address answering with another
   * identity (rate-limited per contact). `others` names the peers besides
   * contacts to keep connected (fellow group members), with where they were
   * last seen.
   */
  constructor (node: HearthNode, contacts: ContactBook, now: () => number, onMismatch: (peerId: string, addresses: string[]) => void, others: () => Map<string, string[]>) {
    this.#node = node
    this.#contacts = contacts
    this.#others = others
    this.#now = now
    this.#onMismatch = onMismatch
    this.#announced = new TokenBucket(ANNOUNCED_DIALS_BURST, ANNOUNCED_DIALS_REFILL_MS, now)
  }

  start (): void {
    this.#timer = setInterval(() => { this.check() }, LINK_CHECK_MS)
    this.#timer.unref()
    this.check()
  }

  /** The set of peers to keep connected changed: try the new ones now. */
  refresh (): void {
    if (this.#timer != null) this.check()
  }

  stop (): void {
    if (this.#timer != null) clearInterval(this.#timer)
    this.#timer = undefined
  }

  /**
   * A contact announced itself nearby: try it now rather than after its
   * backoff, once per backoff window. Announcements are unsigned and come as
   * often as anyone likes, so the early try keeps the window: if it fails,
   * the next try is still the scheduled one, and the backoff still grows.
   */
  seen (peerId: string): void {
    const others = this.#others()
    if ((!this.#contacts.has(peerId) && !others.has(peerId)) || this.connected(peerId)) return
    const b = this.#backoff.get(peerId)
    if (b == null || b.next <= this.#now()) {
      this.dial(peerId, others)
      return
    }
    if (b.hastened || !this.mayDial(peerId) || !this.#announced.take()) return
    b.hastened = true
    this.dial(peerId, others, true)
  }

  private connected (peerId: string): boolean {
    return this.#node.getConnections(peerIdFromString(peerId)).length > 0
  }

  private check (): void {
    const others = this.#others()
    for (const peerId of new Set([...this.#contacts.list().map(c => c.peerId), ...others.keys()])) {
      if (!this.connected(peerId)) this.dial(peerId, others)
    }
  }

  /** Where a peer may be: nearby, as stored for a contact, and as its groups say (`others`). */
  private addresses (peerId: string, others: ReadonlyMap<string, readonly string[]>): string[] {
    const nearby = this.#node.services.nearby.get(peerId)?.addresses ?? []
    const stored = this.#contacts.get(peerId)?.addresses ?? []
    return [...new Set([...nearby, ...stored, ...(others.get(peerId) ?? [])])]
  }

  /** Not being dialed, and not dialed within the last LINK_MIN_GAP_MS. */
  private mayDial (peerId: string): boolean {
    return this.#timer != null && !this.#dialing.has(peerId) && this.#now() - (this.#lastDial.get(peerId) ?? -Infinity) >= LINK_MIN_GAP_MS
  }

  /** Dials a contact if its backoff allows (or, `early`, ahead of it without resetting it). */
  private dial (peerId: string, others: ReadonlyMap<string, readonly string[]>, early = false): void {
    if (!this.mayDial(peerId)) return
    const backoff = this.#backoff.get(peerId)
    if (!early && backoff != null && backoff.next > this.#now()) return
    // Never dial an address we listen on ourselves: a contact's loopback
    // address, announced from its own machine, would reach us.
    const own = new Set(this.#node.getMultiaddrs().map(a => a.decapsulateCode(CODE_P2P).toString()))
    const targets = this.addresses(peerId, others)
      .map(a => multiaddr(a))
      .filter(a => isLanMultiaddr(a) && !own.has(a.decapsulateCode(CODE_P2P).toString()))
      .map(a => a.getComponents().some(c => c.name === 'p2p') ? a : a.encapsulate(`/p2p/${peerId}`))
    if (targets.length === 0) return
    this.#dialing.add(peerId)
    this.#lastDial.set(peerId, this.#now())
    this.#node.dial(targets, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      .then(() => { this.#backoff.delete(peerId) })
      .catch(err => {
        if (isIdentityMismatch(err, this.#node.peerId.toString()) && this.#now() - (this.#alarmed.get(peerId) ?? -Infinity) >= MISMATCH_ALARM_MS) {
          this.#alarmed.set(peerId, this.#now())
          this.#onMismatch(peerId, targets.map(t => t.toString()))
        }
        if (early && backoff != null) {
          log('could not reach a contact announced nearby: %s', (err as Error).message)
          return
        }
        const delay = Math.min((backoff?.delay ?? LINK_BACKOFF_MIN_MS / 2) * 2, LINK_BACKOFF_MAX_MS)
        this.#backoff.set(peerId, { next: this.#now() + delay, delay, hastened: false })
        log('could not reach a contact (next try in %d ms): %s', delay, (err as Error).message)
      })
      .finally(() => { this.#dialing.delete(peerId) })
  }
}
