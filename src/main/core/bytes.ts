import { fromString, toString } from 'uint8arrays'

export function toHex (bytes: Uint8Array): string {
  return toString(bytes, 'base16')
}

export function fromHex (hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(fromString(hex, 'base16'))
}

export const utf8 = {
  encode: (s: string): Uint8Array => new TextEncoder().encode(s),
  decode: (b: Uint8Array): string => new TextDecoder().decode(b)
}

/** A copy backed by its own ArrayBuffer (what the protobuf types ask for). */
export function owned (bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** The parts, one after another, in one new array. */
export function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
