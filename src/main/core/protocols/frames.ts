/**
 * Length-prefixed framing with a hard bound on both the frame and its
 * length prefix. (The stock decoder keeps reading continuation bytes of an
 * endless varint; this one refuses as soon as the prefix is longer than the
 * largest allowed frame needs.)
 */
import { lpStream, pbStream, type LengthPrefixedStream, type ProtobufStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

export class FrameLengthError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'FrameLengthError'
  }
}

function framing (maxDataLength: number): { maxDataLength: number, maxLengthLength: number, lengthDecoder: (data: Uint8ArrayList) => number } {
  const maxLengthLength = varint.encodingLength(maxDataLength)
  return {
    maxDataLength,
    maxLengthLength,
    lengthDecoder: (data) => {
      if (data.byteLength > maxLengthLength) throw new FrameLengthError(`frame length prefix longer than ${maxLengthLength} bytes`)
      return varint.decode(data)
    }
  }
}

export function frameStream (stream: Stream, maxDataLength: number): LengthPrefixedStream<Stream> {
  return lpStream(stream, framing(maxDataLength))
}

export function protobufStream (stream: Stream, maxDataLength: number): ProtobufStream<Stream> {
  return pbStream(stream, framing(maxDataLength))
}
