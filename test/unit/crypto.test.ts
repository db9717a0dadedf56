import { describe, it, expect } from 'vitest'
import {
  DecryptError,
  SEAL_OVERHEAD,
  constantTimeEqual,
  deriveKek,
  hkdf,
  hmacSha256,
  identityFingerprint,
  open,
  randomBytes,
  safetyNumber,
  seal,
  sha256
} from '../../src/main/core/crypto/index.js'
import { fromHex, toHex, utf8 } from '../../src/main/core/bytes.js'

/** A copy of `bytes` with one bit flipped. */
function flipBit (bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7))
  return out
}

describe('hkdf', () => {
  it('matches RFC 5869 test case 3 (empty salt, empty info)', () => {
    const okm = hkdf(new Uint8Array(22).fill(0x0b), '', 42)
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8')
  })

  it('derives different subkeys for different purposes', () => {
    const ikm = randomBytes(32)
    expect(toHex(hkdf(ikm, 'a'))).not.toBe(toHex(hkdf(ikm, 'b')))
    expect(hkdf(ikm, 'a')).toHaveLength(32)
  })
})

describe('hmacSha256', () => {
  it('matches RFC 4231 test case 1', () => {
    const mac = hmacSha256(new Uint8Array(20).fill(0x0b), utf8.encode('Hi There'))
    expect(toHex(mac)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7')
  })

  it('matches RFC 4231 test case 2', () => {
    const mac = hmacSha256(utf8.encode('Jefe'), utf8.encode('what do ya want for nothing?'))
    expect(toHex(mac)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  })
})

describe('sha256', () => {
  it('matches the FIPS 180-2 "abc" vector', () => {
    expect(toHex(sha256(utf8.encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('deriveKek (scrypt)', () => {
  it('matches the RFC 7914 vector (password, NaCl, N=1024, r=8, p=16)', async () => {
    const kek = await deriveKek('password', utf8.encode('NaCl'), { logN: 10, r: 8, p: 16 })
    expect(toHex(kek)).toBe('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162')
  })

  it('treats canonically equivalent passphrases alike (NFC), so the same typed text unlocks on any keyboard', async () => {
    const salt = randomBytes(16)
    const params = { logN: 10, r: 8, p: 1 }
    const composed = await deriveKek('caf\u00e9 au lait', salt, params)
    const decomposed = await deriveKek('cafe\u0301 au lait', salt, params)
    expect(toHex(decomposed)).toBe(toHex(composed))
  })

  it('gives a different key for a different salt or passphrase', async () => {
    const params = { logN: 10, r: 8, p: 1 }
    const salt = randomBytes(16)
    const base = toHex(await deriveKek('correct horse', salt, params))
    expect(toHex(await deriveKek('correct horse', randomBytes(16), params))).not.toBe(base)
    expect(toHex(await deriveKek('correct horsf', salt, params))).not.toBe(base)
  })
})

describe('AES-256-GCM seal/open', () => {
  // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (256-bit key, AAD, 96-bit IV).
  const tc16 = {
    key: fromHex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
    iv: 'cafebabefacedbaddecaf888',
    plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    aad: fromHex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
    ciphertext: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b'
  }
  const tc16Sealed = fromHex(tc16.iv + tc16.ciphertext + tc16.tag)

  it('opens the GCM spec test case 16 laid out as nonce || ciphertext || tag', () => {
    expect(toHex(open(tc16.key, tc16Sealed, tc16.aad))).toBe(tc16.plaintext)
  })

  it('round-trips, adding exactly the nonce and tag', () => {
    const key = randomBytes(32)
    for (const size of [0, 1, 15, 16, 17, 1000]) {
      const plaintext = randomBytes(size)
      const sealed = seal(key, plaintext, utf8.encode('ad'))
      expect(sealed).toHaveLength(size + SEAL_OVERHEAD)
      expect(toHex(open(key, sealed, utf8.encode('ad')))).toBe(toHex(plaintext))
    }
  })

  it('uses a fresh nonce each time: sealing the same value twice gives different bytes', () => {
    const key = randomBytes(32)
    const a = seal(key, utf8.encode('same'), new Uint8Array(0))
    const b = seal(key, utf8.encode('same'), new Uint8Array(0))
    expect(toHex(a)).not.toBe(toHex(b))
  })

  it('refuses the test vector with any single bit flipped (nonce, body or tag)', () => {
    const bits = tc16Sealed.length * 8
    for (let bit = 0; bit < bits; bit++) {
      expect(() => open(tc16.key, flipBit(tc16Sealed, bit), tc16.aad), `bit ${bit}`).toThrow(DecryptError)
    }
  })

  it('refuses a sealed value under different associated data', () => {
    const key = randomBytes(32)
    const sealed = seal(key, utf8.encode('hello'), utf8.encode('key-a'))
    expect(() => open(key, sealed, utf8.encode('key-b'))).toThrow(DecryptError)
    expect(() => open(key, sealed, new Uint8Array(0))).toThrow(DecryptError)
    expect(() => open(tc16.key, tc16Sealed, flipBit(tc16.aad, 0))).toThrow(DecryptError)
  })

  it('refuses a sealed value under a different key', () => {
    const sealed = seal(randomBytes(32), utf8.encode('hello'), new Uint8Array(0))
    expect(() => open(randomBytes(32), sealed, new Uint8Array(0))).toThrow(DecryptError)
    expect(() => open(flipBit(tc16.key, 255), tc16Sealed, tc16.aad)).toThrow(DecryptError)
  })

  it('refuses values shorter than a nonce and a tag, and truncated values', () => {
    const key = randomBytes(32)
    const sealed = seal(key, utf8.encode('hello'), new Uint8Array(0))
    expect(() => open(key, new Uint8Array(0), new Uint8Array(0))).toThrow(DecryptError)
    expect(() => open(key, sealed.subarray(0, SEAL_OVERHEAD - 1), new Uint8Array(0))).toThrow(DecryptError)
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), new Uint8Array(0))).toThrow(DecryptError)
    expect(() => open(key, sealed.subarray(1), new Uint8Array(0))).toThrow(DecryptError)
  })

  it('reports failures with the DECRYPT_FAILED code', () => {
    const err = (() => {
      try {
        open(randomBytes(32), tc16Sealed, tc16.aad)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(DecryptError)
    expect((err as DecryptError).code).toBe('DECRYPT_FAILED')
  })
})

describe('constantTimeEqual', () => {
  it('is true for equal bytes and false for any difference, including length', () => {
    const a = randomBytes(32)
    expect(constantTimeEqual(a, a.slice())).toBe(true)
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true)
    expect(constantTimeEqual(a, flipBit(a, 0))).toBe(false)
    expect(constantTimeEqual(a, flipBit(a, 255))).toBe(false)
    expect(constantTimeEqual(a, a.subarray(0, 31))).toBe(false)
    expect(constantTimeEqual(a.subarray(0, 31), a)).toBe(false)
  })
})

describe('safety numbers', () => {
  const alice = { publicKey: fromHex('11'.repeat(32)), id: utf8.encode('alice') }
  const bob = { publicKey: fromHex('22'.repeat(32)), id: utf8.encode('bob') }

  it('is the same whichever side computes it', () => {
    expect(safetyNumber(alice, bob)).toBe(safetyNumber(bob, alice))
  })

  it('is 60 digits in 12 groups of 5', () => {
    expect(safetyNumber(alice, bob)).toMatch(/^\d{5}( \d{5}){11}$/)
  })

  it('is the two identity fingerprints, lower first', () => {
    const fa = identityFingerprint(alice.publicKey, alice.id)
    const fb = identityFingerprint(bob.publicKey, bob.id)
    const [lo, hi] = fa < fb ? [fa, fb] : [fb, fa]
    expect(safetyNumber(alice, bob).replaceAll(' ', '')).toBe(lo + hi)
  })

  it('changes when either key or id changes', () => {
    const base = safetyNumber(alice, bob)
    expect(safetyNumber({ ...alice, publicKey: flipBit(alice.publicKey, 0) }, bob)).not.toBe(base)
    expect(safetyNumber(alice, { ...bob, publicKey: flipBit(bob.publicKey, 100) })).not.toBe(base)
    expect(safetyNumber(alice, { ...bob, id: utf8.encode('bob2') })).not.toBe(base)
  })

  it('keeps the identity fingerprint stable across releases (regression value)', () => {
    const publicKey = new Uint8Array(32).map((_, i) => i)
    expect(identityFingerprint(publicKey, utf8.encode('hearth'))).toBe('514167258929442788004241901015')
  })
})
