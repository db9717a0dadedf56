/**
 * The libp2p node, built in one place as defaults plus overrides. Every
 * resource a remote peer can make us spend has an explicit bound here; the
 * README lists them.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p, type Libp2pOptions } from 'libp2p'
import type { ConnectionGater, PrivateKey } from '@libp2p/interface'
import type { Identify } from '@libp2p/identify'
import type { Ping } from '@libp2p/ping'
import { ConnectionGuard } from './connection-guard.js'
import { isLanMultiaddr } from './lan.js'
import { NearbyService, type NearbyInit } from './nearby.js'
import { DialGate, guardWebRTCDirect } from './webrtc-direct.js'

/** Limits on what peers may make this node hold. */
export const NODE_LIMITS = {
  /** Hearth is for small circles; a few dozen nearby peers at most. */
  maxConnections: 64,
  /** Connections still in the Noise/Yamux handshake, from all hosts... */
  maxIncomingPendingConnections: 32,
  /** ...and from one host (so one host's idle sockets cannot take every slot). */
  pendingPerHost: 2,
  /** New inbound connections per second from one host before they are refused. */
  inboundConnectionThreshold: 5,
  /** Inbound connections from strangers (peers not trusted), per host and in all: half the slots, so contacts find room. */
  strangersPerHost: 4,
  strangers: 32,
  /** A stranger's connection with no Hearth stream open for this long is closed (one contact exchange takes at most 10 s). */
  strangerIdleMs: 10_000,
  maxParallelDials: 16,
  dialTimeoutMs: 8_000,
  /** A Noise and Yamux handshake on a LAN takes milliseconds. */
  inboundUpgradeTimeoutMs: 3_000,
  /** An inbound stream must name its protocol within this long (the opener gives up after 5 s anyway). */
  inboundNegotiationTimeoutMs: 5_000,
  /** Bytes an inbound stream may send back before its protocol is agreed: the header and the protocol's name, not the protocol list ("ls"). */
  negotiationReplyBytes: 96,
  /** Streams per connection, all protocols together; per-protocol limits are lower. */
  maxStreamsPerConnection: 64,
  /** Largest yamux frame we send. */
  maxMuxerMessageBytes: 64 * 1024,
  /** Bytes a stream may buffer unread before it is reset. */
  maxStreamReadBufferBytes: 256 * 1024,
  /** Bytes a stream may queue unsent before it is reset. */
  maxStreamWriteBufferBytes: 1024 * 1024,
  /** Early streams opened before a handler is attached. */
  maxEarlyStreams: 4,
  /** How often connected peers are pinged; a failed ping closes the connection. */
  pingIntervalMs: 4_000,
  /**
   * How long a ping may take (it adapts to the link within these bounds). A
   * peer whose link drops shows offline within ping interval + this: 8 s.
   */
  pingTimeoutMinMs: 2_000,
  pingTimeoutMaxMs: 4_000
} as const

export interface NodeOptions {
  privateKey: PrivateKey
  /** Multiaddrs to listen on; defaults to TCP and WebRTC-direct on every interface, random ports. */
  listen?: string[]
  mdns?: boolean | NearbyInit
  /** Peers that are not strangers (contacts, fellow group members). Strangers get fewer connections, and lose idle ones. */
  trusted?: (peerId: string) => boolean
  /** Overrides for tests. */
  pingIntervalMs?: number
}

export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0', '/ip4/0.0.0.0/udp/0/webrtc-direct']

/** Refuses to dial or accept anything outside the LAN. */
export const lanOnlyGater: ConnectionGater = {
  denyDialMultiaddr: async (ma) => !isLanMultiaddr(ma),
  denyInboundConnection: async (maConn) => !isLanMultiaddr(maConn.remoteAddr),
  // Also the peer store's address filter: what a peer announces off the LAN
  // (a public IP, a DNS name) is never even kept.
  filterMultiaddrForPeer: (_peer, ma) => isLanMultiaddr(ma)
}

export type HearthServices = { identify: Identify, ping: Ping, nearby: NearbyService, guard: ConnectionGuard }
export type HearthNode = Libp2p<HearthServices>

export async function createNode (options: NodeOptions): Promise<HearthNode> {
  const mdnsInit: NearbyInit = typeof options.mdns === 'object' ? options.mdns : { enabled: options.mdns ?? true }
  const guard = new ConnectionGuard({
    trusted: options.trusted ?? (() => false),
    pendingPerHost: NODE_LIMITS.pendingPerHost,
    strangersPerHost: NODE_LIMITS.strangersPerHost,
    strangers: NODE_LIMITS.strangers,
    strangerIdleMs: NODE_LIMITS.strangerIdleMs,
    negotiationReplyBytes: NODE_LIMITS.negotiationReplyBytes
  })
  const listen = options.listen ?? DEFAULT_LISTEN
  const transports: NonNullable<Libp2pOptions['transports']> = [tcp({ maxConnections: NODE_LIMITS.maxConnections })]
  if (listen.some(a => a.includes('/webrtc-direct'))) {
    // Loaded only when used: it is most of the node's start-up time and memory.
    const { webRTCDirect } = await import('@libp2p/webrtc')
    // No ICE servers: the default list would contact public STUN servers.
    // Its dials held to the limits TCP connections have, and its streams to the same guard (see webrtc-direct.ts).
    const gate = new DialGate({
      pending: NODE_LIMITS.maxIncomingPendingConnections,
      pendingPerHost: NODE_LIMITS.pendingPerHost,
      perHostPerSecond: NODE_LIMITS.inboundConnectionThreshold
    })
    transports.push(guardWebRTCDirect(webRTCDirect({ rtcConfiguration: { iceServers: [] } }), gate, f => guard.guardMuxer(f)))
  }
  return createLibp2p<HearthServices>({
    privateKey: options.privateKey,
    start: false,
    nodeInfo: { name: 'hearth', version: '1', userAgent: 'hearth' },
    addresses: { listen },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [guard.muxer(yamux({
      maxInboundStreams: NODE_LIMITS.maxStreamsPerConnection,
      maxOutboundStreams: NODE_LIMITS.maxStreamsPerConnection,
      maxMessageSize: NODE_LIMITS.maxMuxerMessageBytes,
      maxEarlyStreams: NODE_LIMITS.maxEarlyStreams,
      streamOptions: {
        maxReadBufferLength: NODE_LIMITS.maxStreamReadBufferBytes,
        maxWriteBufferLength: NODE_LIMITS.maxStreamWriteBufferBytes
      }
    }))],
    connectionGater: guard.gater(lanOnlyGater),
    connectionManager: {
      maxConnections: NODE_LIMITS.maxConnections,
      maxIncomingPendingConnections: NODE_LIMITS.maxIncomingPendingConnections,
      inboundConnectionThreshold: NODE_LIMITS.inboundConnectionThreshold,
      maxParallelDials: NODE_LIMITS.maxParallelDials,
      dialTimeout: NODE_LIMITS.dialTimeoutMs,
      inboundUpgradeTimeout: NODE_LIMITS.inboundUpgradeTimeoutMs,
      inboundStreamProtocolNegotiationTimeout: NODE_LIMITS.inboundNegotiationTimeoutMs,
      // Reconnection is Hearth's job (contacts only), not libp2p's.
      reconnectRetries: 0,
      // No /dnsaddr resolution: a name lookup would itself leave the LAN.
      resolvers: {}
    },
    // Peers we only met once (strangers, requesters) fall out of memory.
    peerStore: { maxAddressAge: 10 * 60_000, maxPeerAge: 30 * 60_000 },
    connectionMonitor: {
      pingInterval: options.pingIntervalMs ?? NODE_LIMITS.pingIntervalMs,
      pingTimeout: { minTimeout: NODE_LIMITS.pingTimeoutMinMs, maxTimeout: NODE_LIMITS.pingTimeoutMaxMs }
    },
    // Discovery goes through NearbyService, which keeps its own bounded table,
    // so mDNS answers never grow libp2p's peer store.
    peerDiscovery: [],
    services: {
      identify: identify(),
      ping: ping(),
      nearby: (components) => new NearbyService(components, mdnsInit),
      guard: (components) => guard.attach(components)
    }
  })
}
