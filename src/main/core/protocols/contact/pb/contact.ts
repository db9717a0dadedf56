import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ContactHello {
  redeem?: RedeemInvite
  request?: IntroRequest
  accept?: IntroAccept
}

export namespace ContactHello {
  let _codec: Codec<ContactHello>

  export const codec = (): Codec<ContactHello> => {
    if (_codec == null) {
      _codec = message<ContactHello>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.accept != null) {
          obj.request = undefined
          obj.redeem = undefined
        }

        if (obj.request != null) {
          obj.accept = undefined
          obj.redeem = undefined
        }

        if (obj.redeem != null) {
          obj.accept = undefined
          obj.request = undefined
        }

        if (obj.redeem != null) {
          w.uint32(10)
          RedeemInvite.codec().encode(obj.redeem, w)
        }

        if (obj.request != null) {
          w.uint32(18)
          IntroRequest.codec().encode(obj.request, w)
        }

        if (obj.accept != null) {
          w.uint32(26)
          IntroAccept.codec().encode(obj.accept, w)
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
              obj.redeem = RedeemInvite.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.redeem
              })
              break
            }
            case 2: {
              obj.request = IntroRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.request
              })
              break
            }
            case 3: {
              obj.accept = IntroAccept.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.accept
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.accept != null) {
          delete obj.request
          delete obj.redeem
        }

        if (obj.request != null) {
          delete obj.accept
          delete obj.redeem
        }

        if (obj.redeem != null) {
          delete obj.accept
          delete obj.request
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * RedeemInvite.codec().stream(reader, reader.uint32(), `${prefix}.redeem`, {
                limits: opts.limits?.redeem
              })

              break
            }
            case 2: {
              yield * IntroRequest.codec().stream(reader, reader.uint32(), `${prefix}.request`, {
                limits: opts.limits?.request
              })

              break
            }
            case 3: {
              yield * IntroAccept.codec().stream(reader, reader.uint32(), `${prefix}.accept`, {
                limits: opts.limits?.accept
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

  export interface ContactHelloRedeemSecretFieldEvent {
    field: '$.redeem.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ContactHelloRedeemNameFieldEvent {
    field: '$.redeem.name'
    value: string
  }

  export interface ContactHelloRequestNameFieldEvent {
    field: '$.request.name'
    value: string
  }

  export interface ContactHelloAcceptNameFieldEvent {
    field: '$.accept.name'
    value: string
  }

  export function encode (obj: Partial<ContactHello>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ContactHello.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactHello>): ContactHello {
    return decodeMessage(buf, ContactHello.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactHello>): Generator<ContactHelloRedeemSecretFieldEvent | ContactHelloRedeemNameFieldEvent | ContactHelloRequestNameFieldEvent | ContactHelloAcceptNameFieldEvent> {
    return streamMessage(buf, ContactHello.codec(), opts)
  }
}

export interface RedeemInvite {
  secret: Uint8Array<ArrayBuffer>
  name: string
}

export namespace RedeemInvite {
  let _codec: Codec<RedeemInvite>

  export const codec = (): Codec<RedeemInvite> => {
    if (_codec == null) {
      _codec = message<RedeemInvite>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.secret)
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
          secret: uint8ArrayAlloc(0),
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.secret = reader.bytes()
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
                field: `${prefix}.secret`,
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

  export interface RedeemInviteSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RedeemInviteNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<RedeemInvite>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RedeemInvite.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RedeemInvite>): RedeemInvite {
    return decodeMessage(buf, RedeemInvite.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RedeemInvite>): Generator<RedeemInviteSecretFieldEvent | RedeemInviteNameFieldEvent> {
    return streamMessage(buf, RedeemInvite.codec(), opts)
  }
}

export interface IntroRequest {
  name: string
}

export namespace IntroRequest {
  let _codec: Codec<IntroRequest>

  export const codec = (): Codec<IntroRequest> => {
    if (_codec == null) {
      _codec = message<IntroRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
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

  export interface IntroRequestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<IntroRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IntroRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IntroRequest>): IntroRequest {
    return decodeMessage(buf, IntroRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IntroRequest>): Generator<IntroRequestNameFieldEvent> {
    return streamMessage(buf, IntroRequest.codec(), opts)
  }
}

export interface IntroAccept {
  name: string
}

export namespace IntroAccept {
  let _codec: Codec<IntroAccept>

  export const codec = (): Codec<IntroAccept> => {
    if (_codec == null) {
      _codec = message<IntroAccept>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
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

  export interface IntroAcceptNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<IntroAccept>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, IntroAccept.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IntroAccept>): IntroAccept {
    return decodeMessage(buf, IntroAccept.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<IntroAccept>): Generator<IntroAcceptNameFieldEvent> {
    return streamMessage(buf, IntroAccept.codec(), opts)
  }
}

export interface ContactReply {
  status: ContactReply.Status
  name: string
}

export namespace ContactReply {
  export enum Status {
    OK = 'OK',
    INVALID = 'INVALID',
    EXPIRED = 'EXPIRED',
    USED = 'USED',
    RATE_LIMITED = 'RATE_LIMITED',
    NOT_REQUESTED = 'NOT_REQUESTED',
    REJECTED = 'REJECTED',
    ACCEPTED = 'ACCEPTED'
  }

  enum __StatusValues {
    OK = 0,
    INVALID = 1,
    EXPIRED = 2,
    USED = 3,
    RATE_LIMITED = 4,
    NOT_REQUESTED = 5,
    REJECTED = 6,
    ACCEPTED = 7
  }

  export namespace Status {
    export const codec = (): Codec<Status> => {
      return enumeration<Status>(__StatusValues)
    }
  }

  let _codec: Codec<ContactReply>

  export const codec = (): Codec<ContactReply> => {
    if (_codec == null) {
      _codec = message<ContactReply>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StatusValues[obj.status] !== 0) {
          w.uint32(8)
          ContactReply.Status.codec().encode(obj.status, w)
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
          status: Status.OK,
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = ContactReply.Status.codec().decode(reader)
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
                field: `${prefix}.status`,
                value: ContactReply.Status.codec().decode(reader)
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

  export interface ContactReplyStatusFieldEvent {
    field: '$.status'
    value: ContactReply.Status
  }

  export interface ContactReplyNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<ContactReply>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ContactReply.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactReply>): ContactReply {
    return decodeMessage(buf, ContactReply.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactReply>): Generator<ContactReplyStatusFieldEvent | ContactReplyNameFieldEvent> {
    return streamMessage(buf, ContactReply.codec(), opts)
  }
}

export interface InviteCode {
  peerId: Uint8Array<ArrayBuffer>
  addrs: Uint8Array<ArrayBuffer>[]
  secret: Uint8Array<ArrayBuffer>
  expiresAt: bigint
}

export namespace InviteCode {
  let _codec: Codec<InviteCode>

  export const codec = (): Codec<InviteCode> => {
    if (_codec == null) {
      _codec = message<InviteCode>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.secret != null && obj.secret.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.secret)
        }

        if ((obj.expiresAt != null && obj.expiresAt !== 0n)) {
          w.uint32(32)
          w.uint64(obj.expiresAt)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          addrs: [],
          secret: uint8ArrayAlloc(0),
          expiresAt: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 3: {
              obj.secret = reader.bytes()
              break
            }
            case 4: {
              obj.expiresAt = reader.uint64()
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
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.bytes()
              }

              obj.addrs++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.secret`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiresAt`,
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

  export interface InviteCodePeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCodeAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCodeSecretFieldEvent {
    field: '$.secret'
    value: Uint8Array<ArrayBuffer>
  }

  export interface InviteCodeExpiresAtFieldEvent {
    field: '$.expiresAt'
    value: bigint
  }

  export function encode (obj: Partial<InviteCode>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, InviteCode.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteCode>): InviteCode {
    return decodeMessage(buf, InviteCode.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InviteCode>): Generator<InviteCodePeerIdFieldEvent | InviteCodeAddrsFieldEvent | InviteCodeSecretFieldEvent | InviteCodeExpiresAtFieldEvent> {
    return streamMessage(buf, InviteCode.codec(), opts)
  }
}
