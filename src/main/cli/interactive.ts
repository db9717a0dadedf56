/**
 * The terminal chat: a small, friendly front end over the same API the
 * desktop app uses. Lines starting with "/" are commands; anything else is
 * sent to the open conversation.
 */
import { createInterface, type Interface } from 'node:readline'
import { stripVTControlCharacters, styleText } from 'node:util'
import type { ApiHandlers, Contact, GroupChange, GroupMember, Message, MessageStatus, MethodName, ParamsOf, ResultOf } from '../../shared/api.js'
import { dispatch } from '../core/dispatch.js'
import type { Hearth } from '../core/hearth.js'

const HELP = `Commands:
  /invite              show an invite code to give to someone
  /accept CODE         add a contact from their invite code
  /nearby              peers on this network
  /request N           ask nearby peer N to become a contact
  /requests            contact requests waiting for you (⚠ marks a name that looks like a contact's)
  /approve N           accept request N        /decline N   decline it
  /contacts            your contacts
  /open N|NAME         chat with a contact (then just type)
  /groups              your groups             /open gN|NAME   open group N
  /newgroup N,N NAME   make a group with contacts N, N... (numbers from /contacts)
  /members             who is in the open group
  /add N               add contact N to the open group (admins)
  /remove N            remove member N (numbers from /members; admins)
  /promote N           make member N an admin (admins)
  /rename NAME         rename the open group
  /leave               leave the open group
  /history             show earlier messages of the open chat
  /safety              safety number with the open contact
  /verify              mark the open contact as verified
  /timer off|30s|5m|1h|8h|1d|1w|4w   disappearing messages in the open chat
  /name NAME           change your display name
  /receipts on|off     send read receipts or not
  /quit                leave (Ctrl-D works too)`

const TICKS: Record<MessageStatus, string> = { pending: '…', sent: '✓', delivered: '✓✓', read: '✓✓ read' }
const TYPING_REFRESH_MS = 3_000
const TYPING_IDLE_MS = 5_000

/** Names and texts come from other people: never let them move the cursor or recolour the screen. */
function clean (s: string): string {
  // eslint-disable-next-line no-control-regex
  return stripVTControlCharacters(s).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
}

const TIMER_WORDS: Record<string, number> = { off: 0, '30s': 30, '5m': 300, '1h': 3600, '8h': 28_800, '1d': 86_400, '1w': 604_800, '4w': 2_419_200 }

function timerWords (seconds: number): string {
  return Object.entries(TIMER_WORDS).find(([, s]) => s === seconds)?.[0] ?? `${seconds}s`
}

function shortId (peerId: string): string {
  return `${peerId.slice(0, 6)}…${peerId.slice(-4)}`
}

/** A system line about a group, in words. */
function groupWords (change: GroupChange, by: string, you: boolean): string {
  const whom = clean(change.name ?? '')
  switch (change.kind) {
    case 'created': return `${by} made the group "${whom}"`
    case 'added': return `${by} added ${you ? 'you' : whom}`
    case 'removed': return `${by} removed ${you ? 'you' : whom}`
    case 'promoted': return `${by} made ${you ? 'you' : whom} an admin`
    case 'left': return `${by} left`
    case 'renamed': return `${by} renamed the group to "${whom}"`
  }
}

/** What is open: a contact's conversation or a group's. */
interface Open { id: string, name: string, group: boolean, verified?: boolean }

function time (ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

export async function runInteractive (hearth: Hearth): Promise<void> {
  const me = await hearth.api['identity.get']({})
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true, historySize: 200 })
  let open: Open | undefined
  /** The open group's members, for names, and /remove N. */
  let members: GroupMember[] = []
  let groupList: Array<{ groupId: string, name: string }> = []
  let oldest: string | undefined
  let typingFrom: string | undefined
  let nearbyList: Array<{ peerId: string }> = []
  let requestList: Array<{ peerId: string }> = []
  let lastTypingSent = 0
  let typingIdle: ReturnType<typeof setTimeout> | undefined
  const lastOwn = new Map<string, string>()

  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M> | undefined> => {
    const result = await dispatch(hearth.api as ApiHandlers, method, params)
    if (result.ok) return result.value as ResultOf<M>
    say(styleText('red', `✗ ${result.error.message}`))
    return undefined
  }

  function setPrompt (): void {
    const who = open != null ? clean(open.name) : 'hearth'
    const typing = open != null && typingFrom === open.id ? styleText('dim', ' (typing…)') : ''
    rl.setPrompt(`${styleText('cyan', who)}${typing}> `)
  }

  function say (line: string): void {
    process.stdout.write('\r\x1b[K' + line + '\n')
    rl.prompt(true)
  }

  /** An author's name: the open contact's, or a member's of the open group. */
  function nameOf (peerId: string): string {
    if (peerId === me.peerId) return 'you'
    if (open != null && !open.group) return open.name
    return members.find(m => m.peerId === peerId)?.name ?? shortId(peerId)
  }

  function show (m: Message): void {
    const name = nameOf(m.from)
    if (m.kind === 'system' && m.system != null) {
      const by = m.outgoing ? 'you' : clean(name)
      const words = m.system.group != null ? groupWords(m.system.group, by, m.system.group.peerId === me.peerId) : `${by} set disappearing messages to ${timerWords(m.system.timer ?? 0)}`
      say(styleText('dim', `  — ${words} —`))
      return
    }
    const who = m.outgoing ? styleText('green', 'you') : styleText('yellow', clean(name))
    const reach = m.receipts != null && m.receipts.of > 0 ? ` ${m.receipts.read > 0 ? `read by ${m.receipts.read}` : `${m.receipts.delivered}`}/${m.receipts.of}` : ''
    const ticks = m.outgoing ? ' ' + styleText('dim', TICKS[m.status] + reach) : ''
    say(`${styleText('dim', time(m.sentAt))} ${who}: ${clean(m.text)}${ticks}`)
  }

  async function contacts (): Promise<Contact[]> {
    return await call('contacts.list', {}) ?? []
  }

  async function pick (arg: string): Promise<Contact | undefined> {
    const list = await contacts()
    const n = Number(arg)
    const found = Number.isInteger(n) && n >= 1 ? list[n - 1] : list.find(c => c.name.toLowerCase() === arg.toLowerCase() || c.peerId === arg)
    if (found == null) say(styleText('red', `✗ no contact "${clean(arg)}"; see /contacts`))
    return found
  }

  async function openChat (target: Open): Promise<void> {
    open = target
    typingFrom = undefined
    members = target.group ? await call('groups.members', { groupId: target.id }) ?? [] : []
    setPrompt()
    say(styleText('bold', target.group
      ? `— ${clean(target.name)} (group of ${members.length}) —`
      : `— ${clean(target.name)} (${shortId(target.id)})${target.verified === true ? ' ✔ verified' : ''} —`))
    const page = await call('messages.list', { with: target.id, limit: 20 }) ?? []
    oldest = page[0]?.id
    for (const m of page) show(m)
    await call('messages.markRead', { with: target.id })
  }

  function contactChat (c: Contact): Open {
    return { id: c.peerId, name: c.name, group: false, verified: c.verified }
  }

  async function pickGroup (arg: string): Promise<Open | undefined> {
    groupList = await call('groups.list', {}) ?? []
    const n = /^g(\d+)$/i.exec(arg)
    const found = n != null ? groupList[Number(n[1]) - 1] : groupList.find(g => g.name.toLowerCase() === arg.toLowerCase())
    return found == null ? undefined : { id: found.groupId, name: found.name, group: true }
  }

  function openGroup (): string | undefined {
    if (open?.group === true) return open.id
    say('Open a group first: /groups, then /open gN.')
    return undefined
  }

  function member (arg: string): GroupMember | undefined {
    const m = members[Number(arg) - 1]
    if (m == null) say('Use /members first, then the member\'s number.')
    return m
  }

  async function command (line: string): Promise<boolean> {
    const [cmd = '', ...rest] = line.slice(1).split(/\s+/)
    const arg = rest.join(' ').trim()
    switch (cmd) {
      case 'help': say(HELP); break
      case 'quit': case 'exit': return false
      case 'invite': {
        const r = await call('invite.create', {})
        if (r != null) say(`Give this code to the person you want to add (valid until ${new Date(r.expiresAt).toLocaleString()}, one use):\n${r.code}`)
        break
      }
      case 'accept': {
        // Success is announced by the contact.added event.
        await call('invite.accept', { code: arg })
        break
      }
      case 'nearby': {
        nearbyList = await call('peers.nearby', {}) ?? []
        if (nearbyList.length === 0) say('Nobody nearby yet.')
        nearbyList.forEach((p, i) => { say(`  ${i + 1}. ${shortId(p.peerId)}${(p as { contact?: boolean }).contact === true ? ' (contact)' : ''}`) })
        break
      }
      case 'request': {
        const target = nearbyList[Number(arg) - 1]
        if (target == null) { say('Use /nearby first, then /request N.'); break }
        const r = await call('contacts.request', { peerId: target.peerId })
        if (r?.state === 'requested') say('Request sent.')
        else if (r?.state === 'already-contact') say('Already a contact.')
        break
      }
      case 'requests': {
        const list = await call('contacts.requests', {}) ?? []
        requestList = list
        if (list.length === 0) say('No requests waiting.')
        list.forEach((r, i) => {
          const warning = r.resembles != null ? styleText('red', ` ⚠ looks like your contact ${clean(r.resembles.name)}`) : ''
          say(`  ${i + 1}. ${clean(r.name)} (${shortId(r.peerId)})${warning} — /approve ${i + 1} or /decline ${i + 1}`)
        })
        break
      }
      case 'approve': case 'decline': {
        const target = requestList[Number(arg) - 1]
        if (target == null) { say('Use /requests first, then /approve N.'); break }
        if (cmd === 'approve') await call('contacts.acceptRequest', { peerId: target.peerId })
        else if (await call('contacts.declineRequest', { peerId: target.peerId }) !== undefined) say('Declined.')
        break
      }
      case 'contacts': {
        const list = await contacts()
        if (list.length === 0) say('No contacts yet. /invite or /nearby to add one.')
        list.forEach((c, i) => { say(`  ${i + 1}. ${c.online ? styleText('green', '●') : styleText('dim', '○')} ${clean(c.name)} (${shortId(c.peerId)})${c.verified ? ' ✔' : ''}${c.resembles != null ? styleText('red', ' ⚠ looks like another name') : ''}`) })
        break
      }
      case 'open': case 'chat': {
        const g = await pickGroup(arg)
        if (g != null) {
          await openChat(g)
          break
        }
        const c = await pick(arg)
        if (c != null) await openChat(contactChat(c))
        break
      }
      case 'groups': {
        const list = await call('groups.list', {}) ?? []
        groupList = list
        if (list.length === 0) say('No groups yet. /newgroup N,N NAME makes one.')
        list.forEach((g, i) => { say(`  g${i + 1}. ${clean(g.name)} (${g.members.length} members${g.status !== 'member' ? `, ${g.status}` : ''})${g.unread > 0 ? styleText('yellow', ` ${g.unread} new`) : ''}`) })
        break
      }
      case 'newgroup': {
        const [numbers = '', ...name] = arg.split(/\s+/)
        const list = await contacts()
        const chosen = numbers.split(',').map(n => list[Number(n) - 1])
        if (chosen.length === 0 || chosen.some(c => c == null) || name.length === 0) { say('Use /newgroup 1,2 Name (numbers from /contacts).'); break }
        const r = await call('groups.create', { name: name.join(' '), members: chosen.map(c => c!.peerId) })
        if (r != null) await openChat({ id: r.groupId, name: name.join(' '), group: true })
        break
      }
      case 'members': {
        const groupId = openGroup()
        if (groupId == null) break
        members = await call('groups.members', { groupId }) ?? []
        members.forEach((m, i) => { say(`  ${i + 1}. ${m.online ? styleText('green', '●') : styleText('dim', '○')} ${m.you ? 'you' : clean(m.name)}${m.admin ? styleText('dim', ' (admin)') : ''}`) })
        break
      }
      case 'add': {
        const groupId = openGroup()
        const c = groupId == null ? undefined : await pick(arg)
        if (groupId != null && c != null && await call('groups.add', { groupId, peerId: c.peerId }) != null) members = await call('groups.members', { groupId }) ?? members
        break
      }
      case 'remove': case 'promote': {
        const groupId = openGroup()
        const m = groupId == null ? undefined : member(arg)
        if (groupId == null || m == null) break
        await call(cmd === 'remove' ? 'groups.remove' : 'groups.promote', { groupId, peerId: m.peerId })
        members = await call('groups.members', { groupId }) ?? members
        break
      }
      case 'rename': {
        const groupId = openGroup()
        if (groupId != null && open != null && await call('groups.rename', { groupId, name: arg }) != null) open = { ...open, name: arg }
        setPrompt()
        break
      }
      case 'leave': {
        const groupId = openGroup()
        if (groupId != null && await call('groups.leave', { groupId }) !== undefined) say('You left the group. Its history stays here, read-only.')
        break
      }
      case 'history': {
        if (open == null) { say('Open a chat first.'); break }
        const page = oldest == null ? [] : await call('messages.list', { with: open.id, limit: 20, before: oldest }) ?? []
        if (page.length === 0) { say('No earlier messages.'); break }
        say(styleText('dim', '— earlier —'))
        oldest = page[0]?.id
        for (const m of page) show(m)
        break
      }
      case 'safety': {
        if (open == null || open.group) { say('Open a chat with a contact first.'); break }
        const r = await call('contacts.safetyNumber', { peerId: open.id })
        if (r != null) say(`Safety number with ${clean(open.name)} — compare it with theirs, out loud or in person:\n  ${r.safetyNumber}`)
        break
      }
      case 'verify': {
        if (open == null || open.group) { say('Open a chat with a contact first.'); break }
        const r = await call('contacts.verify', { peerId: open.id, verified: true })
        if (r != null) { open = contactChat(r.contact); say(styleText('green', `✔ ${clean(open.name)} marked as verified.`)) }
        break
      }
      case 'timer': {
        if (open == null) { say('Open a chat first.'); break }
        const seconds = TIMER_WORDS[arg]
        if (seconds == null) { say(`Use one of: ${Object.keys(TIMER_WORDS).join(', ')}`); break }
        await call('conversations.setTimer', { with: open.id, seconds })
        break
      }
      case 'name': {
        const r = await call('identity.setName', { name: arg })
        if (r != null) say(`You are now "${clean(r.name)}" to your contacts.`)
        break
      }
      case 'receipts': {
        const r = await call('settings.set', { readReceipts: arg === 'on' })
        if (r != null) say(`Read receipts ${r.readReceipts ? 'on' : 'off'}.`)
        break
      }
      default: say(`Unknown command /${clean(cmd)}. /help lists them.`)
    }
    return true
  }

  function onKeypress (): void {
    if (open == null || open.group || (rl as Interface & { line: string }).line.startsWith('/')) return
    const now = Date.now()
    if (now - lastTypingSent > TYPING_REFRESH_MS) {
      lastTypingSent = now
      void hearth.api['typing.set']({ with: open.id, typing: true }).catch(() => {})
    }
    if (typingIdle != null) clearTimeout(typingIdle)
    const peer = open.id
    typingIdle = setTimeout(() => {
      lastTypingSent = 0
      void hearth.api['typing.set']({ with: peer, typing: false }).catch(() => {})
    }, TYPING_IDLE_MS)
  }

  const offs = [
    hearth.events.on('message.received', (m) => {
      const conversation = m.group ?? m.from
      if (open?.id === conversation) {
        show({ ...m, with: conversation, outgoing: m.from === me.peerId, status: 'delivered' })
        void hearth.api['messages.markRead']({ with: conversation })
      } else if (m.group != null) {
        if (m.kind === 'system') return
        void hearth.api['groups.list']({}).then(list => {
          const g = list.find(x => x.groupId === m.group)
          const author = g?.members.find(x => x.peerId === m.from)?.name ?? shortId(m.from)
          say(styleText('yellow', `✉ ${clean(author)} in ${clean(g?.name ?? 'a group')}: ${clean(m.text).slice(0, 60)}`) + styleText('dim', '  (/groups)'))
        })
      } else {
        const name = shortId(m.from)
        void hearth.api['contacts.list']({}).then(list => {
          const c = list.find(x => x.peerId === m.from)
          say(styleText('yellow', `✉ ${clean(c?.name ?? name)}: ${clean(m.text).slice(0, 60)}`) + styleText('dim', `  (/open ${clean(c?.name ?? '')})`))
        })
      }
    }),
    hearth.events.on('message.status', (s) => {
      if (s.with !== open?.id || lastOwn.get(s.with) !== s.id || s.status === 'sent') return
      const reach = s.receipts != null ? ` (${s.status === 'read' ? s.receipts.read : s.receipts.delivered} of ${s.receipts.of})` : ''
      say(styleText('dim', `  ${TICKS[s.status]}${s.status === 'delivered' ? ' delivered' : ''}${reach}`))
    }),
    hearth.events.on('group.changed', ({ group }) => {
      if (group.groupId !== open?.id) return
      members = group.members
      if (group.status !== 'member') say(styleText('dim', `  (you ${group.status === 'left' ? 'left' : 'were removed from'} this group; its history stays here)`))
    }),
    hearth.events.on('typing', (t) => {
      typingFrom = t.typing ? t.peerId : (typingFrom === t.peerId ? undefined : typingFrom)
      setPrompt()
      rl.prompt(true)
    }),
    hearth.events.on('contact.online', (c) => {
      if (c.peerId === open?.id) say(styleText('dim', `  ${clean(open.name)} is ${c.online ? 'online' : 'offline'}`))
    }),
    hearth.events.on('conversation.timer', (t) => {
      if (t.with === open?.id) say(styleText('dim', `  — ${t.by === me.peerId ? 'you' : clean(open.name)} set disappearing messages to ${timerWords(t.seconds)} —`))
    }),
    hearth.events.on('message.expired', (e) => { if (e.with === open?.id) say(styleText('dim', '  (a message disappeared)')) }),
    hearth.events.on('message.deleted', (e) => { if (e.with === open?.id) say(styleText('dim', '  (a message was deleted)')) }),
    hearth.events.on('message.edited', (e) => { if (e.with === open?.id) say(styleText('dim', `  (edited) ${clean(e.text)}`)) }),
    hearth.events.on('contact.request', (r) => {
      say(styleText('magenta', `★ ${clean(r.name)} (${shortId(r.peerId)}) asks to be a contact. /requests`))
      if (r.resembles != null) say(styleText('red', `⚠ that name looks like your contact ${clean(r.resembles.name)} (${shortId(r.resembles.peerId)}): it may be someone posing as them`))
    }),
    hearth.events.on('contact.renamed', (r) => {
      say(styleText('dim', `  ${shortId(r.peerId)} is now called ${clean(r.name)}`))
      if (r.resembles != null) say(styleText('red', `⚠ ${clean(r.name)} (${shortId(r.peerId)}) now looks like ${r.resembles.peerId === me.peerId ? 'you' : `your contact ${clean(r.resembles.name)} (${shortId(r.resembles.peerId)})`}: it may be someone posing as them`))
    }),
    hearth.events.on('contact.identityMismatch', (m) => {
      say(styleText('red', `⚠ an address of ${clean(m.name)} answered with another identity: someone else is there, or ${clean(m.name)} has a new key. Compare safety numbers before trusting it.`))
    }),
    hearth.events.on('contact.added', (c) => { say(styleText('green', `✓ ${clean(c.contact.name)} is now a contact. /open ${clean(c.contact.name)} to chat.`)) })
  ]

  say(`${styleText('bold', 'Hearth')} — you are ${clean(me.name)} (${shortId(me.peerId)}). /help lists commands.`)
  process.stdin.on('keypress', onKeypress)
  setPrompt()
  rl.prompt()

  await new Promise<void>((resolve) => {
    let busy = Promise.resolve(true)
    rl.on('line', (line) => {
      busy = busy.then(async (go) => {
        if (!go) return false
        const text = line.trim()
        let keep = true
        if (text.startsWith('/')) keep = await command(text)
        else if (text.length > 0) {
          if (open == null) say('Open a chat first: /contacts, then /open N.')
          else {
            process.stdout.write('\x1b[1A\r\x1b[K')
            const r = await call('messages.send', { to: open.id, text })
            if (r != null) {
              lastOwn.set(open.id, r.id)
              show({ id: r.id, from: me.peerId, with: open.id, text, sentAt: Date.now(), status: r.status, outgoing: true })
              if (typingIdle != null) clearTimeout(typingIdle)
              lastTypingSent = 0
              if (!open.group) void hearth.api['typing.set']({ with: open.id, typing: false }).catch(() => {})
            }
          }
        }
        if (!keep) rl.close()
        else rl.prompt()
        return keep
      })
    })
    rl.on('close', () => { resolve() })
  })
  process.stdin.off('keypress', onKeypress)
  if (typingIdle != null) clearTimeout(typingIdle)
  for (const off of offs) off()
}
