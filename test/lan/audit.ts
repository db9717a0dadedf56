/**
 * Exactly-once, in-order checks over what peers show through JSON-RPC. Each
 * test message's text is `TAG #INDEX`, the tag naming the phase and the pair,
 * the index its place in the sender's sequence.
 */
import type { Message } from '../../src/shared/api.js'
import { waitFor } from '../fixtures/wait.js'
import type { LanPeer } from './lan-peer.js'

export function text (tag: string, index: number): string {
  return `${tag} #${index}`
}

function indexIn (tag: string, m: Message): number | undefined {
  if (!m.text.startsWith(`${tag} #`)) return undefined
  const n = Number(m.text.slice(tag.length + 2))
  return Number.isInteger(n) ? n : undefined
}

/** A sequence of messages from one peer to another, and the ids `messages.send` accepted. */
export class Flow {
  /** index -> id, for every send that was accepted. */
  readonly accepted = new Map<number, string>()
  next = 0

  constructor (readonly tag: string, readonly from: LanPeer, readonly to: LanPeer) {}

  /** Sends the next message; resolves once it is accepted, rejects if the sender died first. */
  async send (): Promise<string> {
    const index = this.next++
    const { id } = await this.from.call<{ id: string }>('messages.send', { to: this.to.peerId, text: text(this.tag, index) })
    this.accepted.set(index, id)
    return id
  }
}

export interface Audit {
  flow: string
  sent: number
  /** Accepted messages the receiver holds. */
  delivered: number
  /** Extra stored copies of a message, plus extra `message.received` notifications for one. */
  duplicates: number
  /** Accepted messages the receiver does not hold. */
  lost: number
  /** Places where a message sorts before one sent earlier. */
  outOfOrder: number
  /** Stored messages whose send call never answered (the sender died first): neither sent nor lost. */
  unconfirmed: number
  /** Accepted messages not yet shown as delivered (or read) at the sender. */
  unacknowledged: number
}

/** What the receiver holds of a flow, and what the sender knows of it. */
export async function audit (flow: Flow, { sender = true } = {}): Promise<Audit> {
  const { from, to, tag } = flow
  const stored = (await to.peer.conversation(from.peerId)).filter(m => !m.outgoing && m.from === from.peerId && indexIn(tag, m) != null)
  const copies = new Map<string, number>()
  for (const m of stored) copies.set(m.id, (copies.get(m.id) ?? 0) + 1)
  const accepted = new Set(flow.accepted.values())
  let duplicates = 0
  for (const n of copies.values()) duplicates += n - 1
  const notified = new Map<string, number>()
  for (const id of to.received) if (copies.has(id) || accepted.has(id)) notified.set(id, (notified.get(id) ?? 0) + 1)
  for (const n of notified.values()) duplicates += Math.max(0, n - 1)
  const indexes = stored.map(m => indexIn(tag, m) ?? -1)
  let outOfOrder = 0
  for (let i = 1; i < indexes.length; i++) if ((indexes[i] ?? 0) <= (indexes[i - 1] ?? 0)) outOfOrder++
  const delivered = [...accepted].filter(id => copies.has(id)).length
  let unacknowledged = 0
  if (sender && from.up) {
    const statuses = new Map((await from.peer.conversation(to.peerId)).filter(m => m.outgoing).map(m => [m.id, m.status]))
    unacknowledged = [...accepted].filter(id => statuses.get(id) !== 'delivered' && statuses.get(id) !== 'read').length
  }
  return {
    flow: `${tag} (${from.name} -> ${to.name})`,
    sent: accepted.size,
    delivered,
    duplicates,
    lost: accepted.size - delivered,
    outOfOrder,
    unconfirmed: [...copies.keys()].filter(id => !accepted.has(id)).length,
    unacknowledged
  }
}

/**
 * Waits until the receiver holds every accepted message of each flow and
 * each sender shows them delivered, then returns the final audits (which
 * the caller asserts on, so a failure shows the figures, not a timeout).
 */
export async function settle (flows: Flow[], what: string, timeoutMs = 60_000): Promise<Audit[]> {
  let last: Audit[] = []
  try {
    await waitFor(async () => {
      last = await Promise.all(flows.map(async f => audit(f)))
      return last.every(a => a.lost === 0 && a.unacknowledged === 0)
    }, what, timeoutMs, 250)
  } catch (err) {
    if (last.length === 0) throw err
  }
  return last
}
