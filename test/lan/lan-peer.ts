/**
 * A headless Hearth peer on one host of the virtual LAN: `ip netns exec NS
 * node bin/hearth.js --rpc`, with real mDNS and the default transports (TCP
 * and WebRTC-direct on every interface), at fixed ports and a fixed data
 * directory, so a restarted peer comes back where its contacts remember it.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RpcPeer } from '../fixtures/rpc-peer.js'
import { waitFor } from '../fixtures/wait.js'
import type { LanHost } from './netns.js'

/**
 * Every host listens on the same ports, as machines running the same
 * configuration would: each namespace has its own port space.
 */
const TCP_PORT = 7301
const WEBRTC_PORT = 7302

/** Where a run keeps its peers' data directories (removed at the end, or by the next run). */
export function dataRoot (runPrefix: string): string {
  return join(tmpdir(), runPrefix)
}

export class LanPeer {
  readonly name: string
  readonly dataDir: string
  /** The running peer; replaced on every start. */
  #peer?: RpcPeer
  #peerId?: string
  /** Every process this host ever started, for the clean-up check. */
  readonly pids: number[] = []
  /** message.received ids over every life of this host (duplicates are kept). */
  readonly received: string[] = []
  /** contact.identityMismatch notifications over every life of this host. */
  readonly mismatches: unknown[] = []
  starts = 0

  constructor (readonly host: LanHost, root: string) {
    this.name = `Host ${host.label.toUpperCase()}`
    this.dataDir = join(root, host.label)
  }

  get peer (): RpcPeer {
    if (this.#peer == null) throw new Error(`${this.name} was never started`)
    return this.#peer
  }

  get peerId (): string {
    if (this.#peerId == null) throw new Error(`${this.name} was never started`)
    return this.#peerId
  }

  /** The current process is running (not killed, not ended). */
  get up (): boolean {
    const child = this.#peer?.child
    return child != null && child.exitCode == null && child.signalCode == null
  }

  /** Starts the peer in its namespace and waits for its `ready` line. `env` adds variables (e.g. DEBUG). */
  async start (env: Record<string, string> = {}): Promise<RpcPeer> {
    if (this.up) throw new Error(`${this.name} is already running`)
    const peer = RpcPeer.start({
      dataDir: this.dataDir,
      name: this.name,
      mdns: true,
      listen: [`/ip4/0.0.0.0/tcp/${TCP_PORT}`, `/ip4/0.0.0.0/udp/${WEBRTC_PORT}/webrtc-direct`],
      prefix: ['ip', 'netns', 'exec', this.host.ns],
      env
    })
    if (peer.child.pid != null) this.pids.push(peer.child.pid)
    this.#peer = peer
    this.starts++
    peer.onNotification(({ method, params }) => {
      if (method === 'message.received') this.received.push((params as { id: string }).id)
      else if (method === 'contact.identityMismatch') this.mismatches.push(params)
    })
    await waitFor(() => peer.lines.length > 0 || !this.up, `${this.name}'s ready line`, 30_000).catch(() => {})
    const first = peer.lines[0] == null ? undefined : JSON.parse(peer.lines[0]) as { method?: string }
    if (first?.method !== 'ready') {
      if (this.up) peer.kill()
      throw new Error(`${this.name} did not start: ${peer.stderr.trim() || 'no ready line within 30 s'}`)
    }
    if (this.#peerId != null && peer.ready.peerId !== this.#peerId) throw new Error(`${this.name} came back with another identity`)
    this.#peerId = peer.ready.peerId
    return peer
  }

  /** kill -9, and wait until the process is gone. */
  async kill (): Promise<void> {
    const peer = this.#peer
    if (peer == null || !this.up) return
    peer.kill('SIGKILL')
    await peer.exited
  }

  /** A clean shutdown (EOF on stdin); fails unless the peer exits with 0. */
  async stop (): Promise<void> {
    const peer = this.#peer
    if (peer == null || !this.up) return
    const exit = await peer.end()
    if (exit.code !== 0) throw new Error(`${this.name} exited with ${exit.code ?? exit.signal}: ${peer.stderr.slice(-2000)}`)
  }

  async call<T = unknown> (method: string, params?: unknown): Promise<T> {
    return this.peer.call<T>(method, params)
  }
}
