/**
 * A stranger flooding the WebRTC-direct port with STUN binding requests,
 * each with a new ufrag: each one is a new dial.
 *
 * - While the node runs, the dials are held to the limits TCP has: a node
 *   made an RTCPeerConnection for every one, and grew by 580 MiB for 20,000
 *   small UDP packets, its event loop stalled meanwhile.
 * - While the node stops (a lock, a quit), it must stop cleanly: its UDP
 *   mux must not be freed while its thread still hands it a request (that
 *   killed the whole process, the desktop app included, with SIGSEGV). And
 *   the next node in the same process (an unlock) must find a free port
 *   beside the muxes kept open.
 */
import { spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { fileURLToPath } from 'node:url'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { afterEach, describe, expect, it } from 'vitest'
import { createNode, NODE_LIMITS } from '../../src/main/core/node/create-node.js'
import { stunBindingRequest, udpPortOf, type StunStopReport } from '../fixtures/stun-stop.js'
import { recordScenario } from '../fixtures/hostile-summary.js'
import { deferrals } from '../fixtures/peers.js'
import { sleep } from '../fixtures/wait.js'

const defer = deferrals(afterEach)
const FLOOD = 20_000
const MiB = 2 ** 20

async function webrtcNode (): Promise<Awaited<ReturnType<typeof createNode>>> {
  const node = await createNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/udp/0/webrtc-direct'], mdns: false })
  await node.start()
  defer(async () => { await node.stop() })
  return node
}

const STOPS = 200
const CHILD = fileURLToPath(new URL('../fixtures/stun-stop.ts', import.meta.url))

describe('a STUN flood at the WebRTC-direct port', () => {
  it(`of ${FLOOD.toLocaleString('en')} dials from one host keeps the node's memory bounded, and a peer on another host still connects`, async () => {
    const victim = await webrtcNode()
    const address = victim.getMultiaddrs()[0]
    const port = udpPortOf(victim)
    // The stranger is another host: 127.0.0.2.
    const socket = createSocket('udp4')
    await new Promise<void>(resolve => { socket.bind(0, '127.0.0.2', resolve) })
    defer(() => { socket.close() })

    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    let rssPeak = rssBefore
    for (let sent = 0; sent < FLOOD;) {
      for (let k = 0; k < 100; k++, sent++) socket.send(stunBindingRequest(`libp2p+webrtc+v1/${sent.toString(36)}${Math.random().toString(36).slice(2, 8)}`), port, '127.0.0.1')
      await sleep(5)
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss)
    }
    // A peer on another host (127.0.0.1) dials in over WebRTC-direct and is answered.
    const peer = await webrtcNode()
    if (address == null) throw new Error('the victim has no WebRTC-direct address')
    const rtt = await peer.services.ping.ping(address, { signal: AbortSignal.timeout(20_000) })
    expect(rtt).toBeGreaterThanOrEqual(0)
    const grewMiB = (rssPeak - rssBefore) / MiB
    expect(grewMiB).toBeLessThan(128)
    recordScenario({
      scenario: 'STUN flood (new dials)',
      faults: { 'STUN binding requests': FLOOD },
      notes: [`${FLOOD} STUN binding requests with new ufrags from one host: the process grew by ${grewMiB.toFixed(0)} MiB at most (the dials held to ${NODE_LIMITS.inboundConnectionThreshold} a second and ${NODE_LIMITS.pendingPerHost} in the handshake per host); a peer on another host then pinged it over WebRTC-direct in ${rtt} ms`]
    })
  }, 120_000)

  it(`lets a node stop cleanly and the next one listen, ${STOPS} times in a row in one process, while the dials keep coming`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(STOPS)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
    const exit = await new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => {
      child.once('exit', (code, signal) => { resolve({ code, signal }) })
    })
    expect({ ...exit, stderr: exit.code === 0 ? '' : err.slice(-2000) }).toEqual({ code: 0, signal: null, stderr: '' })
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as StunStopReport
    expect(report.stops).toBe(STOPS)
    recordScenario({
      scenario: 'STUN flood while stopping',
      faults: { 'STUN binding requests': report.stunSent },
      notes: [`${report.stops} nodes stopped while ${report.stunSent} STUN binding requests (new WebRTC-direct dials) arrived at their ports; every stop was clean`]
    })
  }, 120_000)
})
