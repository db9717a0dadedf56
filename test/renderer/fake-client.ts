/**
 * A Client over a fake transport: each method answers from a handler the
 * test gives (or fails with NOT_FOUND), every call is recorded, and tests
 * can emit core events. `groups.list` answers [] unless given: a profile
 * with no groups, which is what tests about contacts mean.
 */
import { isGroupId, type Contact, type EventName, type Events, type GroupInfo, type GroupMember, type Message, type MethodName, type ParamsOf, type ResultOf } from '../../src/shared/api'
import type { ApiError } from '../../src/shared/errors'
import { createClient, type Client } from '../../src/renderer/src/lib/client'

type Handlers = { [M in MethodName]?: (params: ParamsOf<M>) => ResultOf<M> | ApiError | Promise<ResultOf<M> | ApiError> }

export interface FakeClient {
  client: Client
  calls: Array<{ method: MethodName, params: unknown }>
  emit: <E extends EventName>(name: E, payload: Events[E]) => void
}

export function apiError (code: ApiError['code'], message: string): ApiError {
  return { code, message }
}

function isError (value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && Object.keys(value).length === 2
}

export function fakeClient (given: Handlers): FakeClient {
  const handlers: Handlers = { 'groups.list': () => [], ...given }
  const calls: FakeClient['calls'] = []
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const client = createClient({
    call: async (method, params) => {
      calls.push({ method, params })
      const handler = handlers[method] as ((p: unknown) => unknown) | undefined
      if (handler == null) return { ok: false, error: { code: 'NOT_FOUND', message: `no fake for ${method}` } }
      const value = await handler(params)
      return isError(value) ? { ok: false, error: value } : { ok: true, value }
    },
    on: (name, listener) => {
      let set = listeners.get(name)
      if (set == null) listeners.set(name, set = new Set())
      set.add(listener as (payload: never) => void)
      return () => { set.delete(listener as (payload: never) => void) }
    }
  })
  return {
    client,
    calls,
    emit: (name, payload) => { for (const fn of listeners.get(name) ?? []) (fn as (p: unknown) => void)(payload) }
  }
}

/**
 * A small world of contacts and groups behind a fake client, for tests of
 * the group screens: the group methods change it as the core would (and
 * emit `group.changed` and the system lines), messages live per
 * conversation, and anything else comes from `extra`.
 */
export class FakeWorld {
  readonly fake: FakeClient
  readonly self: GroupMember
  contacts: Contact[]
  readonly groups = new Map<string, { info: GroupInfo, messages: Message[], unread: number }>()
  readonly messages = new Map<string, Message[]>()
  /** What `groups.receipts` answers, by message id. */
  readonly receipts = new Map<string, ResultOf<'groups.receipts'>>()
  #next = 1

  constructor (self: { peerId: string, name: string }, contacts: Contact[], extra: Handlers = {}) {
    this.self = { ...self, admin: false, you: true, contact: false, online: true }
    this.contacts = contacts
    this.fake = fakeClient({ ...this.handlers(), ...extra })
  }

  /** A made-up id of the given shape (32 hex characters, with a prefix for groups). */
  id (prefix = ''): string {
    return prefix + (this.#next++).toString(16).padStart(32, '0')
  }

  member (peerId: string, admin = false): GroupMember {
    const c = this.contacts.find(x => x.peerId === peerId)
    if (peerId === this.self.peerId) return { ...this.self, admin }
    return { peerId, name: c?.name ?? 'Unknown', admin, you: false, contact: c != null, online: c?.online ?? false }
  }

  /** Puts a group in the world as if it had come from elsewhere. */
  addGroup (info: Partial<GroupInfo> & { name: string, members: GroupMember[] }, messages: Message[] = []): GroupInfo {
    const full: GroupInfo = { groupId: this.id('grp-'), admin: false, status: 'member', timer: 0, createdBy: info.members[0]!.peerId, former: [], ...info }
    this.groups.set(full.groupId, { info: full, messages, unread: 0 })
    return full
  }

  /** A system line of a group. */
  line (groupId: string, by: string, system: Omit<NonNullable<Message['system']>, 'by'>, sentAt = Date.now()): Message {
    return { id: this.id(), from: by, with: groupId, text: '', sentAt, status: 'read', outgoing: by === this.self.peerId, kind: 'system', system: { by, ...system } }
  }

  /** Applies a change to a group, records its line, and tells the page. */
  change (groupId: string, by: string, edit: (info: GroupInfo) => GroupInfo, system?: Omit<NonNullable<Message['system']>, 'by'>): GroupInfo {
    const g = this.groups.get(groupId)!
    g.info = edit(g.info)
    if (system != null) {
      const line = this.line(groupId, by, system)
      g.messages.push(line)
      this.fake.emit('message.received', { id: line.id, from: by, text: '', sentAt: line.sentAt, group: groupId, kind: 'system', system: line.system! })
    }
    this.fake.emit('group.changed', { group: g.info })
    return g.info
  }

  private group (groupId: string): { info: GroupInfo, messages: Message[], unread: number } | ApiError {
    return this.groups.get(groupId) ?? apiError('NOT_FOUND', 'there is no such group')
  }

  private handlers (): Handlers {
    const me = this.self.peerId
    const found = <T>(groupId: string, then: (g: { info: GroupInfo, messages: Message[], unread: number }) => T): T | ApiError => {
      const g = this.group(groupId)
      return 'code' in g ? g : then(g)
    }
    const nameIn = (info: GroupInfo, peerId: string): string => info.members.find(m => m.peerId === peerId)?.name ?? this.member(peerId).name
    const admin = (groupId: string, then: (g: { info: GroupInfo, messages: Message[], unread: number }) => GroupInfo | ApiError): GroupInfo | ApiError =>
      found(groupId, g => g.info.admin ? then(g) : apiError('NOT_ALLOWED', 'only the group\'s admins can do that'))
    return {
      'conversations.list': () => this.contacts.map(c => {
        const last = this.messages.get(c.peerId)?.at(-1)
        return { contact: c, unread: 0, timer: 0, ...(last != null ? { lastMessage: { text: last.text, sentAt: last.sentAt, outgoing: last.outgoing, status: last.status } } : {}) }
      }),
      'peers.nearby': () => [],
      'contacts.requests': () => [],
      'typing.set': () => null,
      'groups.list': () => [...this.groups.values()].map(g => {
        const last = g.messages.at(-1)
        return { ...g.info, unread: g.unread, ...(last != null ? { lastMessage: { id: last.id, text: last.text, sentAt: last.sentAt, outgoing: last.outgoing, status: last.status, from: last.from, ...(last.kind === 'system' ? { kind: 'system' as const } : {}), ...(last.system != null ? { system: last.system } : {}) } } : {}) }
      }),
      'groups.create': ({ name, members }) => {
        const info = this.addGroup({ name, admin: true, createdBy: me, members: [this.member(me, true), ...members.map(p => this.member(p))] })
        const line = this.line(info.groupId, me, { group: { kind: 'created', name } })
        this.groups.get(info.groupId)!.messages.push(line)
        // As the core does: the line, then the change.
        this.fake.emit('message.received', { id: line.id, from: me, text: '', sentAt: line.sentAt, group: info.groupId, kind: 'system', system: line.system! })
        this.fake.emit('group.changed', { group: info })
        return { groupId: info.groupId }
      },
      'groups.members': ({ groupId }) => found(groupId, g => g.info.members),
      'groups.add': ({ groupId, peerId }) => admin(groupId, g => this.change(g.info.groupId, me, i => ({ ...i, members: [...i.members, this.member(peerId)] }), { group: { kind: 'added', peerId, name: this.member(peerId).name } })),
      'groups.remove': ({ groupId, peerId }) => admin(groupId, g => this.change(g.info.groupId, me, i => ({ ...i, members: i.members.filter(m => m.peerId !== peerId) }), { group: { kind: 'removed', peerId, name: nameIn(g.info, peerId) } })),
      'groups.promote': ({ groupId, peerId }) => admin(groupId, g => this.change(g.info.groupId, me, i => ({ ...i, members: i.members.map(m => m.peerId === peerId ? { ...m, admin: true } : m) }), { group: { kind: 'promoted', peerId, name: nameIn(g.info, peerId) } })),
      'groups.rename': ({ groupId, name }) => found(groupId, g => this.change(g.info.groupId, me, i => ({ ...i, name }), { group: { kind: 'renamed', name } })),
      'groups.leave': ({ groupId }) => found(groupId, (g) => {
        this.change(g.info.groupId, me, i => ({ ...i, status: 'left', admin: false, members: i.members.filter(m => !m.you) }), { group: { kind: 'left' } })
        return null
      }),
      'groups.receipts': ({ id }) => this.receipts.get(id) ?? apiError('NOT_FOUND', 'there is no such message of yours in a group'),
      'conversations.setTimer': ({ with: conversation, seconds }) => {
        if (isGroupId(conversation)) found(conversation, g => this.change(g.info.groupId, me, i => ({ ...i, timer: seconds }), { timer: seconds }))
        return { with: conversation, seconds }
      },
      'messages.list': ({ with: conversation, limit, before }) => {
        const all = isGroupId(conversation) ? this.groups.get(conversation)?.messages ?? [] : this.messages.get(conversation) ?? []
        const end = before == null ? all.length : all.findIndex(m => m.id === before)
        return all.slice(Math.max(0, end - (limit ?? 50)), end)
      },
      'messages.markRead': ({ with: conversation }) => {
        const g = this.groups.get(conversation)
        const count = g?.unread ?? 0
        if (g != null) g.unread = 0
        return { count }
      },
      'messages.send': ({ to, text }) => {
        const m: Message = { id: this.id(), from: me, with: to, text, sentAt: Date.now(), status: 'pending', outgoing: true }
        const g = this.groups.get(to)
        if (g != null && g.info.status !== 'member') return apiError('NOT_ALLOWED', 'you are no longer in this group')
        if (g != null) g.messages.push({ ...m, receipts: { delivered: 0, read: 0, of: g.info.members.length - 1 } })
        else this.messages.set(to, [...this.messages.get(to) ?? [], m])
        return { id: m.id, status: m.status, sentAt: m.sentAt }
      },
      'messages.delete': () => null
    }
  }
}
