/**
 * Hearth's chat between two in-process peers on 127.0.0.1: the time from
 * `messages.send` to the sender's 'delivered' status, one at a time, and
 * the rate for a burst sent without waiting.
 */
import type { Hearth } from '../src/main/core/hearth.js'

type Stage = 'sent' | 'received' | 'delivered'

/** When each message reached each stage: 'sent'/'delivered' on the sender, 'received' on the receiver. */
class Timeline {
  readonly #at: Record<Stage, Map<string, number>> = { sent: new Map(), received: new Map(), delivered: new Map() }
  readonly #listeners = new Set<(id: string) => void>()
  readonly #off: Array<() => void>

  constructor (sender: Hearth, receiver: Hearth) {
    this.#off = [
      sender.events.on('message.status', ({ id, status }) => {
        if (status === 'sent' || status === 'delivered') this.#mark(status, id)
      }),
      receiver.events.on('message.received', ({ id }) => { this.#mark('received', id) })
    ]
  }

  #mark (stage: Stage, id: string): void {
    const at = this.#at[stage]
    if (at.has(id)) return
    at.set(id, performance.now())
    if (stage === 'delivered') for (const listener of this.#listeners) listener(id)
  }

  at (stage: Stage, id: string): number | undefined {
    return this.#at[stage].get(id)
  }

  off (): void {
    for (const off of this.#off) off()
  }

  /**
   * Waits until every id is delivered, or until nothing has been delivered
   * for `idleMs` (so a stall is reported instead of hanging the run).
   */
  async waitDelivered (ids: readonly string[], idleMs: number): Promise<{ delivered: number, lastAt: number }> {
    const delivered = this.#at.delivered
    const missing = new Set(ids.filter(id => !delivered.has(id)))
    if (missing.size > 0) {
      await new Promise<void>(resolve => {
        let timer = setTimeout(finish, idleMs)
        const listener = (id: string): void => {
          if (!missing.delete(id)) return
          if (missing.size === 0) {
            finish()
            return
          }
          clearTimeout(timer)
          timer = setTimeout(finish, idleMs)
        }
        const listeners = this.#listeners
        listeners.add(listener)
        function finish (): void {
          clearTimeout(timer)
          listeners.delete(listener)
          resolve()
        }
      })
    }
    let count = 0
    let lastAt = Number.NaN
    for (const id of ids) {
      const at = delivered.get(id)
      if (at == null) continue
      count++
      lastAt = Number.isNaN(lastAt) ? at : Math.max(lastAt, at)
    }
    return { delivered: count, lastAt }
  }
}

interface ChatOptions {
  warmup: number
  sequential: number
  pipelined: number
  /** A sequential message not delivered within this long counts as stalled, and the next one is sent. */
  stallMs: number
  /** The burst is given up when no delivery has happened for this long. */
  idleMs: number
}

/** Times since `messages.send` was called, in ms. */
export interface Trip {
  stored: number
  sent?: number
  received?: number
  /** Undefined when the message stalled. */
  delivered?: number
}

export interface ChatResult {
  sequential: Trip[]
  pipelined: {
    sent: number
    delivered: number
    /** Until every `messages.send` call had returned (all stored, synced). */
    sendsMs: number
    /** Until the last 'delivered' status, or NaN when not all were delivered. */
    deliveredMs: number
  }
}

const text = (i: number): string => `bench message ${String(i).padStart(6, '0')}: hello there`

export async function runHearthChat (sender: Hearth, receiver: Hearth, options: ChatOptions): Promise<ChatResult> {
  const timeline = new Timeline(sender, receiver)
  const to = receiver.peerId
  try {
    const oneAtATime = async (i: number): Promise<Trip> => {
      const t0 = performance.now()
      const { id } = await sender.api['messages.send']({ to, text: text(i) })
      const stored = performance.now() - t0
      await timeline.waitDelivered([id], options.stallMs)
      const since = (stage: Stage): number | undefined => {
        const at = timeline.at(stage, id)
        return at == null ? undefined : at - t0
      }
      return { stored, sent: since('sent'), received: since('received'), delivered: since('delivered') }
    }
    for (let i = 0; i < options.warmup; i++) await oneAtATime(i)
    const sequential: Trip[] = []
    for (let i = 0; i < options.sequential; i++) sequential.push(await oneAtATime(i))
    // A stalled message goes out with the next send; let the last one settle before the burst.
    await new Promise(resolve => setTimeout(resolve, 100))

    const t0 = performance.now()
    const sends = []
    for (let i = 0; i < options.pipelined; i++) sends.push(sender.api['messages.send']({ to, text: text(i) }))
    const ids = (await Promise.all(sends)).map(r => r.id)
    const sendsMs = performance.now() - t0
    const { delivered, lastAt } = await timeline.waitDelivered(ids, options.idleMs)
    return {
      sequential,
      pipelined: { sent: ids.length, delivered, sendsMs, deliveredMs: delivered === ids.length ? lastAt - t0 : Number.NaN }
    }
  } finally {
    timeline.off()
  }
}
