/**
 * What @libp2p/webrtc's WebRTC-direct listener needs around it here.
 *
 * 1. Dials are gated before they cost anything. Every STUN binding request
 *    with a new ufrag is a new dial, and the listener answers each with an
 *    RTCPeerConnection (a certificate, a DTLS and an SCTP stack) that lives
 *    until the inbound upgrade times out. libp2p's own limits (connections
 *    per host and second, the LAN-only gater, pending connections) only
 *    apply once that connection is up, so a stranger sending a few hundred
 *    small UDP packets a second grew the node by 580 MiB in half a minute.
 *    The gate holds WebRTC-direct dials to the limits TCP has: from the LAN
 *    only, a few new ones per host and second, a couple per host in the
 *    handshake, and a bounded number in all. A dial beyond them is dropped
 *    unanswered (the dialer times out), as a refused TCP connection would
 *    be.
 *
 * 2. Its connections' inbound streams get the same negotiation guard as
 *    TCP's (connection-guard.ts): the transport makes a muxer per
 *    connection and hands it to the upgrader itself, past the node's
 *    muxer options, so the upgrader it is given is wrapped instead.
 *
 * 3. A UDP mux listener is never stopped while the process lives.
 *    node-datachannel 0.33 stops a mux listener and frees it at once, while
 *    libjuice's mux thread may still be handing it a STUN request: a dial
 *    arriving as the node stops (lock, quit) corrupts memory and the process
 *    dies (SIGSEGV, abort). So the listener's own stop is skipped, and its
 *    native listener kept referenced (a garbage-collected one would be freed
 *    the same way). Everything else still stops: libp2p's listener aborts
 *    its signal and closes its connections, so a dial that still reaches the
 *    old port makes no connection. The port stays bound, silent, until the
 *    process exits; a restarted node listens on a new random port (on a
 *    fixed port, the CLI's, it is the next process's). That random port is
 *    picked here, free for UDP: libp2p picks it with get-port, which asks
 *    for a free TCP port, and may so pick a port a kept mux still holds.
 *
 * The first and last reach into the listener's internals
 * (`incomingConnection`, `stunServer`), pinned by the lockfile; the hostile
 * tests fail if any of the three stops taking effect.
 */
import { createSocket } from 'node:dgram'
import type { StreamMuxerFactory, Transport, Upgrader } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { TokenBucket } from '../token-bucket.js'
import { isLanIp } from './lan.js'

export interface DialGateLimits {
  /** WebRTC-direct dials in the handshake, in all. */
  pending: number
  /** ...and from one host. */
  pendingPerHost: number
  /** New dials one host may start per second. */
  perHostPerSecond: number
}

/** Hosts whose dial rate is remembered at once; beyond it, idle ones are forgotten, and new ones refused while none is idle. */
const MAX_RATED_HOSTS = 1024

/** Admits a WebRTC-direct dial only within the limits; `release` when its handshake is over (connected or not). */
export class DialGate {
  readonly #limits: DialGateLimits
  readonly #now: () => number
  readonly #pending = new Map<string, number>()
  #pendingTotal = 0
  readonly #rates = new Map<string, TokenBucket>()
  /** Dials refused so far, and admitted. */
  refused = 0
  admitted = 0

  constructor (limits: DialGateLimits, now: () => number = Date.now) {
    this.#limits = limits
    this.#now = now
  }

  admit (host: string): boolean {
    const pending = this.#pending.get(host) ?? 0
    const ok = isLanIp(host) &&
      this.#pendingTotal < this.#limits.pending &&
      pending < this.#limits.pendingPerHost &&
      this.#rate(host)?.take() === true
    if (!ok) {
      this.refused++
      return false
    }
    this.admitted++
    this.#pending.set(host, pending + 1)
    this.#pendingTotal++
    return true
  }

  release (host: string): void {
    const pending = this.#pending.get(host)
    if (pending == null) return
    if (pending <= 1) this.#pending.delete(host)
    else this.#pending.set(host, pending - 1)
    this.#pendingTotal--
  }

  /** Dials in the handshake now. */
  get pending (): number {
    return this.#pendingTotal
  }

  #rate (host: string): TokenBucket | undefined {
    let bucket = this.#rates.get(host)
    if (bucket != null) return bucket
    if (this.#rates.size >= MAX_RATED_HOSTS) {
      const capacity = this.#limits.perHostPerSecond
      for (const [h, b] of this.#rates) if (b.available() >= capacity) this.#rates.delete(h)
      if (this.#rates.size >= MAX_RATED_HOSTS) return undefined
    }
    bucket = new TokenBucket(this.#limits.perHostPerSecond, 1000 / this.#limits.perHostPerSecond, this.#now)
    this.#rates.set(host, bucket)
    return bucket
  }
}

type IncomingConnection = (ufrag: string, host: string, port: number, signal: AbortSignal) => Promise<void>

/** What of the listener's internals this reaches into. */
interface ListenerInternals {
  incomingConnection?: IncomingConnection
  stunServer?: { close: () => Promise<void> }
}

/** The original stop of every UDP mux this process opened: never called, kept so that the native listener stays referenced. */
const retainedMuxes = new Map<object, () => Promise<void>>()

type MuxerGuard = (factory: StreamMuxerFactory) => StreamMuxerFactory

/** An upgrader that guards the muxer factory a transport hands it. */
function guardedUpgrader (upgrader: Upgrader, guard: MuxerGuard): Upgrader {
  const guarded = <O extends { muxerFactory?: StreamMuxerFactory }>(opts: O): O =>
    opts.muxerFactory == null ? opts : { ...opts, muxerFactory: guard(opts.muxerFactory) }
  return {
    upgradeInbound: (async (maConn, opts) => upgrader.upgradeInbound(maConn, guarded(opts))) as Upgrader['upgradeInbound'],
    upgradeOutbound: (async (maConn, opts) => upgrader.upgradeOutbound(maConn, guarded(opts))) as Upgrader['upgradeOutbound'],
    createInboundAbortSignal: upgrader.createInboundAbortSignal.bind(upgrader),
    getStreamMuxers: upgrader.getStreamMuxers.bind(upgrader),
    getConnectionEncrypters: upgrader.getConnectionEncrypters.bind(upgrader)
  }
}

/** How many free UDP ports a listener tries before it gives up (another process may take one between the pick and the bind). */
const LISTEN_ATTEMPTS = 3

/** A UDP port free on `host` now: the system's pick for a socket bound to port 0. */
async function freeUdpPort (host: string, family: 'udp4' | 'udp6'): Promise<number> {
  const socket = createSocket(family)
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, host, resolve)
    })
    return socket.address().port
  } finally {
    socket.close()
  }
}

/** Listens on `ma`; for port 0, on a port free for UDP (see 3. above). */
async function listenOnFreeUdpPort (listen: (ma: Multiaddr) => Promise<void>, ma: Multiaddr): Promise<void> {
  const match = /^\/(ip4|ip6)\/([^/]+)\/udp\/0(\/.*)$/.exec(ma.toString())
  if (match == null) return listen(ma)
  const [, ip, host, rest] = match as unknown as [string, 'ip4' | 'ip6', string, string]
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort(host, ip === 'ip4' ? 'udp4' : 'udp6')
    try {
      return await listen(multiaddr(`/${ip}/${host}/udp/${port}${rest}`))
    } catch (err) {
      if (attempt >= LISTEN_ATTEMPTS) throw err
    }
  }
}

/**
 * Wraps the WebRTC-direct transport: its listeners gate dials with `gate`
 * and never stop their UDP mux, and its connections' muxers, both ways,
 * are guarded by `guardMuxer`.
 */
export function guardWebRTCDirect<C> (factory: (components: C) => Transport, gate: DialGate, guardMuxer: MuxerGuard): (components: C) => Transport {
  return (components) => {
    const transport = factory(components)
    const dial = transport.dial.bind(transport)
    transport.dial = async (ma, options) => dial(ma, { ...options, upgrader: guardedUpgrader(options.upgrader, guardMuxer) })
    const createListener = transport.createListener.bind(transport)
    transport.createListener = (options) => {
      const listener = createListener({ ...options, upgrader: guardedUpgrader(options.upgrader, guardMuxer) })
      const listen = listener.listen.bind(listener)
      listener.listen = async (ma) => listenOnFreeUdpPort(listen, ma)
      const internals = listener as unknown as ListenerInternals
      const incoming = internals.incomingConnection?.bind(listener)
      if (incoming == null) throw new Error('@libp2p/webrtc: the WebRTC-direct listener has no incomingConnection to gate')
      internals.incomingConnection = async (ufrag, host, port, signal) => {
        if (!gate.admit(host)) return
        try {
          await incoming(ufrag, host, port, signal)
        } finally {
          gate.release(host)
        }
      }
      listener.addEventListener('listening', () => {
        const server = internals.stunServer
        if (server == null || retainedMuxes.has(server)) return
        retainedMuxes.set(server, server.close)
        server.close = async () => {}
      })
      return listener
    }
    return transport
  }
}
