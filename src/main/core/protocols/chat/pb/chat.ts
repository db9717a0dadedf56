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

        if (obj.profile != null) {
          obj.typing = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.typing != null) {
          obj.profile = undefined
          obj.read = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.read != null) {
          obj.profile = undefined
          obj.typing = undefined
          obj.ack = undefined
          obj.message = undefined
        }

        if (obj.ack != null) {
          obj.profile = undefined
          obj.typing = undefined
          obj.read = undefined
          obj.message = undefined
        }

        if (obj.message != null) {
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
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.profile != null) {
          delete obj.typing
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.typing != null) {
          delete obj.profile
          delete obj.read
          delete obj.ack
          delete obj.message
        }

        if (obj.read != null) {
          delete obj.profile
          delete obj.typing
          delete obj.ack
          delete obj.message
        }

        if (obj.ack != null) {
          delete obj.profile
          delete obj.typing
          delete obj.read
          delete obj.message
        }

        if (obj.message != null) {
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

  export function encode (obj: Partial<ChatFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatFrame>): ChatFrame {
    return decodeMessage(buf, ChatFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatFrame>): Generator<ChatFrameMessageIdFieldEvent | ChatFrameMessageHlcFieldEvent | ChatFrameMessageTextFieldEvent | ChatFrameAckIdsFieldEvent | ChatFrameReadIdFieldEvent | ChatFrameReadMessageIdsFieldEvent | ChatFrameTypingTypingFieldEvent | ChatFrameProfileIdFieldEvent | ChatFrameProfileNameFieldEvent> {
    return streamMessage(buf, ChatFrame.codec(), opts)
  }
}

export interface ChatMessage {
  id: Uint8Array<ArrayBuffer>
  hlc: bigint
  text: string
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

  export function encode (obj: Partial<ChatMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): ChatMessage {
    return decodeMessage(buf, ChatMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): Generator<ChatMessageIdFieldEvent | ChatMessageHlcFieldEvent | ChatMessageTextFieldEvent> {
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
