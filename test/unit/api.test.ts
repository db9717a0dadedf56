import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { METHOD_NAMES, isMethodName, methods, parseParams, type MethodName } from '../../src/shared/api.js'
import { LIMITS, utf8Length } from '../../src/shared/limits.js'

const PEER = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const MSG_ID = '00112233445566778899aabbccddeeff'

/** The error message of a refused call; fails the test if the params were accepted. */
function refusal (method: MethodName, raw: unknown): string {
  const result = parseParams(method, raw)
  if (result.ok) throw new Error(`expected ${method} to refuse ${JSON.stringify(raw)}`)
  expect(result.error.code).toBe('INVALID_PARAMS')
  return result.error.message
}

describe('parseParams: accepted params', () => {
  it('accepts valid params and returns them', () => {
    expect(parseParams('messages.send', { to: PEER, text: 'hello' })).toEqual({ ok: true, value: { to: PEER, text: 'hello' } })
    expect(parseParams('messages.list', { with: PEER, limit: LIMITS.pageMax, before: MSG_ID }))
      .toEqual({ ok: true, value: { with: PEER, limit: LIMITS.pageMax, before: MSG_ID } })
    expect(parseParams('contacts.verify', { peerId: PEER })).toEqual({ ok: true, value: { peerId: PEER } })
    expect(parseParams('settings.set', { readReceipts: false })).toEqual({ ok: true, value: { readReceipts: false } })
  })

  it('trims display names', () => {
    expect(parseParams('identity.setName', { name: '  Alice  ' })).toEqual({ ok: true, value: { name: 'Alice' } })
    expect(parseParams('profile.create', { name: '\tBob\u00a0', passphrase: '  spaces kept  ' }))
      .toEqual({ ok: true, value: { name: 'Bob', passphrase: '  spaces kept  ' } })
  })

  it('counts a display name in characters, so 64 emoji fit and 65 do not', () => {
    expect(parseParams('identity.setName', { name: '😀'.repeat(LIMITS.nameChars) }).ok).toBe(true)
    expect(refusal('identity.setName', { name: '😀'.repeat(LIMITS.nameChars + 1) })).toMatch(/name/)
    expect(refusal('identity.setName', { name: 'x'.repeat(LIMITS.nameChars + 1) })).toMatch(/name/)
  })

  it('treats absent params as {}', () => {
    const noParams = METHOD_NAMES.filter(m => parseParams(m, {}).ok)
    expect(noParams).toContain('identity.get')
    for (const m of noParams) {
      expect(parseParams(m, undefined)).toEqual(parseParams(m, {}))
      expect(parseParams(m, null)).toEqual(parseParams(m, {}))
    }
    // And a method that needs params still refuses when they are absent, naming the field.
    expect(refusal('messages.send', undefined)).toMatch(/\bto\b/)
  })

  it('knows exactly the methods of the contract', () => {
    for (const m of METHOD_NAMES) expect(isMethodName(m)).toBe(true)
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 42, null]) expect(isMethodName(m)).toBe(false)
    expect(METHOD_NAMES).toHaveLength(Object.keys(methods).length)
  })
})

describe('parseParams: refused params', () => {
  it('refuses unknown fields, naming the field', () => {
    expect(refusal('identity.get', { extra: 1 })).toMatch(/unknown field "extra"/)
    expect(refusal('messages.send', { to: PEER, text: 'hi', cc: PEER })).toMatch(/unknown field "cc"/)
  })

  it('refuses params that are not an object', () => {
    for (const raw of ['hello', 42, true, [PEER]]) expect(refusal('identity.get', raw)).toMatch(/params/)
  })

  it('refuses wrong types, naming the field and the expected type', () => {
    expect(refusal('identity.setName', { name: 42 })).toMatch(/name must be string/)
    expect(refusal('settings.set', { readReceipts: 'yes' })).toMatch(/readReceipts must be boolean/)
    expect(refusal('messages.list', { with: PEER, limit: '5' })).toMatch(/limit/)
    expect(refusal('messages.list', { with: PEER, limit: 1.5 })).toMatch(/limit/)
    expect(refusal('messages.list', { with: PEER, limit: 0 })).toMatch(/limit/)
    expect(refusal('messages.list', { with: PEER, limit: LIMITS.pageMax + 1 })).toMatch(/limit/)
    expect(refusal('typing.set', { with: PEER })).toMatch(/typing/)
  })

  it('refuses a malformed peer id or message id', () => {
    for (const bad of ['', 'abc', PEER.replace('K', '0'), PEER.replace('K', 'l'), ` ${PEER}`, PEER + '\n', 'x'.repeat(129)]) {
      expect(refusal('contacts.request', { peerId: bad })).toMatch(/peerId must be a base58 peer id/)
    }
    expect(refusal('messages.list', { with: PEER, before: MSG_ID.toUpperCase() })).toMatch(/before/)
    expect(refusal('messages.list', { with: PEER, before: MSG_ID.slice(1) })).toMatch(/before/)
  })

  it('refuses empty text', () => {
    expect(refusal('messages.send', { to: PEER, text: '' })).toMatch(/text must not be empty/)
  })

  it('limits text in UTF-8 bytes, not characters', () => {
    const ascii = 'a'.repeat(LIMITS.textBytes)
    expect(parseParams('messages.send', { to: PEER, text: ascii }).ok).toBe(true)
    expect(refusal('messages.send', { to: PEER, text: ascii + 'a' })).toMatch(/text/)

    const emoji = '😀'.repeat(LIMITS.textBytes / 4)
    expect(parseParams('messages.send', { to: PEER, text: emoji }).ok).toBe(true)
    expect(refusal('messages.send', { to: PEER, text: emoji + 'a' })).toMatch(/text/)

    // 5,462 euro signs are 16,386 bytes but only 5,462 UTF-16 units.
    expect(refusal('messages.send', { to: PEER, text: '€'.repeat(Math.ceil(LIMITS.textBytes / 3)) })).toMatch(/text/)
  })

  it('refuses bad display names', () => {
    for (const name of ['', '   ', 'a\u0000b', 'a\nb', 'tab\there', '\u001b[2J', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\u2029b']) {
      expect(refusal('identity.setName', { name })).toMatch(/name/)
    }
  })

  it('never echoes the offending value in the error message', () => {
    const secret = 'hunter2-SECRET-VALUE'
    const messages = [
      refusal('profile.unlock', { passphrase: secret.repeat(60) }),
      refusal('profile.unlock', { passphrase: 123456789 }),
      refusal('profile.changePassphrase', { current: secret, next: '' }),
      refusal('identity.setName', { name: `${secret}\u0007x` }),
      refusal('identity.setName', { name: secret.repeat(10) }),
      refusal('contacts.request', { peerId: secret }),
      refusal('messages.send', { to: PEER, text: secret.repeat(1000) }),
      refusal('messages.list', { with: PEER, before: secret }),
      refusal('messages.list', { with: PEER, limit: 987654321 }),
      refusal('identity.get', { field: secret })
    ]
    for (const message of messages) {
      expect(message).not.toContain('hunter2')
      expect(message).not.toContain('123456789')
      expect(message).not.toContain('987654321')
      expect(message.startsWith('invalid params: ')).toBe(true)
    }
  })
})

describe('utf8Length', () => {
  it('agrees with Buffer.byteLength on fixed edge cases', () => {
    for (const s of ['', 'a', '\u007f', '\u0080', '\u07ff', '\u0800', '\uffff', '😀', '\ud800', '\udc00', '\udc00\ud800', '\ud800a', 'a\ud83d', '\ud83d\ude00\ud83d', '👩‍👩‍👧‍👦']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(Buffer.byteLength(s, 'utf8'))
    }
  })

  it('agrees with Buffer.byteLength on random strings, including emoji and lone surrogates', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map(c => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map(c => String.fromCodePoint(c)),
      fc.constantFrom('a', 'é', '€', '😀', '\ud83d', '\ude00')
    )
    fc.assert(fc.property(fc.array(unit, { maxLength: 64 }).map(units => units.join('')), (s) => {
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'))
    }), { numRuns: 2000 })
  })
})
