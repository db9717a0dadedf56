/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface GroupOp {
  group: Uint8Array<ArrayBuffer>
  author: Uint8Array<ArrayBuffer>
  hlc: bigint
  deps: Uint8Array<ArrayBuffer>[]
  create?: Create
  add?: Member
  remove?: Member
  promote?: Member
  leave?: Leave
  rename?: Rename
  rekey?: Rekey
  timer?: Timer
  keyCheck: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace GroupOp {
  let _codec: Codec<GroupOp>

  export const codec = (): Codec<GroupOp> => {
    if (_codec == null) {
      _codec = message<GroupOp>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.timer != null) {
          obj.rekey = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.rekey != null) {
          obj.timer = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.rename != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.leave != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.rename = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.promote != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.remove = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.remove != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.add = undefined
          obj.create = undefined
        }

        if (obj.add != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.create = undefined
        }

        if (obj.create != null) {
          obj.timer = undefined
          obj.rekey = undefined
          obj.rename = undefined
          obj.leave = undefined
          obj.promote = undefined
          obj.remove = undefined
          obj.add = undefined
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.author)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(24)
          w.uint64(obj.hlc)
        }

        if (obj.deps != null && obj.deps.length > 0) {
          for (const value of obj.deps) {
            w.uint32(34)
            w.bytes(value)
          }
        }

        if (obj.create != null) {
          w.uint32(42)
          Create.codec().encode(obj.create, w)
        }

        if (obj.add != null) {
          w.uint32(50)
          Member.codec().encode(obj.add, w)
        }

        if (obj.remove != null) {
          w.uint32(58)
          Member.codec().encode(obj.remove, w)
        }

        if (obj.promote != null) {
          w.uint32(66)
          Member.codec().encode(obj.promote, w)
        }

        if (obj.leave != null) {
          w.uint32(74)
          Leave.codec().encode(obj.leave, w)
        }

        if (obj.rename != null) {
          w.uint32(82)
          Rename.codec().encode(obj.rename, w)
        }

        if (obj.rekey != null) {
          w.uint32(90)
          Rekey.codec().encode(obj.rekey, w)
        }

        if (obj.timer != null) {
          w.uint32(98)
          Timer.codec().encode(obj.timer, w)
        }

        if ((obj.keyCheck != null && obj.keyCheck.byteLength > 0)) {
          w.uint32(106)
          w.bytes(obj.keyCheck)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(122)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          author: uint8ArrayAlloc(0),
          hlc: 0n,
          deps: [],
          keyCheck: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = reader.bytes()
              break
            }
            case 2: {
              obj.author = reader.bytes()
              break
            }
            case 3: {
              obj.hlc = reader.uint64()
              break
            }
            case 4: {
              if (opts.limits?.deps != null && obj.deps.length === opts.limits.deps) {
                throw new MaxLengthError('Decode error - repeated field "deps" had too many elements')
              }

              obj.deps.push(reader.bytes())
              break
            }
            case 5: {
              obj.create = Create.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.create
              })
              break
            }
            case 6: {
              obj.add = Member.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.add
              })
              break
            }
            case 7: {
              obj.remove = Member.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.remove
              })
              break
            }
            case 8: {
              obj.promote = Member.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.promote
              })
              break
            }
            case 9: {
              obj.leave = Leave.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.leave
              })
              break
            }
            case 10: {
              obj.rename = Rename.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.rename
              })
              break
            }
            case 11: {
              obj.rekey = Rekey.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.rekey
              })
              break
            }
            case 12: {
              obj.timer = Timer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.timer
              })
              break
            }
            case 13: {
              obj.keyCheck = reader.bytes()
              break
            }
            case 15: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.timer != null) {
          delete obj.rekey
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.rekey != null) {
          delete obj.timer
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.rename != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.leave != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.rename
          delete obj.promote
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.promote != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.rename
          delete obj.leave
          delete obj.remove
          delete obj.add
          delete obj.create
        }

        if (obj.remove != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.add
          delete obj.create
        }

        if (obj.add != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.create
        }

        if (obj.create != null) {
          delete obj.timer
          delete obj.rekey
          delete obj.rename
          delete obj.leave
          delete obj.promote
          delete obj.remove
          delete obj.add
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          deps: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
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
            case 4: {
              if (opts.limits?.deps != null && obj.deps === opts.limits.deps) {
                throw new MaxLengthError('Streaming decode error - repeated field "deps" had too many elements')
              }

              yield {
                field: `${prefix}.deps[]`,
                index: obj.deps,
                value: reader.bytes()
              }

              obj.deps++

              break
            }
            case 5: {
              yield * Create.codec().stream(reader, reader.uint32(), `${prefix}.create`, {
                limits: opts.limits?.create
              })

              break
            }
            case 6: {
              yield * Member.codec().stream(reader, reader.uint32(), `${prefix}.add`, {
                limits: opts.limits?.add
              })

              break
            }
            case 7: {
              yield * Member.codec().stream(reader, reader.uint32(), `${prefix}.remove`, {
                limits: opts.limits?.remove
              })

              break
            }
            case 8: {
              yield * Member.codec().stream(reader, reader.uint32(), `${prefix}.promote`, {
                limits: opts.limits?.promote
              })

              break
            }
            case 9: {
              yield * Leave.codec().stream(reader, reader.uint32(), `${prefix}.leave`, {
                limits: opts.limits?.leave
              })

              break
            }
            case 10: {
              yield * Rename.codec().stream(reader, reader.uint32(), `${prefix}.rename`, {
                limits: opts.limits?.rename
              })

              break
            }
            case 11: {
              yield * Rekey.codec().stream(reader, reader.uint32(), `${prefix}.rekey`, {
                limits: opts.limits?.rekey
              })

              break
            }
            case 12: {
              yield * Timer.codec().stream(reader, reader.uint32(), `${prefix}.timer`, {
                limits: opts.limits?.timer
              })

              break
            }
            case 13: {
              yield {
                field: `${prefix}.keyCheck`,
                value: reader.bytes()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.signature`,
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

  export interface GroupOpGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export interface GroupOpDepsFieldEvent {
    field: '$.deps[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpCreateNameFieldEvent {
    field: '$.create.name'
    value: string
  }

  export interface GroupOpCreateMembersPeerFieldEvent {
    field: '$.create.members[].peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupOpCreateMembersNameFieldEvent {
    field: '$.create.members[].name'
    value: string
    index: number
  }

  export interface GroupOpCreateMembersAddrsFieldEvent {
    field: '$.create.members[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpCreateMembersCutoffFieldEvent {
    field: '$.create.members[].cutoff'
    value: bigint
    index: number
  }

  export interface GroupOpAddPeerFieldEvent {
    field: '$.add.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpAddNameFieldEvent {
    field: '$.add.name'
    value: string
  }

  export interface GroupOpAddAddrsFieldEvent {
    field: '$.add.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpAddCutoffFieldEvent {
    field: '$.add.cutoff'
    value: bigint
  }

  export interface GroupOpRemovePeerFieldEvent {
    field: '$.remove.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpRemoveNameFieldEvent {
    field: '$.remove.name'
    value: string
  }

  export interface GroupOpRemoveAddrsFieldEvent {
    field: '$.remove.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpRemoveCutoffFieldEvent {
    field: '$.remove.cutoff'
    value: bigint
  }

  export interface GroupOpPromotePeerFieldEvent {
    field: '$.promote.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpPromoteNameFieldEvent {
    field: '$.promote.name'
    value: string
  }

  export interface GroupOpPromoteAddrsFieldEvent {
    field: '$.promote.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpPromoteCutoffFieldEvent {
    field: '$.promote.cutoff'
    value: bigint
  }

  export interface GroupOpLeaveCutoffFieldEvent {
    field: '$.leave.cutoff'
    value: bigint
  }

  export interface GroupOpRenameNameFieldEvent {
    field: '$.rename.name'
    value: string
  }

  export interface GroupOpTimerSecondsFieldEvent {
    field: '$.timer.seconds'
    value: number
  }

  export interface GroupOpKeyCheckFieldEvent {
    field: '$.keyCheck'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupOpSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupOp>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupOp.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupOp>): GroupOp {
    return decodeMessage(buf, GroupOp.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupOp>): Generator<GroupOpGroupFieldEvent | GroupOpAuthorFieldEvent | GroupOpHlcFieldEvent | GroupOpDepsFieldEvent | GroupOpCreateNameFieldEvent | GroupOpCreateMembersPeerFieldEvent | GroupOpCreateMembersNameFieldEvent | GroupOpCreateMembersAddrsFieldEvent | GroupOpCreateMembersCutoffFieldEvent | GroupOpAddPeerFieldEvent | GroupOpAddNameFieldEvent | GroupOpAddAddrsFieldEvent | GroupOpAddCutoffFieldEvent | GroupOpRemovePeerFieldEvent | GroupOpRemoveNameFieldEvent | GroupOpRemoveAddrsFieldEvent | GroupOpRemoveCutoffFieldEvent | GroupOpPromotePeerFieldEvent | GroupOpPromoteNameFieldEvent | GroupOpPromoteAddrsFieldEvent | GroupOpPromoteCutoffFieldEvent | GroupOpLeaveCutoffFieldEvent | GroupOpRenameNameFieldEvent | GroupOpTimerSecondsFieldEvent | GroupOpKeyCheckFieldEvent | GroupOpSignatureFieldEvent> {
    return streamMessage(buf, GroupOp.codec(), opts)
  }
}

export interface Create {
  name: string
  members: Member[]
}

export namespace Create {
  let _codec: Codec<Create>

  export const codec = (): Codec<Create> => {
    if (_codec == null) {
      _codec = message<Create>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (obj.members != null && obj.members.length > 0) {
          for (const value of obj.members) {
            w.uint32(18)
            Member.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          members: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                throw new MaxLengthError('Decode error - repeated field "members" had too many elements')
              }

              obj.members.push(Member.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.members$
              }))
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
          members: 0
        }

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
            case 2: {
              if (opts.limits?.members != null && obj.members === opts.limits.members) {
                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements')
              }

              for (const evt of Member.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                limits: opts.limits?.members$
              })) {
                yield {
                  ...evt,
                  index: obj.members
                }
              }

              obj.members++

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

  export interface CreateNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface CreateMembersPeerFieldEvent {
    field: '$.members[].peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CreateMembersNameFieldEvent {
    field: '$.members[].name'
    value: string
    index: number
  }

  export interface CreateMembersAddrsFieldEvent {
    field: '$.members[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface CreateMembersCutoffFieldEvent {
    field: '$.members[].cutoff'
    value: bigint
    index: number
  }

  export function encode (obj: Partial<Create>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Create.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Create {
    return decodeMessage(buf, Create.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Create>): Generator<CreateNameFieldEvent | CreateMembersPeerFieldEvent | CreateMembersNameFieldEvent | CreateMembersAddrsFieldEvent | CreateMembersCutoffFieldEvent> {
    return streamMessage(buf, Create.codec(), opts)
  }
}

export interface Member {
  peer: Uint8Array<ArrayBuffer>
  name: string
  addrs: Uint8Array<ArrayBuffer>[]
  cutoff: bigint
}

export namespace Member {
  let _codec: Codec<Member>

  export const codec = (): Codec<Member> => {
    if (_codec == null) {
      _codec = message<Member>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peer != null && obj.peer.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peer)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(26)
            w.bytes(value)
          }
        }

        if ((obj.cutoff != null && obj.cutoff !== 0n)) {
          w.uint32(32)
          w.uint64(obj.cutoff)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peer: uint8ArrayAlloc(0),
          name: '',
          addrs: [],
          cutoff: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peer = reader.bytes()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.bytes())
              break
            }
            case 4: {
              obj.cutoff = reader.uint64()
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
                field: `${prefix}.peer`,
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
            case 3: {
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
            case 4: {
              yield {
                field: `${prefix}.cutoff`,
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

  export interface MemberPeerFieldEvent {
    field: '$.peer'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface MemberAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MemberCutoffFieldEvent {
    field: '$.cutoff'
    value: bigint
  }

  export function encode (obj: Partial<Member>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Member.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Member>): Member {
    return decodeMessage(buf, Member.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Member>): Generator<MemberPeerFieldEvent | MemberNameFieldEvent | MemberAddrsFieldEvent | MemberCutoffFieldEvent> {
    return streamMessage(buf, Member.codec(), opts)
  }
}

export interface Leave {
  cutoff: bigint
}

export namespace Leave {
  let _codec: Codec<Leave>

  export const codec = (): Codec<Leave> => {
    if (_codec == null) {
      _codec = message<Leave>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.cutoff != null && obj.cutoff !== 0n)) {
          w.uint32(8)
          w.uint64(obj.cutoff)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          cutoff: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.cutoff = reader.uint64()
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
                field: `${prefix}.cutoff`,
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

  export interface LeaveCutoffFieldEvent {
    field: '$.cutoff'
    value: bigint
  }

  export function encode (obj: Partial<Leave>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Leave.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Leave {
    return decodeMessage(buf, Leave.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Leave>): Generator<LeaveCutoffFieldEvent> {
    return streamMessage(buf, Leave.codec(), opts)
  }
}

export interface Rename {
  name: string
}

export namespace Rename {
  let _codec: Codec<Rename>

  export const codec = (): Codec<Rename> => {
    if (_codec == null) {
      _codec = message<Rename>((obj, w, opts = {}) => {
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

  export interface RenameNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<Rename>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Rename.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Rename {
    return decodeMessage(buf, Rename.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rename>): Generator<RenameNameFieldEvent> {
    return streamMessage(buf, Rename.codec(), opts)
  }
}

export interface Rekey {}

export namespace Rekey {
  let _codec: Codec<Rekey>

  export const codec = (): Codec<Rekey> => {
    if (_codec == null) {
      _codec = message<Rekey>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
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

  export function encode (obj: Partial<Rekey>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Rekey.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rekey>): Rekey {
    return decodeMessage(buf, Rekey.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Rekey>): Generator<{}> {
    return streamMessage(buf, Rekey.codec(), opts)
  }
}

export interface Timer {
  seconds: number
}

export namespace Timer {
  let _codec: Codec<Timer>

  export const codec = (): Codec<Timer> => {
    if (_codec == null) {
      _codec = message<Timer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seconds != null && obj.seconds !== 0)) {
          w.uint32(8)
          w.uint32(obj.seconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seconds = reader.uint32()
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
                field: `${prefix}.seconds`,
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

  export interface TimerSecondsFieldEvent {
    field: '$.seconds'
    value: number
  }

  export function encode (obj: Partial<Timer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Timer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timer>): Timer {
    return decodeMessage(buf, Timer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Timer>): Generator<TimerSecondsFieldEvent> {
    return streamMessage(buf, Timer.codec(), opts)
  }
}

export interface GroupEnvelope {
  group: Uint8Array<ArrayBuffer>
  id: Uint8Array<ArrayBuffer>
  author: Uint8Array<ArrayBuffer>
  seq: bigint
  hlc: bigint
  keyOp: Uint8Array<ArrayBuffer>
  ciphertext: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace GroupEnvelope {
  let _codec: Codec<GroupEnvelope>

  export const codec = (): Codec<GroupEnvelope> => {
    if (_codec == null) {
      _codec = message<GroupEnvelope>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if ((obj.id != null && obj.id.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.id)
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.author)
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(32)
          w.uint64(obj.seq)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(40)
          w.uint64(obj.hlc)
        }

        if ((obj.keyOp != null && obj.keyOp.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.keyOp)
        }

        if ((obj.ciphertext != null && obj.ciphertext.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.ciphertext)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(122)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          id: uint8ArrayAlloc(0),
          author: uint8ArrayAlloc(0),
          seq: 0n,
          hlc: 0n,
          keyOp: uint8ArrayAlloc(0),
          ciphertext: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = reader.bytes()
              break
            }
            case 2: {
              obj.id = reader.bytes()
              break
            }
            case 3: {
              obj.author = reader.bytes()
              break
            }
            case 4: {
              obj.seq = reader.uint64()
              break
            }
            case 5: {
              obj.hlc = reader.uint64()
              break
            }
            case 6: {
              obj.keyOp = reader.bytes()
              break
            }
            case 8: {
              obj.ciphertext = reader.bytes()
              break
            }
            case 15: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.id`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.hlc`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.keyOp`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.ciphertext`,
                value: reader.bytes()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.signature`,
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

  export interface GroupEnvelopeGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeIdFieldEvent {
    field: '$.id'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeSeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface GroupEnvelopeHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export interface GroupEnvelopeKeyOpFieldEvent {
    field: '$.keyOp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeCiphertextFieldEvent {
    field: '$.ciphertext'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupEnvelopeSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupEnvelope>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupEnvelope.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): GroupEnvelope {
    return decodeMessage(buf, GroupEnvelope.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupEnvelope>): Generator<GroupEnvelopeGroupFieldEvent | GroupEnvelopeIdFieldEvent | GroupEnvelopeAuthorFieldEvent | GroupEnvelopeSeqFieldEvent | GroupEnvelopeHlcFieldEvent | GroupEnvelopeKeyOpFieldEvent | GroupEnvelopeCiphertextFieldEvent | GroupEnvelopeSignatureFieldEvent> {
    return streamMessage(buf, GroupEnvelope.codec(), opts)
  }
}

export interface GroupPayload {
  text: string
  expiresIn?: number
}

export namespace GroupPayload {
  let _codec: Codec<GroupPayload>

  export const codec = (): Codec<GroupPayload> => {
    if (_codec == null) {
      _codec = message<GroupPayload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(10)
          w.string(obj.text)
        }

        if (obj.expiresIn != null) {
          w.uint32(16)
          w.uint32(obj.expiresIn)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.text = reader.string()
              break
            }
            case 2: {
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
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 2: {
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

  export interface GroupPayloadTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface GroupPayloadExpiresInFieldEvent {
    field: '$.expiresIn'
    value: number
  }

  export function encode (obj: Partial<GroupPayload>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupPayload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupPayload>): GroupPayload {
    return decodeMessage(buf, GroupPayload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupPayload>): Generator<GroupPayloadTextFieldEvent | GroupPayloadExpiresInFieldEvent> {
    return streamMessage(buf, GroupPayload.codec(), opts)
  }
}

export interface GroupFrame {
  summary?: Summary
  ops?: Ops
  envelopes?: Envelopes
  key?: KeyGrant
}

export namespace GroupFrame {
  let _codec: Codec<GroupFrame>

  export const codec = (): Codec<GroupFrame> => {
    if (_codec == null) {
      _codec = message<GroupFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.key != null) {
          obj.envelopes = undefined
          obj.ops = undefined
          obj.summary = undefined
        }

        if (obj.envelopes != null) {
          obj.key = undefined
          obj.ops = undefined
          obj.summary = undefined
        }

        if (obj.ops != null) {
          obj.key = undefined
          obj.envelopes = undefined
          obj.summary = undefined
        }

        if (obj.summary != null) {
          obj.key = undefined
          obj.envelopes = undefined
          obj.ops = undefined
        }

        if (obj.summary != null) {
          w.uint32(10)
          Summary.codec().encode(obj.summary, w)
        }

        if (obj.ops != null) {
          w.uint32(18)
          Ops.codec().encode(obj.ops, w)
        }

        if (obj.envelopes != null) {
          w.uint32(26)
          Envelopes.codec().encode(obj.envelopes, w)
        }

        if (obj.key != null) {
          w.uint32(34)
          KeyGrant.codec().encode(obj.key, w)
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
              obj.summary = Summary.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.summary
              })
              break
            }
            case 2: {
              obj.ops = Ops.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ops
              })
              break
            }
            case 3: {
              obj.envelopes = Envelopes.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelopes
              })
              break
            }
            case 4: {
              obj.key = KeyGrant.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.key
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.key != null) {
          delete obj.envelopes
          delete obj.ops
          delete obj.summary
        }

        if (obj.envelopes != null) {
          delete obj.key
          delete obj.ops
          delete obj.summary
        }

        if (obj.ops != null) {
          delete obj.key
          delete obj.envelopes
          delete obj.summary
        }

        if (obj.summary != null) {
          delete obj.key
          delete obj.envelopes
          delete obj.ops
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Summary.codec().stream(reader, reader.uint32(), `${prefix}.summary`, {
                limits: opts.limits?.summary
              })

              break
            }
            case 2: {
              yield * Ops.codec().stream(reader, reader.uint32(), `${prefix}.ops`, {
                limits: opts.limits?.ops
              })

              break
            }
            case 3: {
              yield * Envelopes.codec().stream(reader, reader.uint32(), `${prefix}.envelopes`, {
                limits: opts.limits?.envelopes
              })

              break
            }
            case 4: {
              yield * KeyGrant.codec().stream(reader, reader.uint32(), `${prefix}.key`, {
                limits: opts.limits?.key
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

  export interface GroupFrameSummaryGroupFieldEvent {
    field: '$.summary.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameSummaryHeadsFieldEvent {
    field: '$.summary.heads[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameSummaryOpCountFieldEvent {
    field: '$.summary.opCount'
    value: number
  }

  export interface GroupFrameSummarySeenAuthorFieldEvent {
    field: '$.summary.seen[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameSummarySeenRangesFieldEvent {
    field: '$.summary.seen[].ranges[]'
    index: number
    value: bigint
  }

  export interface GroupFrameSummaryWantKeysFieldEvent {
    field: '$.summary.wantKeys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameSummaryReadOfYoursFieldEvent {
    field: '$.summary.readOfYours'
    value: bigint
  }

  export interface GroupFrameOpsOpsGroupFieldEvent {
    field: '$.ops.ops[].group'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsAuthorFieldEvent {
    field: '$.ops.ops[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsHlcFieldEvent {
    field: '$.ops.ops[].hlc'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsDepsFieldEvent {
    field: '$.ops.ops[].deps[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameOpsOpsCreateNameFieldEvent {
    field: '$.ops.ops[].create.name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsCreateMembersPeerFieldEvent {
    field: '$.ops.ops[].create.members[].peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsCreateMembersNameFieldEvent {
    field: '$.ops.ops[].create.members[].name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsCreateMembersAddrsFieldEvent {
    field: '$.ops.ops[].create.members[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameOpsOpsCreateMembersCutoffFieldEvent {
    field: '$.ops.ops[].create.members[].cutoff'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsAddPeerFieldEvent {
    field: '$.ops.ops[].add.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsAddNameFieldEvent {
    field: '$.ops.ops[].add.name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsAddAddrsFieldEvent {
    field: '$.ops.ops[].add.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameOpsOpsAddCutoffFieldEvent {
    field: '$.ops.ops[].add.cutoff'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsRemovePeerFieldEvent {
    field: '$.ops.ops[].remove.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsRemoveNameFieldEvent {
    field: '$.ops.ops[].remove.name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsRemoveAddrsFieldEvent {
    field: '$.ops.ops[].remove.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameOpsOpsRemoveCutoffFieldEvent {
    field: '$.ops.ops[].remove.cutoff'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsPromotePeerFieldEvent {
    field: '$.ops.ops[].promote.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsPromoteNameFieldEvent {
    field: '$.ops.ops[].promote.name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsPromoteAddrsFieldEvent {
    field: '$.ops.ops[].promote.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameOpsOpsPromoteCutoffFieldEvent {
    field: '$.ops.ops[].promote.cutoff'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsLeaveCutoffFieldEvent {
    field: '$.ops.ops[].leave.cutoff'
    value: bigint
    index: number
  }

  export interface GroupFrameOpsOpsRenameNameFieldEvent {
    field: '$.ops.ops[].rename.name'
    value: string
    index: number
  }

  export interface GroupFrameOpsOpsTimerSecondsFieldEvent {
    field: '$.ops.ops[].timer.seconds'
    value: number
    index: number
  }

  export interface GroupFrameOpsOpsKeyCheckFieldEvent {
    field: '$.ops.ops[].keyCheck'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameOpsOpsSignatureFieldEvent {
    field: '$.ops.ops[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesGroupFieldEvent {
    field: '$.envelopes.envelopes[].group'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesIdFieldEvent {
    field: '$.envelopes.envelopes[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesAuthorFieldEvent {
    field: '$.envelopes.envelopes[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesSeqFieldEvent {
    field: '$.envelopes.envelopes[].seq'
    value: bigint
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesHlcFieldEvent {
    field: '$.envelopes.envelopes[].hlc'
    value: bigint
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesKeyOpFieldEvent {
    field: '$.envelopes.envelopes[].keyOp'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesCiphertextFieldEvent {
    field: '$.envelopes.envelopes[].ciphertext'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameEnvelopesEnvelopesSignatureFieldEvent {
    field: '$.envelopes.envelopes[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GroupFrameKeyGroupFieldEvent {
    field: '$.key.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameKeyKeyOpFieldEvent {
    field: '$.key.keyOp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GroupFrameKeyKeyFieldEvent {
    field: '$.key.key'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GroupFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GroupFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupFrame>): GroupFrame {
    return decodeMessage(buf, GroupFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GroupFrame>): Generator<GroupFrameSummaryGroupFieldEvent | GroupFrameSummaryHeadsFieldEvent | GroupFrameSummaryOpCountFieldEvent | GroupFrameSummarySeenAuthorFieldEvent | GroupFrameSummarySeenRangesFieldEvent | GroupFrameSummaryWantKeysFieldEvent | GroupFrameSummaryReadOfYoursFieldEvent | GroupFrameOpsOpsGroupFieldEvent | GroupFrameOpsOpsAuthorFieldEvent | GroupFrameOpsOpsHlcFieldEvent | GroupFrameOpsOpsDepsFieldEvent | GroupFrameOpsOpsCreateNameFieldEvent | GroupFrameOpsOpsCreateMembersPeerFieldEvent | GroupFrameOpsOpsCreateMembersNameFieldEvent | GroupFrameOpsOpsCreateMembersAddrsFieldEvent | GroupFrameOpsOpsCreateMembersCutoffFieldEvent | GroupFrameOpsOpsAddPeerFieldEvent | GroupFrameOpsOpsAddNameFieldEvent | GroupFrameOpsOpsAddAddrsFieldEvent | GroupFrameOpsOpsAddCutoffFieldEvent | GroupFrameOpsOpsRemovePeerFieldEvent | GroupFrameOpsOpsRemoveNameFieldEvent | GroupFrameOpsOpsRemoveAddrsFieldEvent | GroupFrameOpsOpsRemoveCutoffFieldEvent | GroupFrameOpsOpsPromotePeerFieldEvent | GroupFrameOpsOpsPromoteNameFieldEvent | GroupFrameOpsOpsPromoteAddrsFieldEvent | GroupFrameOpsOpsPromoteCutoffFieldEvent | GroupFrameOpsOpsLeaveCutoffFieldEvent | GroupFrameOpsOpsRenameNameFieldEvent | GroupFrameOpsOpsTimerSecondsFieldEvent | GroupFrameOpsOpsKeyCheckFieldEvent | GroupFrameOpsOpsSignatureFieldEvent | GroupFrameEnvelopesEnvelopesGroupFieldEvent | GroupFrameEnvelopesEnvelopesIdFieldEvent | GroupFrameEnvelopesEnvelopesAuthorFieldEvent | GroupFrameEnvelopesEnvelopesSeqFieldEvent | GroupFrameEnvelopesEnvelopesHlcFieldEvent | GroupFrameEnvelopesEnvelopesKeyOpFieldEvent | GroupFrameEnvelopesEnvelopesCiphertextFieldEvent | GroupFrameEnvelopesEnvelopesSignatureFieldEvent | GroupFrameKeyGroupFieldEvent | GroupFrameKeyKeyOpFieldEvent | GroupFrameKeyKeyFieldEvent> {
    return streamMessage(buf, GroupFrame.codec(), opts)
  }
}

export interface Summary {
  group: Uint8Array<ArrayBuffer>
  heads: Uint8Array<ArrayBuffer>[]
  opCount: number
  seen: AuthorRanges[]
  wantKeys: Uint8Array<ArrayBuffer>[]
  readOfYours: bigint
}

export namespace Summary {
  let _codec: Codec<Summary>

  export const codec = (): Codec<Summary> => {
    if (_codec == null) {
      _codec = message<Summary>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if (obj.heads != null && obj.heads.length > 0) {
          for (const value of obj.heads) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.opCount != null && obj.opCount !== 0)) {
          w.uint32(24)
          w.uint32(obj.opCount)
        }

        if (obj.seen != null && obj.seen.length > 0) {
          for (const value of obj.seen) {
            w.uint32(34)
            AuthorRanges.codec().encode(value, w)
          }
        }

        if (obj.wantKeys != null && obj.wantKeys.length > 0) {
          for (const value of obj.wantKeys) {
            w.uint32(42)
            w.bytes(value)
          }
        }

        if ((obj.readOfYours != null && obj.readOfYours !== 0n)) {
          w.uint32(48)
          w.uint64(obj.readOfYours)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          heads: [],
          opCount: 0,
          seen: [],
          wantKeys: [],
          readOfYours: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.heads != null && obj.heads.length === opts.limits.heads) {
                throw new MaxLengthError('Decode error - repeated field "heads" had too many elements')
              }

              obj.heads.push(reader.bytes())
              break
            }
            case 3: {
              obj.opCount = reader.uint32()
              break
            }
            case 4: {
              if (opts.limits?.seen != null && obj.seen.length === opts.limits.seen) {
                throw new MaxLengthError('Decode error - repeated field "seen" had too many elements')
              }

              obj.seen.push(AuthorRanges.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.seen$
              }))
              break
            }
            case 5: {
              if (opts.limits?.wantKeys != null && obj.wantKeys.length === opts.limits.wantKeys) {
                throw new MaxLengthError('Decode error - repeated field "wantKeys" had too many elements')
              }

              obj.wantKeys.push(reader.bytes())
              break
            }
            case 6: {
              obj.readOfYours = reader.uint64()
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
          heads: 0,
          seen: 0,
          wantKeys: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.heads != null && obj.heads === opts.limits.heads) {
                throw new MaxLengthError('Streaming decode error - repeated field "heads" had too many elements')
              }

              yield {
                field: `${prefix}.heads[]`,
                index: obj.heads,
                value: reader.bytes()
              }

              obj.heads++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.opCount`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              if (opts.limits?.seen != null && obj.seen === opts.limits.seen) {
                throw new MaxLengthError('Streaming decode error - repeated field "seen" had too many elements')
              }

              for (const evt of AuthorRanges.codec().stream(reader, reader.uint32(), `${prefix}.seen[]`, {
                limits: opts.limits?.seen$
              })) {
                yield {
                  ...evt,
                  index: obj.seen
                }
              }

              obj.seen++

              break
            }
            case 5: {
              if (opts.limits?.wantKeys != null && obj.wantKeys === opts.limits.wantKeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "wantKeys" had too many elements')
              }

              yield {
                field: `${prefix}.wantKeys[]`,
                index: obj.wantKeys,
                value: reader.bytes()
              }

              obj.wantKeys++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.readOfYours`,
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

  export interface SummaryGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SummaryHeadsFieldEvent {
    field: '$.heads[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SummaryOpCountFieldEvent {
    field: '$.opCount'
    value: number
  }

  export interface SummarySeenAuthorFieldEvent {
    field: '$.seen[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SummarySeenRangesFieldEvent {
    field: '$.seen[].ranges[]'
    index: number
    value: bigint
  }

  export interface SummaryWantKeysFieldEvent {
    field: '$.wantKeys[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SummaryReadOfYoursFieldEvent {
    field: '$.readOfYours'
    value: bigint
  }

  export function encode (obj: Partial<Summary>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Summary.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Summary>): Summary {
    return decodeMessage(buf, Summary.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Summary>): Generator<SummaryGroupFieldEvent | SummaryHeadsFieldEvent | SummaryOpCountFieldEvent | SummarySeenAuthorFieldEvent | SummarySeenRangesFieldEvent | SummaryWantKeysFieldEvent | SummaryReadOfYoursFieldEvent> {
    return streamMessage(buf, Summary.codec(), opts)
  }
}

export interface AuthorRanges {
  author: Uint8Array<ArrayBuffer>
  ranges: bigint[]
}

export namespace AuthorRanges {
  let _codec: Codec<AuthorRanges>

  export const codec = (): Codec<AuthorRanges> => {
    if (_codec == null) {
      _codec = message<AuthorRanges>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.author != null && obj.author.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.author)
        }

        if (obj.ranges != null && obj.ranges.length > 0) {
          for (const value of obj.ranges) {
            w.uint32(16)
            w.uint64(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          author: uint8ArrayAlloc(0),
          ranges: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.author = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.ranges != null && obj.ranges.length === opts.limits.ranges) {
                throw new MaxLengthError('Decode error - repeated field "ranges" had too many elements')
              }

              obj.ranges.push(reader.uint64())
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
          ranges: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.author`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.ranges != null && obj.ranges === opts.limits.ranges) {
                throw new MaxLengthError('Streaming decode error - repeated field "ranges" had too many elements')
              }

              yield {
                field: `${prefix}.ranges[]`,
                index: obj.ranges,
                value: reader.uint64()
              }

              obj.ranges++

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

  export interface AuthorRangesAuthorFieldEvent {
    field: '$.author'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuthorRangesRangesFieldEvent {
    field: '$.ranges[]'
    index: number
    value: bigint
  }

  export function encode (obj: Partial<AuthorRanges>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuthorRanges.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuthorRanges>): AuthorRanges {
    return decodeMessage(buf, AuthorRanges.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuthorRanges>): Generator<AuthorRangesAuthorFieldEvent | AuthorRangesRangesFieldEvent> {
    return streamMessage(buf, AuthorRanges.codec(), opts)
  }
}

export interface Ops {
  ops: GroupOp[]
}

export namespace Ops {
  let _codec: Codec<Ops>

  export const codec = (): Codec<Ops> => {
    if (_codec == null) {
      _codec = message<Ops>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ops != null && obj.ops.length > 0) {
          for (const value of obj.ops) {
            w.uint32(10)
            GroupOp.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ops: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ops != null && obj.ops.length === opts.limits.ops) {
                throw new MaxLengthError('Decode error - repeated field "ops" had too many elements')
              }

              obj.ops.push(GroupOp.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.ops$
              }))
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
          ops: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ops != null && obj.ops === opts.limits.ops) {
                throw new MaxLengthError('Streaming decode error - repeated field "ops" had too many elements')
              }

              for (const evt of GroupOp.codec().stream(reader, reader.uint32(), `${prefix}.ops[]`, {
                limits: opts.limits?.ops$
              })) {
                yield {
                  ...evt,
                  index: obj.ops
                }
              }

              obj.ops++

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

  export interface OpsOpsGroupFieldEvent {
    field: '$.ops[].group'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsAuthorFieldEvent {
    field: '$.ops[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsHlcFieldEvent {
    field: '$.ops[].hlc'
    value: bigint
    index: number
  }

  export interface OpsOpsDepsFieldEvent {
    field: '$.ops[].deps[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpsOpsCreateNameFieldEvent {
    field: '$.ops[].create.name'
    value: string
    index: number
  }

  export interface OpsOpsCreateMembersPeerFieldEvent {
    field: '$.ops[].create.members[].peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsCreateMembersNameFieldEvent {
    field: '$.ops[].create.members[].name'
    value: string
    index: number
  }

  export interface OpsOpsCreateMembersAddrsFieldEvent {
    field: '$.ops[].create.members[].addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpsOpsCreateMembersCutoffFieldEvent {
    field: '$.ops[].create.members[].cutoff'
    value: bigint
    index: number
  }

  export interface OpsOpsAddPeerFieldEvent {
    field: '$.ops[].add.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsAddNameFieldEvent {
    field: '$.ops[].add.name'
    value: string
    index: number
  }

  export interface OpsOpsAddAddrsFieldEvent {
    field: '$.ops[].add.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpsOpsAddCutoffFieldEvent {
    field: '$.ops[].add.cutoff'
    value: bigint
    index: number
  }

  export interface OpsOpsRemovePeerFieldEvent {
    field: '$.ops[].remove.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsRemoveNameFieldEvent {
    field: '$.ops[].remove.name'
    value: string
    index: number
  }

  export interface OpsOpsRemoveAddrsFieldEvent {
    field: '$.ops[].remove.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpsOpsRemoveCutoffFieldEvent {
    field: '$.ops[].remove.cutoff'
    value: bigint
    index: number
  }

  export interface OpsOpsPromotePeerFieldEvent {
    field: '$.ops[].promote.peer'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsPromoteNameFieldEvent {
    field: '$.ops[].promote.name'
    value: string
    index: number
  }

  export interface OpsOpsPromoteAddrsFieldEvent {
    field: '$.ops[].promote.addrs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface OpsOpsPromoteCutoffFieldEvent {
    field: '$.ops[].promote.cutoff'
    value: bigint
    index: number
  }

  export interface OpsOpsLeaveCutoffFieldEvent {
    field: '$.ops[].leave.cutoff'
    value: bigint
    index: number
  }

  export interface OpsOpsRenameNameFieldEvent {
    field: '$.ops[].rename.name'
    value: string
    index: number
  }

  export interface OpsOpsTimerSecondsFieldEvent {
    field: '$.ops[].timer.seconds'
    value: number
    index: number
  }

  export interface OpsOpsKeyCheckFieldEvent {
    field: '$.ops[].keyCheck'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface OpsOpsSignatureFieldEvent {
    field: '$.ops[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Ops>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Ops.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ops>): Ops {
    return decodeMessage(buf, Ops.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Ops>): Generator<OpsOpsGroupFieldEvent | OpsOpsAuthorFieldEvent | OpsOpsHlcFieldEvent | OpsOpsDepsFieldEvent | OpsOpsCreateNameFieldEvent | OpsOpsCreateMembersPeerFieldEvent | OpsOpsCreateMembersNameFieldEvent | OpsOpsCreateMembersAddrsFieldEvent | OpsOpsCreateMembersCutoffFieldEvent | OpsOpsAddPeerFieldEvent | OpsOpsAddNameFieldEvent | OpsOpsAddAddrsFieldEvent | OpsOpsAddCutoffFieldEvent | OpsOpsRemovePeerFieldEvent | OpsOpsRemoveNameFieldEvent | OpsOpsRemoveAddrsFieldEvent | OpsOpsRemoveCutoffFieldEvent | OpsOpsPromotePeerFieldEvent | OpsOpsPromoteNameFieldEvent | OpsOpsPromoteAddrsFieldEvent | OpsOpsPromoteCutoffFieldEvent | OpsOpsLeaveCutoffFieldEvent | OpsOpsRenameNameFieldEvent | OpsOpsTimerSecondsFieldEvent | OpsOpsKeyCheckFieldEvent | OpsOpsSignatureFieldEvent> {
    return streamMessage(buf, Ops.codec(), opts)
  }
}

export interface Envelopes {
  envelopes: GroupEnvelope[]
}

export namespace Envelopes {
  let _codec: Codec<Envelopes>

  export const codec = (): Codec<Envelopes> => {
    if (_codec == null) {
      _codec = message<Envelopes>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.envelopes != null && obj.envelopes.length > 0) {
          for (const value of obj.envelopes) {
            w.uint32(10)
            GroupEnvelope.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          envelopes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes.length === opts.limits.envelopes) {
                throw new MaxLengthError('Decode error - repeated field "envelopes" had too many elements')
              }

              obj.envelopes.push(GroupEnvelope.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.envelopes$
              }))
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
          envelopes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.envelopes != null && obj.envelopes === opts.limits.envelopes) {
                throw new MaxLengthError('Streaming decode error - repeated field "envelopes" had too many elements')
              }

              for (const evt of GroupEnvelope.codec().stream(reader, reader.uint32(), `${prefix}.envelopes[]`, {
                limits: opts.limits?.envelopes$
              })) {
                yield {
                  ...evt,
                  index: obj.envelopes
                }
              }

              obj.envelopes++

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

  export interface EnvelopesEnvelopesGroupFieldEvent {
    field: '$.envelopes[].group'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface EnvelopesEnvelopesIdFieldEvent {
    field: '$.envelopes[].id'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface EnvelopesEnvelopesAuthorFieldEvent {
    field: '$.envelopes[].author'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface EnvelopesEnvelopesSeqFieldEvent {
    field: '$.envelopes[].seq'
    value: bigint
    index: number
  }

  export interface EnvelopesEnvelopesHlcFieldEvent {
    field: '$.envelopes[].hlc'
    value: bigint
    index: number
  }

  export interface EnvelopesEnvelopesKeyOpFieldEvent {
    field: '$.envelopes[].keyOp'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface EnvelopesEnvelopesCiphertextFieldEvent {
    field: '$.envelopes[].ciphertext'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface EnvelopesEnvelopesSignatureFieldEvent {
    field: '$.envelopes[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Envelopes>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Envelopes.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelopes>): Envelopes {
    return decodeMessage(buf, Envelopes.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Envelopes>): Generator<EnvelopesEnvelopesGroupFieldEvent | EnvelopesEnvelopesIdFieldEvent | EnvelopesEnvelopesAuthorFieldEvent | EnvelopesEnvelopesSeqFieldEvent | EnvelopesEnvelopesHlcFieldEvent | EnvelopesEnvelopesKeyOpFieldEvent | EnvelopesEnvelopesCiphertextFieldEvent | EnvelopesEnvelopesSignatureFieldEvent> {
    return streamMessage(buf, Envelopes.codec(), opts)
  }
}

export interface KeyGrant {
  group: Uint8Array<ArrayBuffer>
  keyOp: Uint8Array<ArrayBuffer>
  key: Uint8Array<ArrayBuffer>
}

export namespace KeyGrant {
  let _codec: Codec<KeyGrant>

  export const codec = (): Codec<KeyGrant> => {
    if (_codec == null) {
      _codec = message<KeyGrant>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.group != null && obj.group.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.group)
        }

        if ((obj.keyOp != null && obj.keyOp.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.keyOp)
        }

        if ((obj.key != null && obj.key.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          group: uint8ArrayAlloc(0),
          keyOp: uint8ArrayAlloc(0),
          key: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.group = reader.bytes()
              break
            }
            case 2: {
              obj.keyOp = reader.bytes()
              break
            }
            case 3: {
              obj.key = reader.bytes()
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
                field: `${prefix}.group`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.keyOp`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.key`,
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

  export interface KeyGrantGroupFieldEvent {
    field: '$.group'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeyGrantKeyOpFieldEvent {
    field: '$.keyOp'
    value: Uint8Array<ArrayBuffer>
  }

  export interface KeyGrantKeyFieldEvent {
    field: '$.key'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<KeyGrant>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, KeyGrant.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeyGrant>): KeyGrant {
    return decodeMessage(buf, KeyGrant.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<KeyGrant>): Generator<KeyGrantGroupFieldEvent | KeyGrantKeyOpFieldEvent | KeyGrantKeyFieldEvent> {
    return streamMessage(buf, KeyGrant.codec(), opts)
  }
}
