/**
 * The baseline: two bare libp2p nodes (TCP, Noise, Yamux, as in
 * src/main/core/node/create-node.ts but with nothing else) on 127.0.0.1,
 * one long-lived stream, a small payload per message and a one-byte ack
 * per message. No store, no fsync: the floor Hearth's chat sits on.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { createLibp2p, type Libp2p } from 'libp2p'
import { randomBytes } from 'node:crypto'

const PROTOCOL = '/hearth-bench/ack/1.0.0'
const ACK = new Uint8Array([1])
const MAX_FRAME = 1024

interface RawOptions {
  warmup: number
  sequential: number
  pipelined: number
  payloadBytes: number
}

export interface RawResult {
  /** Round trip (payload out, ack back) per message, in ms. */
  latencyMs: number[]
  /** Time from the first pipelined write to the last ack, in ms. */
  pipelinedMs: number
}

async function bareNode (): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
}

/** Starts both nodes, measures, and stops them again (they must not idle in the background of later figures). */
export async function runRawBaseline (options: RawOptions): Promise<RawResult> {
  const receiver = await bareNode()
  try {
    const sender = await bareNode()
    try {
      return await measure(sender, receiver, options)
    } finally {
      await sender.stop()
    }
  } finally {
    await receiver.stop()
  }
}

async function measure (sender: Libp2p, receiver: Libp2p, options: RawOptions): Promise<RawResult> {
  await receiver.handle(PROTOCOL, (stream) => {
    const lp = lpStream(stream, { maxDataLength: MAX_FRAME })
    void (async () => {
      try {
        for (;;) {
          await lp.read()
          await lp.write(ACK)
        }
      } catch {
        // The sender closed the stream: the run is over.
      }
    })()
  })

  const target = receiver.getMultiaddrs()[0]
  if (target == null) throw new Error('the raw receiver has no address')
  const stream = await sender.dialProtocol(target, PROTOCOL, { signal: AbortSignal.timeout(5_000) })
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME })
  const payload = new Uint8Array(randomBytes(options.payloadBytes))

  const roundTrip = async (): Promise<number> => {
    const t0 = performance.now()
    await lp.write(payload)
    await lp.read()
    return performance.now() - t0
  }
  try {
    for (let i = 0; i < options.warmup; i++) await roundTrip()
    const latencyMs: number[] = []
    for (let i = 0; i < options.sequential; i++) latencyMs.push(await roundTrip())

    const t0 = performance.now()
    const acks = (async () => {
      for (let i = 0; i < options.pipelined; i++) await lp.read()
    })()
    for (let i = 0; i < options.pipelined; i++) await lp.write(payload)
    await acks
    const pipelinedMs = performance.now() - t0

    await stream.close()
    return { latencyMs, pipelinedMs }
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
