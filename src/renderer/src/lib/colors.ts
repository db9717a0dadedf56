/**
 * A colour per author in group conversations: a hue derived from the peer
 * id (stable across sessions and machines), at a lightness that keeps the
 * name readable on the bubble in both themes (WCAG AA, 4.5:1 or more).
 * Worked out in OKLCH, where one lightness looks equally light at every
 * hue, then checked (and corrected) in sRGB, which is what the screen shows.
 */

/** The bubble backgrounds the name is drawn on (app.css `--theirs`). */
export const BUBBLE = { light: '#ffffff', dark: '#2e2925' } as const
/** The least contrast an author's name may have on its bubble. */
export const MIN_CONTRAST = 4.5

const START = { light: 0.5, dark: 0.78 } as const
const CHROMA = 0.13

export interface AuthorColor {
  light: string
  dark: string
}

/** A stable hue, 0 to 359, for a peer id. */
function authorHue (peerId: string): number {
  // FNV-1a over the whole id: ids share their first characters (12D3KooW…).
  let h = 0x811c9dc5
  for (let i = 0; i < peerId.length; i++) {
    h ^= peerId.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h % 360
}

const cache = new Map<string, AuthorColor>()

/** The colours an author's name takes in the light and the dark theme. */
export function authorColor (peerId: string): AuthorColor {
  let c = cache.get(peerId)
  if (c == null) {
    const hue = authorHue(peerId)
    c = { light: readable(hue, 'light'), dark: readable(hue, 'dark') }
    // Bounded: a group has at most 32 members, a history a few more former ones.
    if (cache.size >= 512) cache.clear()
    cache.set(peerId, c)
  }
  return c
}

function readable (hue: number, theme: 'light' | 'dark'): string {
  const step = theme === 'light' ? -0.02 : 0.02
  let lightness: number = START[theme]
  for (let i = 0; i < 20; i++) {
    // Checked after rounding to the hex the page is given.
    const hex = rgbToHex(oklchToSrgb(lightness, CHROMA, hue))
    if (contrast(hexToRgb(hex), hexToRgb(BUBBLE[theme])) >= MIN_CONTRAST) return hex
    lightness += step
  }
  return theme === 'light' ? '#000000' : '#ffffff'
}

type Rgb = [number, number, number]

/** OKLCH to gamma-encoded sRGB in 0..1, clipped to the gamut. */
function oklchToSrgb (l: number, c: number, hueDegrees: number): Rgb {
  const h = hueDegrees * Math.PI / 180
  const a = c * Math.cos(h)
  const b = c * Math.sin(h)
  const l1 = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3
  const m1 = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3
  const s1 = (l - 0.0894841775 * a - 1.2914855480 * b) ** 3
  const linear: Rgb = [
    4.0767416621 * l1 - 3.3077115913 * m1 + 0.2309699292 * s1,
    -1.2684380046 * l1 + 2.6097574011 * m1 - 0.3413193965 * s1,
    -0.0041960863 * l1 - 0.7034186147 * m1 + 1.7076147010 * s1
  ]
  return linear.map(x => {
    const v = Math.min(1, Math.max(0, x))
    return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055
  }) as Rgb
}

export function hexToRgb (hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16)
  return [(n >> 16 & 255) / 255, (n >> 8 & 255) / 255, (n & 255) / 255]
}

function rgbToHex (rgb: Rgb): string {
  return '#' + rgb.map(v => Math.round(v * 255).toString(16).padStart(2, '0')).join('')
}

/** WCAG relative luminance of a gamma-encoded sRGB colour. */
function luminance (rgb: Rgb): number {
  const [r, g, b] = rgb.map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4) as Rgb
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrast (a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}
