import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ChatFrame {
  message?: ChatMessage
  ack?: Ack
  read?: ReadReceipt
  typing?: Typing
  profile?: Profile
  retract?: Retract
  edit?: Edit
  timer?: TimerChange
}

export namespace ChatFrame {
  let _codec: Codec<ChatFrame>

  export const codec = (): Codec<ChatFrame> => {
    if (_codec == null) {
      _codec = message<ChatFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.timer != null) {
          obj.edit = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.edit != null) {
          obj.timer = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.retract != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.profile != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.retract = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.typing != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.read != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.ack != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.message = undefined
        }

        if (obj.message != null) {
          obj.timer = undefined
          obj.edit = undefined
          obj.retract = undefined
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
        }

        if (obj.message != null) {
          w.uint32(10)
          ChatMessage.codec().encode(obj.message, w)
        }

        if (obj.ack != null) {
          w.uint32(18)
          Ack.codec().encode(obj.ack, w)
        }

        if (obj.read != null) {
          w.uint32(26)
          ReadReceipt.codec().encode(obj.read, w)
        }

        if (obj.typing != null) {
          w.uint32(34)
          Typing.codec().encode(obj.typing, w)
        }

        if (obj.profile != null) {
          w.uint32(42)
          Profile.codec().encode(obj.profile, w)
        }

        if (obj.retract != null) {
          w.uint32(50)
          Retract.codec().encode(obj.retract, w)
        }

        if (obj.edit != null) {
          w.uint32(58)
          Edit.codec().encode(obj.edit, w)
        }

        if (obj.timer != null) {
          w.uint32(66)
          TimerChange.codec().encode(obj.timer, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.message = ChatMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.message
              })
              break
            }
            case 2: {
              obj.ack = Ack.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ack
              })
              break
            }
            case 3: {
              obj.read = ReadReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.read
              })
              break
            }
            case 4: {
              obj.typing = Typing.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.typing
              })
              break
            }
            case 5: {
              obj.profile = Profile.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.profile
              })
              break
            }
            case 6: {
              obj.retract = Retract.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.retract
              })
              break
            }
            case 7: {
              obj.edit = Edit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.edit
              })
              break
            }
            case 8: {
              obj.timer = TimerChange.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.timer
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.timer != null) {
          delete obj.edit
          delete obj.retract
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.edit != null) {
          delete obj.timer
          delete obj.retract
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.retract != null) {
          delete obj.timer
          delete obj.edit
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.profile != null) {
          delete obj.timer
          delete obj.edit
          delete obj.retract
          delete obj.typing
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.typing != null) {
          delete obj.timer
          delete obj.edit
          delete obj.retract
          delete obj.profile
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.read != null) {
          delete obj.timer
          delete obj.edit
          delete obj.retract
          delete obj.profile
          delete obj.typing
          delete obj.ack
          delete obj.message
        }

        if (obj.ack != null) {
          delete obj.timer
          delete obj.edit
          delete obj.retract
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.message
        }

        if (obj.message != null) {
          delete obj.timer
          delete obj.edit
          delete obj.retract
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.ack
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * ChatMessage.codec().stream(reader, reader.uint32(), `${prefix}.message`, {
                limits: opts.limits?.message
              })

              break
            }
            case 2: {
              yield * Ack.codec().stream(reader, reader.uint32(), `${prefix}.ack`, {
                limits: opts.limits?.ack
              })

              break
            }
            case 3: {
              yield * ReadReceipt.codec().stream(reader, reader.uint32(), `${prefix}.read`, {
                limits: opts.limits?.read
              })

              break
            }
            case 4: {
              yield * Typing.codec().stream(reader, reader.uint32(), `${prefix}.typing`, {
                limits: opts.limits?.typing
              })

              break
            }
            case 5: {
              yield * Profile.codec().stream(reader, reader.uint32(), `${prefix}.profile`, {
                limits: opts.limits?.profile
              })

              break
            }
            case 6: {
              yield * Retract.codec().stream(reader, reader.uint32(), `${prefix}.retract`, {
                limits: opts.limits?.retract
              })

              break
            }
            case 7: {
              yield * Edit.codec().stream(reader, reader.uint32(), `${prefix}.edit`, {
                limits: opts.limits?.edit
              })

              break
            }
            case 8: {
              yield * TimerChange.codec().stream(reader, reader.uint32(), `${prefix}.timer`, {
                limits: opts.limits?.timer
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatFrameMessageIdFieldEvent {
    field: '$.message.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameMessageHlcFieldEvent {
    field: '$.message.hlc'
    value: bigint
  }

  export interface ChatFrameMessageTextFieldEvent {
    field: '$.message.text'
    value: string
  }

  export interface ChatFrameMessageExpiresInFieldEvent {
    field: '$.message.expiresIn'
    value: number
  }

  export interface ChatFrameAckIdsFieldEvent {
    field: '$.ack.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameReadIdFieldEvent {
    field: '$.read.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameReadMessageIdsFieldEvent {
    field: '$.read.messageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameTypingTypingFieldEvent {
    field: '$.typing.typing'
    value: boolean
  }

  export interface ChatFrameProfileIdFieldEvent {
    field: '$.profile.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameProfileNameFieldEvent {
    field: '$.profile.name'
    value: string
  }

  export interface ChatFrameRetractIdFieldEvent {
    field: '$.retract.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameRetractMessageIdFieldEvent {
    field: '$.retract.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameEditIdFieldEvent {
    field: '$.edit.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameEditMessageIdFieldEvent {
    field: '$.edit.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameEditTextFieldEvent {
    field: '$.edit.text'
    value: string
  }

  export interface ChatFrameEditEditedAtFieldEvent {
    field: '$.edit.editedAt'
    value: bigint
  }

  export interface ChatFrameTimerIdFieldEvent {
    field: '$.timer.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatFrameTimerSecondsFieldEvent {
    field: '$.timer.seconds'
    value: number
  }

  export interface ChatFrameTimerHlcFieldEvent {
    field: '$.timer.hlc'
    value: bigint
  }

  export function encode (obj: Partial<ChatFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatFrame>): ChatFrame {
    return decodeMessage(buf, ChatFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatFrame>): Generator<ChatFrameMessageIdFieldEvent | ChatFrameMessageHlcFieldEvent | ChatFrameMessageTextFieldEvent | ChatFrameMessageExpiresInFieldEvent | ChatFrameAckIdsFieldEvent | ChatFrameReadIdFieldEvent | ChatFrameReadMessageIdsFieldEvent | ChatFrameTypingTypingFieldEvent | ChatFrameProfileIdFieldEvent | ChatFrameProfileNameFieldEvent | ChatFrameRetractIdFieldEvent | ChatFrameRetractMessageIdFieldEvent | ChatFrameEditIdFieldEvent | ChatFrameEditMessageIdFieldEvent | ChatFrameEditTextFieldEvent | ChatFrameEditEditedAtFieldEvent | ChatFrameTimerIdFieldEvent | ChatFrameTimerSecondsFieldEvent | ChatFrameTimerHlcFieldEvent> {
    return streamMessage(buf, ChatFrame.codec(), opts)
  }
}

export interface ChatMessage {
  id: Uint8Array<ArrayBuffer>
  hlc: bigint
  text: string
  expiresIn?: number
}

export namespace ChatMessage {
  let _codec: Codec<ChatMessage>

  export const codec = (): Codec<ChatMessage> => {
    if (_codec == null) {
      _codec = message<ChatMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(16)
          w.uint64(obj.hlc)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(26)
          w.string(obj.text)
        }

        if (obj.expiresIn != null) {
          w.uint32(32)
          w.uint32(obj.expiresIn)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          hlc: 0n,
          text: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.hlc = reader.uint64()
              break
            }
            case 3: {
              obj.text = reader.string()
              break
            }
            case 4: {
              obj.expiresIn = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hlc`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresIn`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatMessageIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ChatMessageHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export interface ChatMessageTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface ChatMessageExpiresInFieldEvent {
    field: '$.expiresIn'
    value: number
  }

  export function encode (obj: Partial<ChatMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): ChatMessage {
    return decodeMessage(buf, ChatMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): Generator<ChatMessageIdFieldEvent | ChatMessageHlcFieldEvent | ChatMessageTextFieldEvent | ChatMessageExpiresInFieldEvent> {
    return streamMessage(buf, ChatMessage.codec(), opts)
  }
}

export interface Ack {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace Ack {
  let _codec: Codec<Ack>

  export const codec = (): Codec<Ack> => {
    if (_codec == null) {
      _codec = message<Ack>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AckIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Ack>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Ack.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ack>): Ack {
    return decodeMessage(buf, Ack.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ack>): Generator<AckIdsFieldEvent> {
    return streamMessage(buf, Ack.codec(), opts)
  }
}

export interface ReadReceipt {
  id: Uint8Array<ArrayBuffer>
  messageIds: Uint8Array<ArrayBuffer>[]
}

export namespace ReadReceipt {
  let _codec: Codec<ReadReceipt>

  export const codec = (): Codec<ReadReceipt> => {
    if (_codec == null) {
      _codec = message<ReadReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if (obj.messageIds != null && obj.messageIds.length > 0) {
          for (const value of obj.messageIds) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          messageIds: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds.length === opts.limits.messageIds) {
                throw new MaxLengthError('Decode error - repeated field "messageIds" had too many elements')
              }

              obj.messageIds.push(reader.bytes())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          messageIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.messageIds != null && obj.messageIds === opts.limits.messageIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "messageIds" had too many elements')
              }

              yield {
                field: `${prefix}.messageIds[]`,
                index: obj.messageIds,
                value: reader.bytes()
              }

              obj.messageIds++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ReadReceiptIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ReadReceiptMessageIdsFieldEvent {
    field: '$.messageIds[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ReadReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReadReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): ReadReceipt {
    return decodeMessage(buf, ReadReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReadReceipt>): Generator<ReadReceiptIdFieldEvent | ReadReceiptMessageIdsFieldEvent> {
    return streamMessage(buf, ReadReceipt.codec(), opts)
  }
}

export interface Typing {
  typing: boolean
}

export namespace Typing {
  let _codec: Codec<Typing>

  export const codec = (): Codec<Typing> => {
    if (_codec == null) {
      _codec = message<Typing>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.typing != null && obj.typing !== false)) {
          w.uint32(8)
          w.bool(obj.typing)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          typing: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.typing = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.typing`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TypingTypingFieldEvent {
    field: '$.typing'
    value: boolean
  }

  export function encode (obj: Partial<Typing>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Typing.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Typing {
    return decodeMessage(buf, Typing.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Typing>): Generator<TypingTypingFieldEvent> {
    return streamMessage(buf, Typing.codec(), opts)
  }
}

export interface Profile {
  id: Uint8Array<ArrayBuffer>
  name: string
}

export namespace Profile {
  let _codec: Codec<Profile>

  export const codec = (): Codec<Profile> => {
    if (_codec == null) {
      _codec = message<Profile>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ProfileIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ProfileNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<Profile>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Profile.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Profile>): Profile {
    return decodeMessage(buf, Profile.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Profile>): Generator<ProfileIdFieldEvent | ProfileNameFieldEvent> {
    return streamMessage(buf, Profile.codec(), opts)
  }
}

export interface Retract {
  id: Uint8Array<ArrayBuffer>
  messageId: Uint8Array<ArrayBuffer>
}

export namespace Retract {
  let _codec: Codec<Retract>

  export const codec = (): Codec<Retract> => {
    if (_codec == null) {
      _codec = message<Retract>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.messageId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          messageId: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.messageId = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RetractIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RetractMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Retract>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Retract.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Retract>): Retract {
    return decodeMessage(buf, Retract.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Retract>): Generator<RetractIdFieldEvent | RetractMessageIdFieldEvent> {
    return streamMessage(buf, Retract.codec(), opts)
  }
}

export interface Edit {
  id: Uint8Array<ArrayBuffer>
  messageId: Uint8Array<ArrayBuffer>
  text: string
  editedAt: bigint
}

export namespace Edit {
  let _codec: Codec<Edit>

  export const codec = (): Codec<Edit> => {
    if (_codec == null) {
      _codec = message<Edit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.messageId != null && obj.messageId.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.messageId)
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(26)
          w.string(obj.text)
        }

        if ((obj.editedAt != null && obj.editedAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.editedAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          messageId: uint8ArrayAlloc(0),
          text: '',
          editedAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.messageId = reader.bytes()
              break
            }
            case 3: {
              obj.text = reader.string()
              break
            }
            case 4: {
              obj.editedAt = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.messageId`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.editedAt`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface EditIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EditMessageIdFieldEvent {
    field: '$.messageId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface EditTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface EditEditedAtFieldEvent {
    field: '$.editedAt'
    value: bigint
  }

  export function encode (obj: Partial<Edit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Edit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Edit {
    return decodeMessage(buf, Edit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Edit>): Generator<EditIdFieldEvent | EditMessageIdFieldEvent | EditTextFieldEvent | EditEditedAtFieldEvent> {
    return streamMessage(buf, Edit.codec(), opts)
  }
}

export interface TimerChange {
  id: Uint8Array<ArrayBuffer>
  seconds: number
  hlc: bigint
}

export namespace TimerChange {
  let _codec: Codec<TimerChange>

  export const codec = (): Codec<TimerChange> => {
    if (_codec == null) {
      _codec = message<TimerChange>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.id)
        }

        if ((obj.seconds != null && obj.seconds !== 0)) {
          w.uint32(16)
          w.uint32(obj.seconds)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(24)
          w.uint64(obj.hlc)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: uint8ArrayAlloc(0),
          seconds: 0,
          hlc: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.bytes()
              break
            }
            case 2: {
              obj.seconds = reader.uint32()
              break
            }
            case 3: {
              obj.hlc = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.seconds`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hlc`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TimerChangeIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TimerChangeSecondsFieldEvent {
    field: '$.seconds'
    value: number
  }

  export interface TimerChangeHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export function encode (obj: Partial<TimerChange>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TimerChange.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TimerChange>): TimerChange {
    return decodeMessage(buf, TimerChange.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TimerChange>): Generator<TimerChangeIdFieldEvent | TimerChangeSecondsFieldEvent | TimerChangeHlcFieldEvent> {
    return streamMessage(buf, TimerChange.codec(), opts)
  }
}
