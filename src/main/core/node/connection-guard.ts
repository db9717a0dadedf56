/**
 * What one host, and strangers together, may hold of this node. libp2p
 * bounds connections per node and new connections per host and second, but
 * a host that stays within that rate could still hold every handshake slot
 * with sockets that never speak, keep every connection slot, and make each
 * stream it opens answer "ls" with our whole protocol list. So:
 *
 * - one host may have only a couple of inbound connections in the
 *   handshake at once (the connection gater counts them);
 * - a peer that is not trusted (not a contact) is a stranger: strangers may
 *   hold a few inbound connections per host and a share of the node's
 *   slots, so contacts always find room; contacts are tagged so that the
 *   connection manager prunes strangers first;
 * - a stranger's connection with no Hearth stream open for a while is
 *   closed: a stranger has nothing to do here but one contact exchange;
 * - an inbound stream may send back only a few bytes before its protocol is
 *   agreed, which a protocol list does not fit in: a stream that asks for
 *   one is reset, and its connection closed (over TCP, and over
 *   WebRTC-direct, whose muxer the transport makes: see webrtc-direct.ts).
 */
import type { Connection, ConnectionGater, MultiaddrConnection, MessageStream, PeerId, PeerStore, Startable, Stream, StreamMuxerFactory } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'
import { createLog } from '../log.js'

const log = createLog('guard')

/** The peer store tag that marks a contact's peer: the connection manager prunes lower values first. */
export const CONTACT_TAG = 'hearth-contact'
const CONTACT_TAG_VALUE = 100
const HEARTH_PROTOCOLS = '/hearth/'

export interface GuardLimits {
  /** Inbound connections one host may have in the handshake at once. */
  pendingPerHost: number
  /** Inbound connections from strangers, per host. */
  strangersPerHost: number
  /** Inbound connections from strangers, in all. */
  strangers: number
  /** A stranger's connection with no Hearth stream open for this long is closed. */
  strangerIdleMs: number
  /** Bytes an inbound stream may send back before its protocol is agreed. */
  negotiationReplyBytes: number
}

export interface GuardInit extends GuardLimits {
  /** Peers that are not strangers (contacts, fellow group members). */
  trusted: (peerId: string) => boolean
}

export interface GuardComponents {
  connectionManager: ConnectionManager
  peerStore: PeerStore
}

/** The host part of a connection's address (an IP), or undefined when it has none. */
export function hostOf (ma: Multiaddr): string | undefined {
  const first = ma.getComponents()[0]
  if (first == null || (first.name !== 'ip4' && first.name !== 'ip6') || first.value == null) return undefined
  const ip = first.value.split('%')[0] ?? first.value
  return (/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip).toLowerCase()
}

class NegotiationOverrun extends Error {
  readonly code = 'NEGOTIATION_OVERRUN'
  constructor () {
    super('an inbound stream sent back too much before its protocol was agreed')
    this.name = 'NegotiationOverrun'
  }
}

export class ConnectionGuard implements Startable {
  readonly #init: GuardInit
  #components?: GuardComponents
  /** Inbound connections in the handshake, by host. */
  readonly #pending = new Map<string, number>()
  readonly #pendingConns = new Map<MultiaddrConnection, string>()
  /** Strangers' connections past the encryption gate and not yet open. */
  readonly #admitting = new Map<MultiaddrConnection, string>()
  /** When each stranger's connection last had a Hearth stream open. */
  readonly #lastActive = new WeakMap<Connection, number>()
  #sweep?: ReturnType<typeof setInterval>

  constructor (init: GuardInit) {
    this.#init = init
  }

  /** Binds the guard to the node's components (as a libp2p service). */
  attach (components: GuardComponents): this {
    this.#components = components
    return this
  }

  start (): void {
    const every = Math.max(250, Math.floor(this.#init.strangerIdleMs / 10))
    this.#sweep = setInterval(() => { this.closeIdleStrangers() }, every)
    this.#sweep.unref()
  }

  stop (): void {
    if (this.#sweep != null) clearInterval(this.#sweep)
    this.#sweep = undefined
  }

  /** `base` with the guard's checks added. */
  gater (base: ConnectionGater): ConnectionGater {
    return {
      ...base,
      denyInboundConnection: async (maConn) => (await base.denyInboundConnection?.(maConn)) === true || this.denyPending(maConn),
      denyInboundEncryptedConnection: async (peerId, maConn) => (await base.denyInboundEncryptedConnection?.(peerId, maConn)) === true || this.denyStranger(peerId, maConn),
      denyInboundUpgradedConnection: async (peerId, maConn) => {
        this.settled(maConn)
        return (await base.denyInboundUpgradedConnection?.(peerId, maConn)) === true
      },
      denyOutboundEncryptedConnection: async (peerId, maConn) => {
        await this.tagIfTrusted(peerId)
        return (await base.denyOutboundEncryptedConnection?.(peerId, maConn)) === true
      }
    }
  }

  /** A stream muxer whose inbound streams may send back only a few bytes before their protocol is agreed. */
  muxer<C> (factory: (components: C) => StreamMuxerFactory): (components: C) => StreamMuxerFactory {
    return (components) => this.guardMuxer(factory(components))
  }

  /** The same for a muxer factory made per connection (WebRTC-direct's, which libp2p gets from the transport, not the node's options). */
  guardMuxer (inner: StreamMuxerFactory): StreamMuxerFactory {
    return {
      protocol: inner.protocol,
      createStreamMuxer: (maConn: MessageStream) => {
        const muxer = inner.createStreamMuxer(maConn)
        const onStream = (evt: CustomEvent<Stream>): void => {
          this.boundNegotiation(evt.detail, (err) => {
            log('closed a connection whose stream overran protocol negotiation')
            maConn.abort(err)
          })
        }
        // Listening from the start would take the streams a muxer keeps
        // until libp2p listens ("early streams"), so the guard listens
        // just before libp2p does: it sees each stream before negotiation.
        const add = muxer.addEventListener.bind(muxer)
        let guarded = false
        muxer.addEventListener = ((...args: Parameters<typeof add>) => {
          if (args[0] === 'stream' && !guarded) {
            guarded = true
            add('stream', onStream)
          }
          add(...args)
        }) as typeof add
        return muxer
      }
    }
  }

  private denyPending (maConn: MultiaddrConnection): boolean {
    const host = hostOf(maConn.remoteAddr)
    if (host == null) return false
    const pending = this.#pending.get(host) ?? 0
    if (pending >= this.#init.pendingPerHost) {
      log('refused a connection: %d already in the handshake from that host', pending)
      return true
    }
    if (maConn.status !== 'open') return false
    this.#pending.set(host, pending + 1)
    this.#pendingConns.set(maConn, host)
    maConn.addEventListener('close', () => { this.settled(maConn) }, { once: true })
    return false
  }

  /** The handshake ended (the connection is up, or gone). */
  private settled (maConn: MultiaddrConnection): void {
    this.#admitting.delete(maConn)
    const host = this.#pendingConns.get(maConn)
    if (host == null) return
    this.#pendingConns.delete(maConn)
    const left = (this.#pending.get(host) ?? 1) - 1
    if (left > 0) this.#pending.set(host, left)
    else this.#pending.delete(host)
  }

  private async denyStranger (peerId: PeerId, maConn: MultiaddrConnection): Promise<boolean> {
    if (await this.tagIfTrusted(peerId)) return false
    const host = hostOf(maConn.remoteAddr)
    const strangers = [
      ...this.connections()
        .filter(c => c.direction === 'inbound' && c.status === 'open' && !this.#init.trusted(c.remotePeer.toString()))
        .map(c => hostOf(c.remoteAddr)),
      ...this.#admitting.values()
    ]
    if (strangers.length >= this.#init.strangers) {
      log('refused a stranger: %d stranger connections already', strangers.length)
      return true
    }
    if (host != null && strangers.filter(h => h === host).length >= this.#init.strangersPerHost) {
      log('refused a stranger: its host holds %d stranger connections already', this.#init.strangersPerHost)
      return true
    }
    if (host != null && maConn.status === 'open') this.#admitting.set(maConn, host)
    return false
  }

  /** Tags a contact's peer so the connection manager prunes strangers first; true if it is one. */
  private async tagIfTrusted (peerId: PeerId): Promise<boolean> {
    if (!this.#init.trusted(peerId.toString())) return false
    try {
      await this.#components?.peerStore.merge(peerId, { tags: { [CONTACT_TAG]: { value: CONTACT_TAG_VALUE } } })
    } catch (err) {
      log('could not tag a contact - %e', err)
    }
    return true
  }

  private connections (): Connection[] {
    return this.#components?.connectionManager.getConnections() ?? []
  }

  private closeIdleStrangers (): void {
    const now = Date.now()
    for (const c of this.connections()) {
      if (c.status !== 'open' || this.#init.trusted(c.remotePeer.toString())) continue
      if (c.streams.some(s => s.protocol.startsWith(HEARTH_PROTOCOLS))) {
        this.#lastActive.set(c, now)
        continue
      }
      if (now - (this.#lastActive.get(c) ?? c.timeline.open) < this.#init.strangerIdleMs) continue
      log('closing a stranger\'s idle connection')
      c.close({ signal: AbortSignal.timeout(1_000) }).catch(err => { c.abort(err as Error) })
    }
  }

  private boundNegotiation (stream: Stream, onOverrun: (err: Error) => void): void {
    if (stream.direction !== 'inbound' || stream.protocol !== '') return
    const send = stream.send.bind(stream)
    let sent = 0
    stream.send = (data: Uint8Array | Uint8ArrayList): boolean => {
      if (stream.protocol === '') {
        sent += data.byteLength
        if (sent > this.#init.negotiationReplyBytes) {
          const err = new NegotiationOverrun()
          stream.abort(err)
          onOverrun(err)
          throw err
        }
      }
      return send(data)
    }
  }
}
