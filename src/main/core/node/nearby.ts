/**
 * "Nearby on this network": peers announced over mDNS, in a bounded,
 * expiring table. Discovery never dials anyone and never touches libp2p's
 * peer store, so a flood of fake announcements costs a fixed amount of
 * memory and no connections.
 */
import { mdns, type MulticastDNSComponents } from '@libp2p/mdns'
import { TypedEventEmitter } from 'main-event'
import type { PeerDiscovery, PeerId, PeerInfo, Startable } from '@libp2p/interface'
import { createLog } from '../log.js'
import { isLanMultiaddr } from './lan.js'

const log = createLog('nearby')

/** The libp2p mDNS service name (the library's default). */
const SERVICE_TAG = '_p2p._udp.local'

export interface NearbyInit {
  enabled: boolean
  /** How often to query the LAN, in ms. */
  intervalMs?: number
  /** An entry not refreshed for this long is dropped. */
  ttlMs?: number
  /** The table never holds more than this many peers; the stalest is evicted. */
  maxPeers?: number
  /** mDNS port and group, for tests. */
  port?: number
  ip?: string
}

export const NEARBY_DEFAULTS = {
  intervalMs: 5_000,
  ttlMs: 20_000,
  maxPeers: 256,
  /** Addresses kept per peer; newer ones push out older ones. */
  maxAddressesPerPeer: 8,
  maxAddressLength: 256
} as const

export interface NearbyEntry {
  peerId: string
  addresses: string[]
  lastSeen: number
}

export interface NearbyEvents {
  /** The set of nearby peers (or their addresses) changed. */
  change: CustomEvent<void>
  /** A peer announced itself (new or refreshed). */
  seen: CustomEvent<NearbyEntry>
}

export class NearbyService extends TypedEventEmitter<NearbyEvents> implements Startable {
  readonly #components: MulticastDNSComponents & { peerId: PeerId }
  readonly #init: Required<Omit<NearbyInit, 'port' | 'ip'>> & Pick<NearbyInit, 'port' | 'ip'>
  readonly #peers = new Map<string, NearbyEntry>()
  #discovery?: PeerDiscovery & Startable
  #sweep?: ReturnType<typeof setInterval>

  constructor (components: MulticastDNSComponents & { peerId: PeerId }, init: NearbyInit) {
    super()
    this.#components = components
    this.#init = {
      enabled: init.enabled,
      intervalMs: init.intervalMs ?? NEARBY_DEFAULTS.intervalMs,
      ttlMs: init.ttlMs ?? NEARBY_DEFAULTS.ttlMs,
      maxPeers: init.maxPeers ?? NEARBY_DEFAULTS.maxPeers,
      port: init.port,
      ip: init.ip
    }
    this.onPeer = this.onPeer.bind(this)
  }

  get enabled (): boolean {
    return this.#init.enabled
  }

  async start (): Promise<void> {
    if (!this.#init.enabled) return
    const discovery = mdns({
      serviceTag: SERVICE_TAG,
      interval: this.#init.intervalMs,
      ...(this.#init.port != null ? { port: this.#init.port } : {}),
      ...(this.#init.ip != null ? { ip: this.#init.ip } : {})
    })(this.#components) as PeerDiscovery & Startable
    discovery.addEventListener('peer', this.onPeer)
    await discovery.start()
    this.#discovery = discovery
    this.#sweep = setInterval(() => { this.expire(Date.now()) }, Math.max(1000, Math.floor(this.#init.ttlMs / 4)))
    this.#sweep.unref()
  }

  /**
   * mDNS starts before the transports listen, so our first answer went out
   * empty. Now that we have addresses, ask again: we answer our own query
   * too, and everyone on the LAN sees us at once instead of at their next
   * interval.
   */
  afterStart (): void {
    const socket = (this.#discovery as { mdns?: { query: (q: unknown) => void } } | undefined)?.mdns
    socket?.query({ questions: [{ name: SERVICE_TAG, type: 'PTR' }] })
  }

  async stop (): Promise<void> {
    if (this.#sweep != null) clearInterval(this.#sweep)
    this.#sweep = undefined
    const discovery = this.#discovery
    this.#discovery = undefined
    if (discovery != null) {
      discovery.removeEventListener('peer', this.onPeer)
      await discovery.stop()
    }
    this.#peers.clear()
  }

  /** Nearby peers, most recently seen first. */
  list (): NearbyEntry[] {
    return [...this.#peers.values()].sort((a, b) => b.lastSeen - a.lastSeen).map(e => ({ ...e, addresses: [...e.addresses] }))
  }

  get (peerId: string): NearbyEntry | undefined {
    const e = this.#peers.get(peerId)
    return e == null ? undefined : { ...e, addresses: [...e.addresses] }
  }

  get size (): number {
    return this.#peers.size
  }

  /** Records an announcement. Public so tests can feed the table without a network. */
  record (info: PeerInfo, now = Date.now()): void {
    const peerId = info.id.toString()
    if (peerId === this.#components.peerId.toString()) return
    const fresh = info.multiaddrs
      .filter(ma => isLanMultiaddr(ma))
      .map(ma => ma.toString())
      .filter(s => s.length <= NEARBY_DEFAULTS.maxAddressLength)
    if (fresh.length === 0) return

    const existing = this.#peers.get(peerId)
    // Newest first, but one announcement takes at most half the slots while
    // older addresses remain: a spoofed answer cannot erase the real ones at once.
    const max = NEARBY_DEFAULTS.maxAddressesPerPeer
    const known = existing?.addresses ?? []
    const merged = [...new Set([...fresh.slice(0, max / 2), ...known, ...fresh.slice(max / 2)])].slice(0, max)
    const changed = existing == null || merged.length !== existing.addresses.length || merged.some((a, i) => a !== existing.addresses[i])
    const entry: NearbyEntry = { peerId, addresses: merged, lastSeen: now }
    this.#peers.delete(peerId)
    this.#peers.set(peerId, entry)
    if (this.#peers.size > this.#init.maxPeers) this.evictStalest()
    if (changed) this.safeDispatchEvent('change')
    this.safeDispatchEvent('seen', { detail: entry })
  }

  /** Drops entries not refreshed within the TTL. */
  expire (now: number): void {
    let removed = false
    for (const [id, entry] of this.#peers) {
      if (now - entry.lastSeen > this.#init.ttlMs) {
        this.#peers.delete(id)
        removed = true
      }
    }
    if (removed) this.safeDispatchEvent('change')
  }

  /** The map is kept in refresh order, so its first entry is the stalest. */
  private evictStalest (): void {
    const stalest = this.#peers.keys().next()
    if (stalest.done !== true) this.#peers.delete(stalest.value)
  }

  private onPeer (evt: CustomEvent<PeerInfo>): void {
    try {
      this.record(evt.detail)
    } catch (err) {
      log.error('ignored a malformed mDNS announcement - %e', err)
    }
  }
}
