/**
 * Who is around: conversations (one per contact, with the last message and
 * the unread count), groups (the same, plus their members), nearby peers,
 * contact requests, who is typing, and identity alarms. Kept current from
 * the core's events.
 */
import { isGroupId, type ContactRequest, type ConversationSummary, type Events, type GroupInfo, type GroupSummary, type NearbyPeer } from '../../../shared/api'
import type { Client } from '../lib/client'
import { coalesce } from '../lib/coalesce'

/** One line of the sidebar: a contact's conversation or a group, by recency. */
export type Entry =
  | { kind: 'contact', id: string, at: number, summary: ConversationSummary }
  | { kind: 'group', id: string, at: number, summary: GroupSummary }

/** Conversations and groups in one list, most recent first (the order of each kept among equals). */
export function byRecency (conversations: ConversationSummary[], groups: GroupSummary[]): Entry[] {
  const entries: Entry[] = [
    ...conversations.map((c): Entry => ({ kind: 'contact', id: c.contact.peerId, at: c.lastMessage?.sentAt ?? c.contact.addedAt, summary: c })),
    ...groups.map((g): Entry => ({ kind: 'group', id: g.groupId, at: g.lastMessage?.sentAt ?? 0, summary: g }))
  ]
  return entries.sort((a, b) => b.at - a.at)
}

export interface Alarm {
  id: number
  peerId: string
  text: string
}

export class Directory {
  conversations = $state.raw<ConversationSummary[]>([])
  groups = $state.raw<GroupSummary[]>([])
  /** Conversations and groups together, for the sidebar. */
  readonly entries = $derived(byRecency(this.conversations, this.groups))
  nearby = $state.raw<NearbyPeer[]>([])
  requests = $state.raw<ContactRequest[]>([])
  typing = $state.raw<ReadonlySet<string>>(new Set())
  alarms = $state.raw<Alarm[]>([])
  /** The conversation on screen: its incoming messages count as read at once. */
  openPeer = $state<string | undefined>()
  readonly #client: Client
  /** My peer id, to tell my messages in a group from others'. */
  readonly #self: string | undefined
  #nextAlarm = 1
  #offs: Array<() => void> = []
  readonly #conversations = coalesce(async () => { this.conversations = await this.#client.call('conversations.list') })
  readonly #groups = coalesce(async () => { this.groups = await this.#client.call('groups.list') })

  constructor (client: Client, self?: string) {
    this.#client = client
    this.#self = self
  }

  name (peerId: string): string | undefined {
    return this.conversations.find(c => c.contact.peerId === peerId)?.contact.name
  }

  summary (peerId: string): ConversationSummary | undefined {
    return this.conversations.find(c => c.contact.peerId === peerId)
  }

  group (groupId: string): GroupSummary | undefined {
    return this.groups.find(g => g.groupId === groupId)
  }

  async refresh (): Promise<void> {
    const [conversations, groups, nearby, requests] = await Promise.all([
      this.#client.call('conversations.list'),
      this.#client.call('groups.list'),
      this.#client.call('peers.nearby'),
      this.#client.call('contacts.requests')
    ])
    this.conversations = conversations
    this.groups = groups
    this.nearby = nearby
    this.requests = requests
  }

  /** Fetches the conversation list again (one call in flight at most, however many ask). */
  async refreshConversations (): Promise<void> {
    await this.#conversations()
  }

  /** Fetches the group list again (one call in flight at most, however many ask). */
  async refreshGroups (): Promise<void> {
    await this.#groups()
  }

  /** Subscribes to the core's events; returns the unsubscribe. */
  start (): () => void {
    const c = this.#client
    const quietly = (p: Promise<void>): void => { p.catch(() => {}) }
    const refresh = (): void => { quietly(this.refreshConversations()) }
    const refreshFor = (e: { with: string }): void => { quietly(isGroupId(e.with) ? this.refreshGroups() : this.refreshConversations()) }
    this.#offs = [
      c.on('message.received', (m) => { this.onReceived(m) }),
      c.on('message.status', refreshFor),
      c.on('message.expired', refreshFor),
      c.on('message.deleted', refreshFor),
      c.on('message.edited', refreshFor),
      c.on('conversation.timer', refreshFor),
      c.on('group.changed', (e) => { this.onGroupChanged(e.group) }),
      c.on('contact.online', (e) => { this.onOnline(e) }),
      c.on('contact.added', () => { void this.refresh() }),
      c.on('contact.renamed', (e) => {
        refresh()
        // Members who are contacts go by their contact name.
        if (this.groups.some(g => g.members.some(m => m.peerId === e.peerId))) quietly(this.refreshGroups())
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
    this.alarmRequests()
  }

  /** Raises an alarm for each request (as last fetched) that calls itself like a contact, unless its peer has one already. */
  alarmRequests (): void {
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
    if (m.group != null) {
      this.onGroupReceived(m.group, m)
      return
    }
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

  private onGroupReceived (groupId: string, m: Events['message.received']): void {
    const i = this.groups.findIndex(g => g.groupId === groupId)
    if (i === -1) {
      void this.refreshGroups().catch(() => {})
      return
    }
    const current = this.groups[i]!
    const mine = m.from === this.#self
    const counts = m.kind !== 'system' && !mine && this.openPeer !== groupId
    // A message written while we were apart may arrive after a newer one: the newest stays the preview.
    const newer = current.lastMessage == null || m.sentAt >= current.lastMessage.sentAt
    if (!newer && !counts) return
    const updated: GroupSummary = {
      ...current,
      ...(newer
        ? {
            lastMessage: {
              id: m.id,
              text: m.text,
              sentAt: m.sentAt,
              outgoing: mine,
              status: mine ? 'sent' : 'delivered',
              from: m.from,
              ...(m.kind != null ? { kind: m.kind } : {}),
              ...(m.system != null ? { system: m.system } : {})
            }
          }
        : {}),
      unread: counts ? current.unread + 1 : current.unread
    }
    this.groups = this.groups.map((g, j) => j === i ? updated : g)
  }

  /** A group changed (members, name, timer, my standing), or I was put in a new one. */
  private onGroupChanged (info: GroupInfo): void {
    const i = this.groups.findIndex(g => g.groupId === info.groupId)
    if (i === -1) {
      this.groups = [...this.groups, { ...info, unread: 0 }]
      // Its last message and unread count come with the list.
      void this.refreshGroups().catch(() => {})
      return
    }
    this.groups = this.groups.map((g, j) => j === i ? { ...g, ...info } : g)
  }

  private onOnline (e: Events['contact.online']): void {
    this.conversations = this.conversations.map(c => c.contact.peerId === e.peerId ? { ...c, contact: { ...c.contact, online: e.online } } : c)
    if (this.groups.some(g => g.members.some(m => m.peerId === e.peerId && m.online !== e.online))) {
      this.groups = this.groups.map(g => g.members.some(m => m.peerId === e.peerId)
        ? { ...g, members: g.members.map(m => m.peerId === e.peerId ? { ...m, online: e.online } : m) }
        : g)
    }
  }
}

/** `self`: my peer id, to tell my own group messages (which may come back from other members) from others'. */
export function createDirectory (client: Client, self?: string): Directory {
  return new Directory(client, self)
}
