/**
 * The JSON-RPC input, fuzzed. answerLine gets arbitrary text, arbitrary
 * JSON, requests built from the contract with their params damaged, deep
 * nesting, numbers JSON cannot hold, and __proto__ and constructor keys. It
 * must always resolve (never reject) to a well-formed JSON-RPC 2.0 answer,
 * or nothing for a notification, exactly as the specification (written out
 * again below, independently of rpc.ts) says; params a schema refuses must
 * never reach a handler; and nothing may touch Object.prototype.
 *
 * serveJsonRpc gets the same kind of lines cut into random chunks, split
 * inside multi-byte characters, and must answer each call exactly once.
 */
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { PassThrough } from 'node:stream'
import type { z } from 'zod'
import { answerLine, MAX_BATCH, RPC_ERRORS, serveJsonRpc } from '../../../src/main/cli/rpc.js'
import { Emitter } from '../../../src/main/core/emitter.js'
import { HearthError } from '../../../src/main/core/errors.js'
import { METHOD_NAMES, methods, type ApiHandlers, type Events, type MethodName, type ParamsInputOf } from '../../../src/shared/api.js'
import { ERROR_CODES, type ErrorCode } from '../../../src/shared/errors.js'
import { LIMITS } from '../../../src/shared/limits.js'
import { fuzz, stringCodec } from './harness.js'

// ------------------------------------------------------------ a fake core that records

/** How the fake handlers answer, chosen per input. */
const BEHAVIOURS = ['ok', 'undefined', 'hearth:NOT_FOUND', 'hearth:RATE_LIMITED', 'hearth:INVALID_PARAMS', 'hearth:INTERNAL', 'error', 'throw-string', 'throw-undefined'] as const
type Behaviour = typeof BEHAVIOURS[number]

interface Call { method: string, params: unknown }

const RESULT = { answered: true, list: [1, 'two', null] }

function fakeApi (behaviour: Behaviour, calls: Call[]): ApiHandlers {
  const api: Record<string, (params: unknown) => Promise<unknown>> = {}
  for (const method of METHOD_NAMES) {
    api[method] = async (params: unknown) => {
      calls.push({ method, params })
      switch (behaviour) {
        case 'ok': return RESULT
        case 'undefined': return undefined
        case 'error': throw new Error('db handle 0xdeadbeef at /home/alice/secret')
        case 'throw-string': throw 'a string, not an Error'
        case 'throw-undefined': throw undefined
        case 'hearth:NOT_FOUND':
        case 'hearth:RATE_LIMITED':
        case 'hearth:INVALID_PARAMS':
        case 'hearth:INTERNAL':
          throw new HearthError(behaviour.slice('hearth:'.length) as ErrorCode, 'a clear sentence')
      }
    }
  }
  return api as unknown as ApiHandlers
}

// ------------------------------------------------------------ the specification, written out again

type Id = string | number | null
type Expected = { kind: 'none' } | { kind: 'result', id: Id } | { kind: 'error', id: Id, code: number, data?: ErrorCode }

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isValidId = (v: unknown): v is Id => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))
const isMethod = (m: unknown): m is MethodName => typeof m === 'string' && (METHOD_NAMES as string[]).includes(m)

/** Whether the contract's schema accepts these params (absent means {}). */
function paramsValid (method: MethodName, params: unknown): boolean {
  return methods[method].params.safeParse(params ?? {}).success
}

/** What one request must get, and whether its handler runs. */
function specify (request: unknown, behaviour: Behaviour): { answer: Expected, runs: MethodName | undefined } {
  if (!isPlainObject(request)) return { answer: { kind: 'error', id: null, code: RPC_ERRORS.invalidRequest }, runs: undefined }
  const hasId = Object.hasOwn(request, 'id')
  const id = hasId && isValidId(request.id) ? request.id : null
  if (request.jsonrpc !== '2.0' || typeof request.method !== 'string' || (hasId && !isValidId(request.id))) {
    return { answer: { kind: 'error', id, code: RPC_ERRORS.invalidRequest }, runs: undefined }
  }
  const params = request.params
  if (params !== undefined && !isPlainObject(params)) {
    return { answer: hasId ? { kind: 'error', id, code: RPC_ERRORS.invalidParams } : { kind: 'none' }, runs: undefined }
  }
  const method = request.method
  const runs = isMethod(method) && paramsValid(method, params) ? method : undefined
  if (!hasId) return { answer: { kind: 'none' }, runs }
  if (!isMethod(method)) return { answer: { kind: 'error', id, code: RPC_ERRORS.methodNotFound }, runs }
  if (runs == null) return { answer: { kind: 'error', id, code: RPC_ERRORS.invalidParams }, runs }
  switch (behaviour) {
    case 'ok':
    case 'undefined':
      return { answer: { kind: 'result', id }, runs }
    case 'hearth:INVALID_PARAMS':
      return { answer: { kind: 'error', id, code: RPC_ERRORS.invalidParams }, runs }
    case 'hearth:INTERNAL':
    case 'error':
    case 'throw-string':
    case 'throw-undefined':
      return { answer: { kind: 'error', id, code: RPC_ERRORS.internal }, runs }
    case 'hearth:NOT_FOUND':
    case 'hearth:RATE_LIMITED':
      return { answer: { kind: 'error', id, code: RPC_ERRORS.application, data: behaviour.slice('hearth:'.length) as ErrorCode }, runs }
  }
}

/** What a whole line must get: one answer, an array of them, or nothing. */
function specifyLine (line: string, behaviour: Behaviour): { answer: Expected | Expected[] | undefined, runs: MethodName[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return { answer: { kind: 'error', id: null, code: RPC_ERRORS.parse }, runs: [] }
  }
  if (!Array.isArray(parsed)) {
    const one = specify(parsed, behaviour)
    return { answer: one.answer.kind === 'none' ? undefined : one.answer, runs: one.runs == null ? [] : [one.runs] }
  }
  if (parsed.length === 0 || parsed.length > MAX_BATCH) return { answer: { kind: 'error', id: null, code: RPC_ERRORS.invalidRequest }, runs: [] }
  const each = parsed.map(r => specify(r, behaviour))
  const answers = each.map(e => e.answer).filter(a => a.kind !== 'none')
  return { answer: answers.length > 0 ? answers : undefined, runs: each.flatMap(e => e.runs == null ? [] : [e.runs]) }
}

const RPC_CODES = new Set<number>(Object.values(RPC_ERRORS))

/** A well-formed JSON-RPC 2.0 response, matching what was specified. */
function checkResponse (got: unknown, want: Expected): void {
  if (!isPlainObject(got)) throw new Error(`not a response object: ${JSON.stringify(got)}`)
  expect(got.jsonrpc).toBe('2.0')
  expect(isValidId(got.id)).toBe(true)
  if (want.kind === 'none') throw new Error('a response was sent where none is owed')
  expect(got.id).toBe(want.id)
  if (want.kind === 'result') {
    expect(Object.keys(got).sort()).toEqual(['id', 'jsonrpc', 'result'])
    expect(got.result === null || isPlainObject(got.result)).toBe(true)
    return
  }
  expect(Object.keys(got).sort()).toEqual(['error', 'id', 'jsonrpc'])
  const error = got.error
  if (!isPlainObject(error)) throw new Error('error is not an object')
  expect(RPC_CODES.has(error.code as number)).toBe(true)
  expect(error.code).toBe(want.code)
  expect(typeof error.message).toBe('string')
  expect((error.message as string).length).toBeGreaterThan(0)
  expect((error.message as string).length).toBeLessThanOrEqual(512)
  // An unexpected failure never leaks its message.
  expect(error.message).not.toMatch(/deadbeef|alice|secret|a string, not an Error/)
  if (want.data != null) {
    expect(error.data).toEqual({ code: want.data })
    expect(ERROR_CODES).toContain(want.data)
  } else {
    expect(error.data).toBeUndefined()
  }
}

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()

function checkPrototypeUntouched (): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS)
  const probe: Record<string, unknown> = {}
  for (const key of ['polluted', 'isAdmin', 'name', 'passphrase', 'jsonrpc', 'method', 'params']) expect(probe[key]).toBeUndefined()
}

// ------------------------------------------------------------ inputs

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const MESSAGE_ID = 'a'.repeat(32)
const peerIdArb = fc.oneof(fc.constant(PEER), fc.string({ unit: fc.constantFrom(...'123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'), minLength: 32, maxLength: 128 }))
const nameArb = fc.oneof(fc.constantFrom('Alice', ' Zoë ', 'x'.repeat(64)), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }).filter(s => s.trim().length > 0))
const textArb = fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }), fc.constant('a'.repeat(LIMITS.textBytes)))
const passArb = fc.string({ minLength: 1, maxLength: 40 })
const opt = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined })

/**
 * Valid params for the methods we know. A method added to the contract
 * later still gets fuzzed, from its schema's field names with values drawn
 * from `FIELD_VALUES` below.
 */
const VALID: Partial<{ [M in MethodName]: fc.Arbitrary<ParamsInputOf<M>> }> = {
  'identity.get': fc.constant({}),
  'identity.setName': fc.record({ name: nameArb }),
  'invite.create': fc.constant({}),
  'invite.accept': fc.record({ code: fc.string({ minLength: 1, maxLength: 100 }) }),
  'peers.nearby': fc.constant({}),
  'contacts.list': fc.constant({}),
  'contacts.request': fc.record({ peerId: peerIdArb }),
  'contacts.requests': fc.constant({}),
  'contacts.acceptRequest': fc.record({ peerId: peerIdArb }),
  'contacts.declineRequest': fc.record({ peerId: peerIdArb }),
  'contacts.safetyNumber': fc.record({ peerId: peerIdArb }),
  'contacts.verify': fc.record({ peerId: peerIdArb, verified: opt(fc.boolean()) }, { requiredKeys: ['peerId'] }),
  'messages.send': fc.record({ to: peerIdArb, text: textArb }),
  'messages.list': fc.record({ with: peerIdArb, limit: opt(fc.integer({ min: 1, max: LIMITS.pageMax })), before: opt(fc.constant(MESSAGE_ID)) }, { requiredKeys: ['with'] }),
  'messages.markRead': fc.record({ with: peerIdArb }),
  'typing.set': fc.record({ with: peerIdArb, typing: fc.boolean() }),
  'settings.get': fc.constant({}),
  'settings.set': fc.record({ readReceipts: opt(fc.boolean()), hideNotificationText: opt(fc.boolean()), autoLockMinutes: opt(fc.integer({ min: 0, max: 1440 })) }, { requiredKeys: [] }),
  'conversations.list': fc.constant({}),
  'profile.status': fc.constant({}),
  'profile.create': fc.record({ name: nameArb, passphrase: passArb, remember: opt(fc.boolean()) }, { requiredKeys: ['name', 'passphrase'] }),
  'profile.unlock': fc.record({ passphrase: passArb, remember: opt(fc.boolean()) }, { requiredKeys: ['passphrase'] }),
  'profile.forgetDevice': fc.constant({}),
  'profile.lock': fc.constant({}),
  'profile.changePassphrase': fc.record({ current: passArb, next: passArb })
}

/** Values that fit common fields, for methods without a hand-written generator. */
const FIELD_VALUES: fc.Arbitrary<unknown> = fc.oneof(peerIdArb, fc.constant(MESSAGE_ID), nameArb, textArb, fc.boolean(), fc.integer({ min: 0, max: 600 }))

function shapeOf (method: MethodName): Record<string, z.ZodType> {
  return (methods[method].params as unknown as { shape: Record<string, z.ZodType> }).shape
}

function validParams (method: MethodName): fc.Arbitrary<Record<string, unknown>> {
  const known = VALID[method] as fc.Arbitrary<Record<string, unknown>> | undefined
  if (known != null) return known.map(p => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)))
  const keys = Object.keys(shapeOf(method))
  return fc.tuple(...keys.map(() => FIELD_VALUES)).map(values => Object.fromEntries(keys.map((k, i) => [k, values[i]])))
}

/** Sets an own, enumerable property, even one called __proto__. */
function define (target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  return target
}

const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'name ', 'Name', '\u0000']
const wrongTypeFor = (value: unknown): fc.Arbitrary<unknown> => {
  if (typeof value === 'string') return fc.constantFrom(0, 1, true, false, null, [], {}, [value], { value })
  if (typeof value === 'boolean') return fc.constantFrom('true', 'false', 0, 1, null, [], {})
  if (typeof value === 'number') return fc.constantFrom(String(value), true, null, [], {}, [value])
  return fc.constantFrom('x', 1, true)
}

type Damage = 'none' | 'unknown-key' | 'wrong-type' | 'drop-required' | 'random-value' | 'extreme' | 'random-params' | 'absent'

/** Params for `method`, and whether the damage done guarantees a schema refuses them. */
function paramsFor (method: MethodName): fc.Arbitrary<{ params: unknown, surelyInvalid: boolean, damage: Damage }> {
  const shape = shapeOf(method)
  const required = Object.keys(shape).filter(k => !(shape[k]?.safeParse(undefined).success ?? false))
  return fc.tuple(validParams(method), fc.constantFrom<Damage>('none', 'none', 'unknown-key', 'wrong-type', 'drop-required', 'random-value', 'extreme', 'random-params', 'absent'), fc.nat(), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...NASTY_KEYS, 'bogus'))
    .chain(([valid, damage, pick, random, nasty]): fc.Arbitrary<{ params: unknown, surelyInvalid: boolean, damage: Damage }> => {
      const keys = Object.keys(valid)
      const key = keys.length > 0 ? keys[pick % keys.length] : undefined
      switch (damage) {
        case 'none': return fc.constant({ params: valid, surelyInvalid: false, damage })
        case 'absent': return fc.constant({ params: undefined, surelyInvalid: false, damage })
        case 'unknown-key': return fc.constant({ params: define({ ...valid }, Object.hasOwn(shape, nasty) ? `${nasty}_` : nasty, random), surelyInvalid: true, damage })
        case 'wrong-type':
          if (key == null) return fc.constant({ params: valid, surelyInvalid: false, damage: 'none' as Damage })
          return wrongTypeFor(valid[key]).map(bad => ({ params: { ...valid, [key]: bad }, surelyInvalid: true, damage }))
        case 'drop-required': {
          const drop = required.length > 0 ? required[pick % required.length] : undefined
          if (drop == null) return fc.constant({ params: valid, surelyInvalid: false, damage: 'none' as Damage })
          const { [drop]: _, ...rest } = valid
          return fc.constant({ params: rest, surelyInvalid: true, damage })
        }
        case 'random-value':
          if (key == null) return fc.constant({ params: valid, surelyInvalid: false, damage: 'none' as Damage })
          return fc.constant({ params: { ...valid, [key]: random }, surelyInvalid: false, damage })
        case 'extreme':
          if (key == null) return fc.constant({ params: valid, surelyInvalid: false, damage: 'none' as Damage })
          return fc.constantFrom<unknown>(1e308, -1e308, -0, 0.5, 2 ** 53 + 2, -1, 0, 1441, 501, 'x'.repeat(5000), '\u202e', ' '.repeat(70), '\ud800')
            .map(v => ({ params: { ...valid, [key]: v }, surelyInvalid: false, damage }))
        case 'random-params':
          return fc.constant({ params: random, surelyInvalid: false, damage })
      }
    })
}

const validIdArb: fc.Arbitrary<Id> = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.constant(null), fc.constantFrom(0, -1, 1.5, 2 ** 53 + 1, 1e300))
const badIdArb = fc.oneof(fc.boolean(), fc.constant([1]), fc.constant({ x: 1 }))
const methodArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...METHOD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'identity', 'identity.get ', 'IDENTITY.GET', '', 'x'.repeat(300)) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(42, null, [], {}, true)) }
)

interface Built { request: unknown, surelyInvalid: boolean, method: unknown, params: unknown }

/** One request object: mostly well-formed, with its envelope or its params damaged. */
const requestArb: fc.Arbitrary<Built> = methodArb.chain(method => fc.record({
  jsonrpc: fc.oneof({ weight: 9, arbitrary: fc.constant<unknown>('2.0') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('1.0', 2, null, undefined, '2.0 ') }),
  id: fc.oneof({ weight: 6, arbitrary: validIdArb.map(id => ({ id })) }, { weight: 2, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: badIdArb.map(id => ({ id })) }),
  params: isMethod(method) ? paramsFor(method) : fc.oneof(fc.constant({ params: undefined, surelyInvalid: false, damage: 'absent' as Damage }), fc.jsonValue({ maxDepth: 2 }).map(p => ({ params: p, surelyInvalid: false, damage: 'random-params' as Damage }))),
  extra: fc.option(fc.tuple(fc.constantFrom(...NASTY_KEYS, 'result', 'error'), fc.jsonValue({ maxDepth: 1 })), { nil: undefined })
}).map(({ jsonrpc, id, params, extra }) => {
  const request: Record<string, unknown> = {}
  if (jsonrpc !== undefined) request.jsonrpc = jsonrpc
  Object.assign(request, id)
  request.method = method
  if (params.params !== undefined) request.params = params.params
  if (extra != null && !['jsonrpc', 'id', 'method', 'params'].includes(extra[0])) define(request, extra[0], extra[1])
  return { request, surelyInvalid: params.surelyInvalid, method, params: params.params }
}))

/** Text that JSON.stringify never writes: numbers out of range, deep nests, odd spacing. */
const rawLine: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('1e400', '-1e400', '-0', '1e-400', '9007199254740993', '123456789012345678901234567890', '0.1', '1E2', '-1'), fc.constantFrom(...METHOD_NAMES))
    .map(([n, m]) => `{"jsonrpc":"2.0","id":${n},"method":"${m}"}`),
  fc.tuple(fc.constantFrom('1e400', '-0', '1e21', '0.5', '-1'), fc.constantFrom('limit', 'autoLockMinutes'))
    .map(([n, k]) => `{"jsonrpc":"2.0","id":1,"method":"${k === 'limit' ? 'messages.list' : 'settings.set'}","params":{${k === 'limit' ? `"with":"${PEER}",` : ''}"${k}":${n}}}`),
  fc.integer({ min: 1, max: 100_000 }).map(n => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 100_000 }).map(n => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 50_000 }).map(n => `{"jsonrpc":"2.0","id":1,"method":"settings.set","params":{"readReceipts":${'['.repeat(n)}${']'.repeat(n)}}}`),
  fc.integer({ min: 1, max: 50_000 }).map(n => `{"jsonrpc":"2.0","id":1,"method":"identity.get","params":{"__proto__":${'{"x":'.repeat(n)}1${'}'.repeat(n)}}}`),
  fc.constantFrom(
    '{"jsonrpc":"2.0","id":1,"method":"settings.set","params":{"__proto__":{"readReceipts":true}}}',
    '{"jsonrpc":"2.0","id":1,"method":"settings.set","params":{"constructor":{"prototype":{"polluted":true}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"__proto__","params":{}}',
    '{"jsonrpc":"2.0","id":1,"method":"identity.get","id":2}',
    '{"jsonrpc":"2.0","method":"identity.get","jsonrpc":"1.0","id":3}',
    '\ufeff{"jsonrpc":"2.0","id":1,"method":"identity.get"}',
    '  {"jsonrpc":"2.0","id":1,"method":"identity.get"}\r',
    '{"jsonrpc":"2.0","id":"\\ud800","method":"identity.setName","params":{"name":"\\ud800"}}',
    '{"jsonrpc":"2.0","id":1,"method":"identity.get\\u0000"}',
    '[{"jsonrpc":"2.0","id":1,"method":"identity.get"},[],{}]'
  )
)

/** A valid line with a few characters changed, cut or added. */
const mangled: fc.Arbitrary<string> = fc.tuple(requestArb.map(b => JSON.stringify(b.request)), fc.array(fc.tuple(fc.nat(), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', ' ', 'e', '0', '\u0000', 'é')), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([line, edits, cut]) => {
    let s = line
    for (const [at, ch] of edits) {
      const i = at % (s.length + 1)
      s = cut ? s.slice(0, i) + ch + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i)
    }
    return s
  })

/** Every kind of line, with the requests it holds for the invalid-params check. */
const lineArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: requestArb.map(b => JSON.stringify(b.request)) },
  { weight: 3, arbitrary: fc.array(requestArb, { minLength: 0, maxLength: 12 }).map(bs => JSON.stringify(bs.map(b => b.request))) },
  { weight: 1, arbitrary: fc.array(requestArb, { minLength: MAX_BATCH + 1, maxLength: MAX_BATCH + 3 }).map(bs => JSON.stringify(bs.map(b => b.request))) },
  { weight: 2, arbitrary: mangled },
  { weight: 2, arbitrary: rawLine },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) }
)

interface LineInput { line: string, behaviour: Behaviour }
const lineCodec = {
  toJson: (v: LineInput): unknown => v,
  fromJson: (j: unknown): LineInput => {
    const v = j as Partial<LineInput>
    if (typeof v.line !== 'string' || !(BEHAVIOURS as readonly string[]).includes(v.behaviour ?? '')) throw new Error('malformed rpc-line regression')
    return v as LineInput
  }
}

/** Parsed requests with params a schema refuses for sure, to check none of them reached a handler. */
function surelyInvalidOf (line: string): Array<{ method: string, params: unknown }> {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return []
  }
  const requests = Array.isArray(parsed) ? parsed : [parsed]
  return requests.filter(isPlainObject).flatMap(r => isMethod(r.method) && !paramsValid(r.method, r.params) ? [{ method: r.method, params: r.params }] : [])
}

describe('answerLine', () => {
  it('always resolves to what JSON-RPC 2.0 specifies, and runs a handler only with params its schema accepts', async () => {
    await fuzz('rpc-line', fc.record({ line: lineArb, behaviour: fc.constantFrom(...BEHAVIOURS) }), lineCodec, async ({ line, behaviour }) => {
      const calls: Call[] = []
      const spec = specifyLine(line, behaviour)
      const got = await answerLine(fakeApi(behaviour, calls), line)

      // The answer is JSON, and what the specification says.
      if (got !== undefined) expect(JSON.stringify(JSON.parse(JSON.stringify(got)))).toBe(JSON.stringify(got))
      if (spec.answer === undefined) expect(got).toBeUndefined()
      else if (Array.isArray(spec.answer)) {
        if (!Array.isArray(got)) throw new Error(`expected a batch answer, got ${JSON.stringify(got)?.slice(0, 200)}`)
        expect(got.length).toBe(spec.answer.length)
        spec.answer.forEach((want, i) => { checkResponse(got[i], want) })
      } else {
        if (got === undefined || Array.isArray(got)) throw new Error(`expected one answer, got ${JSON.stringify(got)?.slice(0, 200)}`)
        checkResponse(got, spec.answer)
      }

      // Handlers ran exactly for the requests whose params are valid, and only with valid params.
      expect(calls.map(c => c.method).sort()).toEqual([...spec.runs].sort())
      for (const call of calls) {
        expect(isMethod(call.method) && methods[call.method].params.safeParse(call.params).success).toBe(true)
        expect(Object.keys(call.params as object).every(k => Object.hasOwn(shapeOf(call.method as MethodName), k))).toBe(true)
        expect(Object.getPrototypeOf(call.params)).toBe(Object.prototype)
      }
      for (const bad of surelyInvalidOf(line)) {
        expect(calls.some(c => c.method === bad.method && JSON.stringify(c.params) === JSON.stringify(bad.params))).toBe(false)
      }
      checkPrototypeUntouched()
    }, { runs: 2000, timeoutMs: 2000, maxMsPerInput: 2000 })
  })

  it('refuses, without running any handler, params damaged in a way the schema must refuse', async () => {
    const input = fc.record({ built: requestArb.filter(b => b.surelyInvalid && isMethod(b.method)), id: validIdArb })
      .map(({ built, id }) => JSON.stringify({ ...(built.request as object), jsonrpc: '2.0', id }))
      // The damage must survive JSON: a key set to undefined, say, is dropped from the line.
      .filter(line => surelyInvalidOf(line).length > 0)
    await fuzz('rpc-invalid-params', input, stringCodec, async (line) => {
      const calls: Call[] = []
      const got = await answerLine(fakeApi('ok', calls), line)
      expect(got).toMatchObject({ jsonrpc: '2.0', error: { code: RPC_ERRORS.invalidParams } })
      expect(calls).toEqual([])
      checkPrototypeUntouched()
    }, { runs: 500, timeoutMs: 2000 })
  })
})

// ------------------------------------------------------------ serveJsonRpc

interface SessionInput { lines: Array<{ call: boolean, text: string }>, crlf: boolean, cuts: number[] }

describe('serveJsonRpc', () => {
  it('answers each call exactly once, whatever else comes and however the bytes are cut', async () => {
    const lineOf = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...METHOD_NAMES).chain(m => paramsFor(m).map(p => ({ call: true, text: JSON.stringify({ jsonrpc: '2.0', method: m, ...(p.params === undefined ? {} : { params: p.params }) }) }))) },
      { weight: 2, arbitrary: fc.oneof(mangled, fc.string({ unit: 'binary', maxLength: 40 }), fc.json({ maxDepth: 2 }), rawLine.filter(l => l.length < 2000)).map(text => ({ call: false, text })) }
    )
    const input = fc.record({ lines: fc.array(lineOf, { maxLength: 12 }), crlf: fc.boolean(), cuts: fc.array(fc.nat({ max: 1 << 20 }), { maxLength: 8 }) })
    const codec = {
      toJson: (v: SessionInput): unknown => v,
      fromJson: (j: unknown): SessionInput => {
        const v = j as Partial<SessionInput>
        if (!Array.isArray(v.lines) || !Array.isArray(v.cuts) || typeof v.crlf !== 'boolean') throw new Error('malformed rpc-session regression')
        return v as SessionInput
      }
    }
    await fuzz('rpc-session', input, codec, async ({ lines, crlf, cuts }) => {
      // Calls get ids no other line can hold; garbage lines lose their newlines.
      const texts = lines.map((l, i) => l.call ? JSON.stringify({ ...JSON.parse(l.text) as object, id: `call-${i}` }) : l.text.replace(/[\r\n]/g, ' ').replace(/call-/g, 'c-'))
      const ids = lines.flatMap((l, i) => l.call ? [`call-${i}`] : [])
      const bytes = Buffer.from(texts.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n'))

      const inStream = new PassThrough()
      const outStream = new PassThrough()
      let out = ''
      outStream.setEncoding('utf8')
      outStream.on('data', (chunk: string) => { out += chunk })
      const { done } = serveJsonRpc({ api: fakeApi('ok', []), events: new Emitter<Events>() }, inStream, outStream)
      // Cut anywhere, inside a UTF-8 character too.
      const at = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
      let from = 0
      for (const to of [...at, bytes.length]) {
        inStream.write(bytes.subarray(from, to))
        from = to
      }
      inStream.end()
      await done

      const answers = out.split('\n').filter(l => l.length > 0).map(l => JSON.parse(l) as unknown)
      const nonBlank = texts.filter(t => t.trim().length > 0).length
      expect(answers.length).toBeLessThanOrEqual(nonBlank)
      const flat = answers.flatMap(a => Array.isArray(a) ? a : [a]) as Array<Record<string, unknown>>
      for (const a of flat) {
        expect(a.jsonrpc).toBe('2.0')
        expect(isValidId(a.id)).toBe(true)
        expect(Object.hasOwn(a, 'result') !== Object.hasOwn(a, 'error')).toBe(true)
      }
      const answered = flat.map(a => a.id).filter((id): id is string => typeof id === 'string' && id.startsWith('call-'))
      // Every call is answered once (calls with invalid params get -32602, still once).
      expect(answered.sort()).toEqual([...ids].sort())
    }, { runs: 300, timeoutMs: 5000 })
  })
})
