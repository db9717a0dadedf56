import { describe, it, expect } from 'vitest'
import { Uint8ArrayList } from 'uint8arraylist'
import { randomBytes } from '../../src/main/core/crypto/index.js'
import { toHex } from '../../src/main/core/bytes.js'
import { ProtocolViolation, decodeDataFrame } from '../../src/main/core/protocols/chat/chat-protocol.js'
import { MAX_RECEIPT_IDS } from '../../src/main/core/protocols/chat/constants.js'
import { ChatFrame } from '../../src/main/core/protocols/chat/pb/chat.js'
import { LIMITS } from '../../src/shared/limits.js'

const HLC = 1_700_000_000_000n << 16n

function violation (bytes: Uint8Array): ProtocolViolation {
  try {
    decodeDataFrame(bytes)
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolViolation)
    expect((err as ProtocolViolation).code).toBe('PROTOCOL_VIOLATION')
    return err as ProtocolViolation
  }
  throw new Error('expected a ProtocolViolation')
}

const id = (): Uint8Array<ArrayBuffer> => randomBytes(16)

describe('decodeDataFrame: valid frames', () => {
  it('decodes a message', () => {
    const msgId = id()
    expect(decodeDataFrame(ChatFrame.encode({ message: { id: msgId, hlc: HLC, text: 'hello 👋' } })))
      .toEqual({ kind: 'message', id: toHex(msgId), hlc: HLC, text: 'hello 👋' })
  })

  it('decodes a message whose text is exactly the byte limit, counted in UTF-8', () => {
    const text = '€'.repeat(Math.floor(LIMITS.textBytes / 3)) + 'a'.repeat(LIMITS.textBytes % 3)
    expect(Buffer.byteLength(text)).toBe(LIMITS.textBytes)
    const frame = decodeDataFrame(ChatFrame.encode({ message: { id: id(), hlc: 1n, text } }))
    expect(frame.kind === 'message' && frame.text === text).toBe(true)
  })

  it('decodes a frame handed over as a Uint8ArrayList', () => {
    const bytes = ChatFrame.encode({ message: { id: id(), hlc: HLC, text: 'split' } })
    const list = new Uint8ArrayList(bytes.subarray(0, 5), bytes.subarray(5))
    expect(decodeDataFrame(list)).toMatchObject({ kind: 'message', text: 'split' })
  })

  it('decodes a read receipt, with up to MAX_RECEIPT_IDS ids', () => {
    const receiptId = id()
    const ids = Array.from({ length: MAX_RECEIPT_IDS }, id)
    expect(decodeDataFrame(ChatFrame.encode({ read: { id: receiptId, messageIds: ids } })))
      .toEqual({ kind: 'read', id: toHex(receiptId), messageIds: ids.map(toHex) })
  })

  it('decodes a profile update, trimming the name', () => {
    const profileId = id()
    expect(decodeDataFrame(ChatFrame.encode({ profile: { id: profileId, name: '  Alice  ' } })))
      .toEqual({ kind: 'profile', id: toHex(profileId), name: 'Alice' })
  })

  it('decodes typing on and off', () => {
    expect(decodeDataFrame(ChatFrame.encode({ typing: { typing: true } }))).toEqual({ kind: 'typing', typing: true })
    expect(decodeDataFrame(ChatFrame.encode({ typing: { typing: false } }))).toEqual({ kind: 'typing', typing: false })
  })
})

describe('decodeDataFrame: invalid frames are protocol violations', () => {
  it('refuses ids that are not 16 bytes, in every kind of frame', () => {
    for (const bad of [new Uint8Array(0), randomBytes(15), randomBytes(17), randomBytes(32)]) {
      violation(ChatFrame.encode({ message: { id: bad, hlc: HLC, text: 'hi' } }))
      violation(ChatFrame.encode({ read: { id: bad, messageIds: [id()] } }))
      violation(ChatFrame.encode({ read: { id: id(), messageIds: [id(), bad] } }))
      violation(ChatFrame.encode({ profile: { id: bad, name: 'Alice' } }))
    }
  })

  it('refuses a message with empty text', () => {
    violation(ChatFrame.encode({ message: { id: id(), hlc: HLC, text: '' } }))
  })

  it('refuses a message with text one byte over the limit', () => {
    violation(ChatFrame.encode({ message: { id: id(), hlc: HLC, text: 'a'.repeat(LIMITS.textBytes + 1) } }))
    // Under the limit in UTF-16 units, over it in UTF-8 bytes.
    const text = '€'.repeat(Math.floor(LIMITS.textBytes / 3) + 1)
    expect(text.length).toBeLessThan(LIMITS.textBytes)
    violation(ChatFrame.encode({ message: { id: id(), hlc: HLC, text } }))
  })

  it('refuses a message without a clock value', () => {
    violation(ChatFrame.encode({ message: { id: id(), hlc: 0n, text: 'hi' } }))
  })

  it('refuses a read receipt naming no message, or more than MAX_RECEIPT_IDS', () => {
    violation(ChatFrame.encode({ read: { id: id(), messageIds: [] } }))
    violation(ChatFrame.encode({ read: { id: id(), messageIds: Array.from({ length: MAX_RECEIPT_IDS + 1 }, id) } }))
  })

  it('refuses invalid profile names: empty, blank, control characters, over 64 characters', () => {
    for (const name of ['', '   ', 'Al\u0000ice', 'Al\nice', 'Al\u001bice', '\u0085', 'a\u2028b', 'x'.repeat(65)]) {
      violation(ChatFrame.encode({ profile: { id: id(), name } }))
    }
    // 64 characters is fine.
    expect(decodeDataFrame(ChatFrame.encode({ profile: { id: id(), name: 'x'.repeat(64) } }))).toMatchObject({ kind: 'profile' })
  })

  it('refuses an ack: acks only flow back to the stream opener', () => {
    const err = violation(ChatFrame.encode({ ack: { ids: [id()] } }))
    expect(err.message).toMatch(/ack/)
  })

  it('refuses an empty frame', () => {
    expect(violation(new Uint8Array(0)).message).toMatch(/empty/)
    expect(violation(ChatFrame.encode({})).message).toMatch(/empty/)
  })

  it('refuses undecodable bytes', () => {
    // A field header announcing a 127-byte body that is not there.
    violation(new Uint8Array([0x0a, 0x7f, 0x01]))
    // A varint that never ends.
    violation(new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
  })

  it('never accepts random garbage as anything but a well-formed frame or a violation', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(1 + (i % 64))
      let frame: ReturnType<typeof decodeDataFrame> | undefined
      try {
        frame = decodeDataFrame(bytes)
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolViolation)
        continue
      }
      // Whatever got through passed every check.
      switch (frame.kind) {
        case 'message':
          expect(frame.id).toMatch(/^[0-9a-f]{32}$/)
          expect(frame.text.length).toBeGreaterThan(0)
          expect(frame.hlc).not.toBe(0n)
          break
        case 'read':
          expect(frame.messageIds.length).toBeGreaterThan(0)
          expect(frame.messageIds.length).toBeLessThanOrEqual(MAX_RECEIPT_IDS)
          break
        case 'profile':
          expect(frame.name.length).toBeGreaterThan(0)
          break
        case 'typing':
          expect(typeof frame.typing).toBe('boolean')
          break
        case 'retract':
          expect(frame.messageId).toMatch(/^[0-9a-f]{32}$/)
          break
        case 'edit':
          expect(frame.text.length).toBeGreaterThan(0)
          expect(frame.editedAt).toBeGreaterThan(0)
          break
        case 'timer':
          expect([0, 30, 300, 3600, 28_800, 86_400, 604_800, 2_419_200]).toContain(frame.seconds)
          break
      }
    }
  })
})
