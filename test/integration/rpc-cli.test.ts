/**
 * `npx hearth --rpc` as a child process, driven the way a script drives it:
 * the ready line, the methods, notifications, garbage on stdin, EOF, and
 * the failures a user meets at start (wrong passphrase, directory in use).
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { HEARTH_BIN, type RpcError, RpcPeer } from '../fixtures/rpc-peer.js'
import { tempDir } from '../fixtures/tmp.js'
import { waitFor } from '../fixtures/wait.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

async function spawnPeer (name: string, dataDir?: string): Promise<RpcPeer> {
  let dir = dataDir
  if (dir == null) {
    const t = await tempDir()
    cleanups.push(t.cleanup)
    dir = t.path
  }
  const p = await RpcPeer.spawn({ dataDir: dir, name })
  cleanups.push(async () => {
    if (p.child.exitCode == null && p.child.signalCode == null) p.kill()
    await p.exited
  })
  return p
}

async function snapshot (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const path = join(d, e.name)
      if (e.isDirectory()) await walk(path)
      else out[path] = createHash('sha256').update(await readFile(path)).digest('hex')
    }
  }
  await walk(dir)
  return out
}

async function run (args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn(process.execPath, [HEARTH_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString() })
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  child.stdin.end()
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  return { code, stdout, stderr }
}

async function rpcError (p: Promise<unknown>): Promise<RpcError> {
  try {
    await p
  } catch (err) {
    return err as RpcError
  }
  throw new Error('expected the call to fail')
}

describe('hearth --rpc', () => {
  it('starts with a ready line, answers methods, shrugs off garbage, and exits cleanly on EOF', async () => {
    const peer = await spawnPeer('Desk A')
    expect(peer.ready.peerId).toMatch(/^12D3KooW/)
    expect(peer.ready.addresses.length).toBeGreaterThan(0)
    const identity = await peer.call<{ peerId: string, name: string }>('identity.get')
    expect(identity).toMatchObject({ peerId: peer.ready.peerId, name: 'Desk A' })

    peer.send('this is not json\n')
    peer.send('{"jsonrpc":"2.0","id":"a","method":"no.such.method"}\n')
    peer.send('{"jsonrpc":"1.0","id":"b","method":"identity.get"}\n')
    peer.send('{"jsonrpc":"2.0","id":"c","method":"messages.send","params":{"to":"nobody","text":"hi"}}\n')
    peer.send('{"jsonrpc":"2.0","id":"d","method":"identity.get","params":[1,2]}\n')
    peer.send('[]\n')
    peer.send('\u0000\u0001\u00ff binary junk \n')
    peer.send(`{"jsonrpc":"2.0","id":"e","method":"identity.setName","params":{"name":"${'x'.repeat(2 * 1024 * 1024)}"}}\n`)
    peer.send('{"jsonrpc":"2.0","method":"identity.get"}\n')
    await waitFor(() => peer.lines.some(l => l.includes('"id":"d"')) && peer.lines.some(l => l.includes('at most 1048576 bytes')), 'answers to the garbage')

    const replies = peer.lines.slice(1).map(l => JSON.parse(l) as { id: unknown, error?: { code: number } })
    const codeFor = (id: unknown): number | undefined => replies.find(r => r.id === id)?.error?.code
    expect(codeFor('a')).toBe(-32601)
    expect(codeFor('b')).toBe(-32600)
    expect(codeFor('c')).toBe(-32602)
    expect(codeFor('d')).toBe(-32602)
    expect(replies.filter(r => r.id === null).map(r => r.error?.code).sort()).toEqual([-32700, -32700, -32600, -32600].sort())
    // The peer is still alive and well.
    expect((await peer.call<{ name: string }>('identity.get')).name).toBe('Desk A')

    expect(await peer.end()).toEqual({ code: 0, signal: null })
    // stdout held JSON-RPC and nothing else.
    for (const line of peer.lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' })
  })

  it('lets two peers chat: invite, message, notifications, delivered and read', async () => {
    const a = await spawnPeer('Desk A')
    const b = await spawnPeer('Desk B')
    const { code } = await a.call<{ code: string }>('invite.create')
    const { contact } = await b.call<{ contact: { peerId: string, name: string } }>('invite.accept', { code })
    expect(contact).toMatchObject({ peerId: a.ready.peerId, name: 'Desk A', online: true })
    await waitFor(() => a.notifications.find(n => n.method === 'contact.added'), 'contact.added at a')
    expect(a.notifications.find(n => n.method === 'contact.added')?.params).toMatchObject({ contact: { peerId: b.ready.peerId, name: 'Desk B', online: true } })

    const sent = await a.call<{ id: string, status: string }>('messages.send', { to: b.ready.peerId, text: 'hello from A' })
    expect(sent.status).toBe('pending')
    await waitFor(() => b.notifications.find(n => n.method === 'message.received'), 'message.received at b')
    expect(b.notifications.find(n => n.method === 'message.received')?.params).toMatchObject({ id: sent.id, from: a.ready.peerId, text: 'hello from A' })
    await waitFor(() => a.notifications.some(n => n.method === 'message.status' && (n.params as { status: string }).status === 'delivered'), 'delivered at a')

    await b.call('typing.set', { with: a.ready.peerId, typing: true })
    await waitFor(() => a.notifications.find(n => n.method === 'typing'), 'typing at a')
    expect(await b.call('messages.markRead', { with: a.ready.peerId })).toEqual({ count: 1 })
    await waitFor(() => a.notifications.some(n => n.method === 'message.status' && (n.params as { status: string }).status === 'read'), 'read at a')
    const history = await a.call<Array<{ id: string, status: string, text: string }>>('messages.list', { with: b.ready.peerId })
    expect(history).toEqual([expect.objectContaining({ id: sent.id, status: 'read', text: 'hello from A' })])

    const err = await rpcError(a.call('contacts.safetyNumber', { peerId: '12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L' }))
    expect(err.code).toBe(-32000)
    expect(err.data?.code).toBe('NOT_A_CONTACT')
    const sa = await a.call('contacts.safetyNumber', { peerId: b.ready.peerId })
    const sb = await b.call('contacts.safetyNumber', { peerId: a.ready.peerId })
    expect(sa).toEqual(sb)
  })

  it('with a wrong passphrase exits 2 with one line on stderr, and changes nothing on disk', async () => {
    const dir = await tempDir()
    cleanups.push(dir.cleanup)
    const first = await spawnPeer('Owner', dir.path)
    await first.call('messages.list', { with: first.ready.peerId })
    expect(await first.end()).toEqual({ code: 0, signal: null })

    const before = await snapshot(dir.path)
    const result = await run(['--rpc', '--data', dir.path, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'], { HEARTH_PASSPHRASE: 'not the passphrase' })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual(['hearth: wrong passphrase'])
    expect(await snapshot(dir.path)).toEqual(before)
  })

  it('refuses a data directory that another process has open', async () => {
    const dir = await tempDir()
    cleanups.push(dir.cleanup)
    await spawnPeer('Owner', dir.path)
    const result = await run(['--rpc', '--data', dir.path, '--no-mdns'], { HEARTH_PASSPHRASE: 'correct horse battery' })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('already open in another Hearth process')
  })

  it('explains usage mistakes', async () => {
    const bad = await run(['--rpc', '--bogus'], {})
    expect(bad.code).toBe(64)
    expect(bad.stderr).toContain("Unknown option '--bogus'")
    const help = await run(['--help'], {})
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--listen MA')
    const dir = await tempDir()
    cleanups.push(dir.cleanup)
    const noPass = await run(['--rpc', '--data', dir.path], { HEARTH_PASSPHRASE: undefined })
    expect(noPass.code).toBe(64)
    expect(noPass.stderr).toContain('HEARTH_PASSPHRASE')
  })
})
