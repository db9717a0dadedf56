/**
 * Who is around: conversations (one per contact, with the last message and
 * the unread count), nearby peers, contact requests, who is typing, and
 * identity alarms. Kept current from the core's events.
 */
import type { ContactRequest, ConversationSummary, Events, NearbyPeer } from '../../../shared/api'
import type { Client } from '../lib/client'

export interface Alarm {
  id: number
  peerId: string
  text: string
}

export class Directory {
  conversations = $state.raw<ConversationSummary[]>([])
  nearby = $state.raw<NearbyPeer[]>([])
  requests = $state.raw<ContactRequest[]>([])
  typing = $state.raw<ReadonlySet<string>>(new Set())
  alarms = $state.raw<Alarm[]>([])
  /** The conversation on screen: its incoming messages count as read at once. */
  openPeer = $state<string | undefined>()
  readonly #client: Client
  #nextAlarm = 1
  #offs: Array<() => void> = []

  constructor (client: Client) {
    this.#client = client
  }

  name (peerId: string): string | undefined {
    return this.conversations.find(c => c.contact.peerId === peerId)?.contact.name
  }

  summary (peerId: string): ConversationSummary | undefined {
    return this.conversations.find(c => c.contact.peerId === peerId)
  }

  async refresh (): Promise<void> {
    const [conversations, nearby, requests] = await Promise.all([
      this.#client.call('conversations.list'),
      this.#client.call('peers.nearby'),
      this.#client.call('contacts.requests')
    ])
    this.conversations = conversations
    this.nearby = nearby
    this.requests = requests
  }

  async refreshConversations (): Promise<void> {
    this.conversations = await this.#client.call('conversations.list')
  }

  /** Subscribes to the core's events; returns the unsubscribe. */
  start (): () => void {
    const c = this.#client
    const refresh = (): void => { void this.refreshConversations() }
    this.#offs = [
      c.on('message.received', (m) => { this.onReceived(m) }),
      c.on('message.status', refresh),
      c.on('message.expired', refresh),
      c.on('message.deleted', refresh),
      c.on('message.edited', refresh),
      c.on('conversation.timer', refresh),
      c.on('contact.online', (e) => { this.onOnline(e) }),
      c.on('contact.added', () => { void this.refresh() }),
      c.on('contact.renamed', (e) => {
        refresh()
        if (e.resembles != null) this.alarm(e.peerId, `A contact now calls itself "${e.name}", which looks like ${e.resembles.name}, but it is a different identity. Check its safety number before you trust what it says.`)
      }),
      c.on('contact.request', () => { void this.refreshRequests() }),
      c.on('contact.identityMismatch', (e) => {
        this.alarm(e.peerId, `Someone at an address of ${e.name} answered with a different identity. It is not ${e.name}'s device as you know it. If ${e.name} did not set up Hearth again, someone may be trying to pose as them.`)
      }),
      c.on('nearby.changed', (e) => { this.nearby = e.peers }),
      c.on('typing', (e) => {
        const next = new Set(this.typing)
        if (e.typing) next.add(e.peerId)
        else next.delete(e.peerId)
        this.typing = next
      })
    ]
    return () => { for (const off of this.#offs) off() }
  }

  async refreshRequests (): Promise<void> {
    this.requests = await this.#client.call('contacts.requests')
    for (const r of this.requests) {
      if (r.resembles != null && !this.alarms.some(a => a.peerId === r.peerId)) {
        this.alarm(r.peerId, `A new request calls itself "${r.name}", like your contact ${r.resembles.name}, but it is a different identity. Do not accept it unless you have checked with ${r.resembles.name}.`)
      }
    }
  }

  dismiss (id: number): void {
    this.alarms = this.alarms.filter(a => a.id !== id)
  }

  private alarm (peerId: string, text: string): void {
    this.alarms = [...this.alarms, { id: this.#nextAlarm++, peerId, text }]
  }

  private onReceived (m: Events['message.received']): void {
    const i = this.conversations.findIndex(c => c.contact.peerId === m.from)
    if (i === -1) {
      void this.refreshConversations()
      return
    }
    const current = this.conversations[i]!
    const updated: ConversationSummary = {
      ...current,
      lastMessage: { text: m.text, sentAt: m.sentAt, outgoing: false, status: 'delivered' },
      unread: this.openPeer === m.from ? current.unread : current.unread + 1
    }
    this.conversations = [updated, ...this.conversations.filter((_, j) => j !== i)]
    const typing = new Set(this.typing)
    if (typing.delete(m.from)) this.typing = typing
  }

  private onOnline (e: Events['contact.online']): void {
    this.conversations = this.conversations.map(c => c.contact.peerId === e.peerId ? { ...c, contact: { ...c.contact, online: e.online } } : c)
  }
}

export function createDirectory (client: Client): Directory {
  return new Directory(client)
}
