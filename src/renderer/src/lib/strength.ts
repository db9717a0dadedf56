/**
 * A rough passphrase strength hint: an estimate of guessing entropy from
 * length and character variety, with common patterns penalised. It is a
 * hint to encourage longer passphrases, not a guarantee.
 */
export type Strength = 'too short' | 'weak' | 'fair' | 'strong'

export const MIN_PASSPHRASE = 8

function estimateBits (passphrase: string): number {
  const chars = [...passphrase]
  if (chars.length === 0) return 0
  let pool = 0
  if (/[a-z]/.test(passphrase)) pool += 26
  if (/[A-Z]/.test(passphrase)) pool += 26
  if (/[0-9]/.test(passphrase)) pool += 10
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33
  const unique = new Set(chars).size
  // Repeats and runs carry little: count distinct characters more than length.
  const effective = Math.min(chars.length, unique * 2)
  let bits = effective * Math.log2(Math.max(pool, 2))
  if (/^(password|passphrase|qwerty|letmein|hearth|123456)/i.test(passphrase)) bits /= 4
  // Several words separated by spaces are how good passphrases look.
  const words = passphrase.trim().split(/\s+/).filter(w => w.length >= 3).length
  if (words >= 4) bits = Math.max(bits, words * 11)
  return Math.round(bits)
}

export function strength (passphrase: string): Strength {
  if ([...passphrase].length < MIN_PASSPHRASE) return 'too short'
  const bits = estimateBits(passphrase)
  if (bits < 40) return 'weak'
  if (bits < 60) return 'fair'
  return 'strong'
}
