import { describe, it, expect } from 'vitest'
import { PassThrough } from 'node:stream'
import { MAX_BATCH, MAX_LINE_BYTES, RPC_ERRORS, answer, answerLine, serveJsonRpc } from '../../src/main/cli/rpc.js'
import { Emitter } from '../../src/main/core/emitter.js'
import { HearthError } from '../../src/main/core/errors.js'
import type { ApiHandlers, Events, Identity } from '../../src/shared/api.js'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const IDENTITY: Identity = { peerId: PEER, name: 'Alice', addresses: ['/ip4/192.168.1.2/tcp/4001'] }

interface Calls { count: number }

/** A fake core with only the methods these tests call. */
function fakeApi (calls: Calls = { count: 0 }, overrides: Partial<ApiHandlers> = {}): ApiHandlers {
  const api: Partial<ApiHandlers> = {
    'identity.get': async () => { calls.count++; return IDENTITY },
    'identity.setName': async ({ name }) => { calls.count++; return { ...IDENTITY, name } },
    'profile.lock': async () => { calls.count++; return null },
    'contacts.request': async () => { calls.count++; throw new HearthError('NOT_A_CONTACT', 'that peer is not a contact') },
    'messages.send': async () => { calls.count++; throw new Error('db handle 0xdeadbeef exploded at /home/alice/secret') },
    ...overrides
  }
  return api as ApiHandlers
}

type AnyResponse = { jsonrpc: string, id: unknown, result?: unknown, error?: { code: number, message: string, data?: { code: string } } }

async function one (api: ApiHandlers, line: string): Promise<AnyResponse> {
  const res = await answerLine(api, line)
  if (res == null || Array.isArray(res)) throw new Error(`expected one response, got ${JSON.stringify(res)}`)
  return res as AnyResponse
}

const req = (id: unknown, method: string, params?: unknown): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })

describe('answer / answerLine', () => {
  it('answers a call with its result and the same id', async () => {
    expect(await one(fakeApi(), req(1, 'identity.get'))).toEqual({ jsonrpc: '2.0', id: 1, result: IDENTITY })
    expect(await one(fakeApi(), req('abc', 'identity.setName', { name: ' Bob ' }))).toEqual({ jsonrpc: '2.0', id: 'abc', result: { ...IDENTITY, name: 'Bob' } })
    // A handler returning nothing gives a null result, which JSON can carry.
    expect(await one(fakeApi(), req(null, 'profile.lock'))).toEqual({ jsonrpc: '2.0', id: null, result: null })
  })

  it('answers unparseable JSON with -32700 and id null', async () => {
    for (const line of ['{', 'hello', '{"jsonrpc":"2.0","id":1,', '']) {
      const res = await one(fakeApi(), line)
      expect(res.id).toBeNull()
      expect(res.error?.code).toBe(RPC_ERRORS.parse)
    }
  })

  it('answers malformed requests with -32600', async () => {
    const calls = { count: 0 }
    const api = fakeApi(calls)
    for (const line of [
      '42', '"identity.get"', 'null', 'true',
      JSON.stringify({ id: 1, method: 'identity.get' }),
      JSON.stringify({ jsonrpc: '1.0', id: 1, method: 'identity.get' }),
      JSON.stringify({ jsonrpc: '2.0', id: 1 }),
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 42 }),
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: null }),
      JSON.stringify({ jsonrpc: '2.0', id: { x: 1 }, method: 'identity.get' }),
      JSON.stringify({ jsonrpc: '2.0', id: [1], method: 'identity.get' }),
      JSON.stringify({ jsonrpc: '2.0', id: true, method: 'identity.get' })
    ]) {
      const res = await one(api, line)
      expect(res.error?.code, line).toBe(RPC_ERRORS.invalidRequest)
    }
    expect(calls.count).toBe(0)
  })

  it('keeps a valid id in a -32600 answer, and uses null for an invalid one', async () => {
    expect((await one(fakeApi(), JSON.stringify({ jsonrpc: '2.0', id: 7, method: 3 }))).id).toBe(7)
    expect((await one(fakeApi(), JSON.stringify({ jsonrpc: '2.0', id: { x: 1 }, method: 'identity.get' }))).id).toBeNull()
  })

  it('answers an unknown method with -32601', async () => {
    for (const method of ['nope', '__proto__', 'constructor', 'identity']) {
      const res = await one(fakeApi(), req(3, method))
      expect(res).toMatchObject({ id: 3, error: { code: RPC_ERRORS.methodNotFound } })
    }
  })

  it('answers positional (array) or non-object params with -32602, without calling the handler', async () => {
    const calls = { count: 0 }
    for (const params of [[1, 2], ['Bob'], 'Bob', 5, null]) {
      const res = await one(fakeApi(calls), req(4, 'identity.setName', params))
      expect(res).toMatchObject({ id: 4, error: { code: RPC_ERRORS.invalidParams } })
    }
    expect(calls.count).toBe(0)
  })

  it('answers params that fail validation with -32602 naming the field, without calling the handler', async () => {
    const calls = { count: 0 }
    const res = await one(fakeApi(calls), req(5, 'identity.setName', { name: 'x'.repeat(100) }))
    expect(res).toMatchObject({ id: 5, error: { code: RPC_ERRORS.invalidParams } })
    expect(res.error?.message).toMatch(/name/)
    const unknown = await one(fakeApi(calls), req(6, 'identity.get', { bogus: true }))
    expect(unknown.error?.code).toBe(RPC_ERRORS.invalidParams)
    expect(unknown.error?.message).toMatch(/bogus/)
    expect(calls.count).toBe(0)
  })

  it('answers an application error with -32000 and its code in data', async () => {
    const res = await one(fakeApi(), req(7, 'contacts.request', { peerId: PEER }))
    expect(res).toEqual({ jsonrpc: '2.0', id: 7, error: { code: RPC_ERRORS.application, message: 'that peer is not a contact', data: { code: 'NOT_A_CONTACT' } } })
  })

  it('answers an unexpected error with -32603 and does not leak its message', async () => {
    const res = await one(fakeApi(), req(8, 'messages.send', { to: PEER, text: 'hi' }))
    expect(res.id).toBe(8)
    expect(res.error?.code).toBe(RPC_ERRORS.internal)
    expect(JSON.stringify(res)).not.toMatch(/deadbeef|alice|secret|exploded/)
  })

  it('sends nothing for a notification (no id), even one that fails, but still runs it', async () => {
    const calls = { count: 0 }
    const api = fakeApi(calls)
    expect(await answerLine(api, JSON.stringify({ jsonrpc: '2.0', method: 'identity.get' }))).toBeUndefined()
    expect(calls.count).toBe(1)
    expect(await answerLine(api, JSON.stringify({ jsonrpc: '2.0', method: 'contacts.request', params: { peerId: PEER } }))).toBeUndefined()
    expect(await answerLine(api, JSON.stringify({ jsonrpc: '2.0', method: 'nope' }))).toBeUndefined()
    expect(await answerLine(api, JSON.stringify({ jsonrpc: '2.0', method: 'identity.setName', params: [1] }))).toBeUndefined()
    expect(await answer(api, { jsonrpc: '2.0', method: 'identity.get' })).toBeUndefined()
  })

  it('answers a batch with one response per request that has an id, and none for notifications', async () => {
    const calls = { count: 0 }
    const res = await answerLine(fakeApi(calls), JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'identity.get' },
      { jsonrpc: '2.0', method: 'identity.get' },
      { jsonrpc: '2.0', id: 'two', method: 'nope' },
      { jsonrpc: '2.0', method: 'profile.lock' },
      { jsonrpc: '2.0', id: 3, method: 'contacts.request', params: { peerId: PEER } },
      42
    ]))
    if (!Array.isArray(res)) throw new Error('expected an array')
    expect(res).toHaveLength(4)
    const byId = new Map(res.map(r => [r.id, r as AnyResponse]))
    expect(byId.get(1)?.result).toEqual(IDENTITY)
    expect(byId.get('two')?.error?.code).toBe(RPC_ERRORS.methodNotFound)
    expect(byId.get(3)?.error?.data?.code).toBe('NOT_A_CONTACT')
    expect(byId.get(null)?.error?.code).toBe(RPC_ERRORS.invalidRequest)
    expect(calls.count).toBe(4)
  })

  it('sends nothing for a batch of notifications only', async () => {
    const calls = { count: 0 }
    const line = JSON.stringify([{ jsonrpc: '2.0', method: 'identity.get' }, { jsonrpc: '2.0', method: 'profile.lock' }])
    expect(await answerLine(fakeApi(calls), line)).toBeUndefined()
    expect(calls.count).toBe(2)
  })

  it('answers an empty batch with a single -32600', async () => {
    expect(await one(fakeApi(), '[]')).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } })
  })

  it(`answers a batch of more than ${MAX_BATCH} requests with a single -32600 and runs none of them`, async () => {
    const calls = { count: 0 }
    const batch = (n: number): string => JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'identity.get' })))
    expect(await one(fakeApi(calls), batch(MAX_BATCH + 1))).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } })
    expect(calls.count).toBe(0)
    const full = await answerLine(fakeApi(calls), batch(MAX_BATCH))
    expect(Array.isArray(full) && full.length).toBe(MAX_BATCH)
    expect(calls.count).toBe(MAX_BATCH)
  })
})

/** A JSON-RPC session over in-memory streams, with the lines written so far. */
function session (api: ApiHandlers): { input: PassThrough, lines: () => AnyResponse[], raw: () => string, events: Emitter<Events>, done: Promise<void> } {
  const input = new PassThrough()
  const output = new PassThrough()
  let text = ''
  output.setEncoding('utf8')
  output.on('data', (chunk: string) => { text += chunk })
  const events = new Emitter<Events>()
  const { done } = serveJsonRpc({ api, events }, input, output)
  return {
    input,
    events,
    done,
    raw: () => text,
    lines: () => text.split('\n').filter(l => l.length > 0).map(l => JSON.parse(l) as AnyResponse)
  }
}

/** Lets queued stream events and promise callbacks run. */
async function settle (): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
}

function deferred<T> (): { promise: Promise<T>, resolve: (v: T) => void } {
  let resolve!: (v: T) => void
  const promise = new Promise<T>(r => { resolve = r })
  return { promise, resolve }
}

describe('serveJsonRpc', () => {
  it('answers each line, ignores blank lines, and survives garbage', async () => {
    const s = session(fakeApi())
    s.input.write(req(1, 'identity.get') + '\n\n   \n')
    s.input.write('not json\n')
    s.input.write(req(2, 'identity.get') + '\r\n')
    s.input.end()
    await s.done
    const lines = s.lines()
    expect(lines).toHaveLength(3)
    expect(lines.find(l => l.id === 1)?.result).toEqual(IDENTITY)
    expect(lines.find(l => l.id === 2)?.result).toEqual(IDENTITY)
    expect(lines.filter(l => l.error?.code === RPC_ERRORS.parse)).toHaveLength(1)
    expect(s.raw().endsWith('\n')).toBe(true)
  })

  it('reassembles a request split across chunks, and answers a last line without a newline', async () => {
    const s = session(fakeApi())
    const line = req(1, 'identity.setName', { name: 'Zoë' })
    for (const ch of line) s.input.write(ch)
    s.input.write('\n' + req(2, 'identity.get'))
    s.input.end()
    await s.done
    const lines = s.lines()
    expect(lines.find(l => l.id === 1)?.result).toMatchObject({ name: 'Zoë' })
    expect(lines.find(l => l.id === 2)?.result).toEqual(IDENTITY)
  })

  it(`answers a line longer than ${MAX_LINE_BYTES} bytes with one -32600, then answers the next line`, async () => {
    const calls = { count: 0 }
    const s = session(fakeApi(calls))
    // A huge line that would be a valid call, arriving in several chunks.
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'identity.setName', params: { name: 'x', pad: 'y'.repeat(MAX_LINE_BYTES) } })
    const third = Math.ceil(huge.length / 3)
    s.input.write(huge.slice(0, third))
    s.input.write(huge.slice(third, 2 * third))
    s.input.write(huge.slice(2 * third) + '\n' + req(1, 'identity.get') + '\n')
    s.input.end()
    await s.done
    const lines = s.lines()
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } })
    expect(lines[1]).toEqual({ jsonrpc: '2.0', id: 1, result: IDENTITY })
    expect(calls.count).toBe(1)
  })

  it(`counts the ${MAX_LINE_BYTES}-byte line limit in bytes, not characters`, async () => {
    const s = session(fakeApi())
    const name = '€'.repeat(Math.ceil(MAX_LINE_BYTES / 3) + 10)
    s.input.end(req(1, 'identity.setName', { name }) + '\n')
    await s.done
    expect(s.lines()[0]).toMatchObject({ id: null, error: { code: RPC_ERRORS.invalidRequest } })
  })

  it('resolves `done` at EOF only after in-flight answers are written', async () => {
    const gate = deferred<Identity>()
    const s = session(fakeApi(undefined, { 'identity.get': async () => gate.promise }))
    let finished = false
    void s.done.then(() => { finished = true })
    s.input.end(req(1, 'identity.get') + '\n')
    await settle()
    expect(finished).toBe(false)
    expect(s.lines()).toEqual([])

    gate.resolve(IDENTITY)
    await s.done
    expect(s.lines()).toEqual([{ jsonrpc: '2.0', id: 1, result: IDENTITY }])
  })

  it('turns core events into notification lines, until the session ends', async () => {
    const s = session(fakeApi())
    const received = { id: 'ab'.repeat(16), from: PEER, text: 'hi', sentAt: 1_700_000_000_000 }
    s.events.emit('message.received', received)
    s.events.emit('contact.online', { peerId: PEER, online: true })
    await settle()
    expect(s.lines()).toEqual([
      { jsonrpc: '2.0', method: 'message.received', params: received },
      { jsonrpc: '2.0', method: 'contact.online', params: { peerId: PEER, online: true } }
    ])
    s.input.end()
    await s.done
    s.events.emit('contact.online', { peerId: PEER, online: false })
    await settle()
    expect(s.lines()).toHaveLength(2)
  })
})
