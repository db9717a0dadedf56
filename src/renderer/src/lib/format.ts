/** Small formatting helpers for the UI; no state. */

export function timeOfDay (ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** A timestamp's local calendar day, as a number that changes at local midnight: for telling days apart. */
export function dayKey (ms: number): number {
  const d = new Date(ms)
  return d.getFullYear() * 400 + d.getMonth() * 32 + d.getDate()
}

/** "Today", "Yesterday", or a date. */
export function dayLabel (ms: number, now: number = Date.now()): string {
  const key = dayKey(ms)
  if (key === dayKey(now)) return 'Today'
  if (key === dayKey(now - 86_400_000)) return 'Yesterday'
  return new Date(ms).toLocaleDateString([], { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
}

/** A short, recognisable form of a peer id: the start and the end. */
export function shortId (peerId: string): string {
  return `${peerId.slice(0, 8)}…${peerId.slice(-6)}`
}

/** One line of preview text. */
export function preview (text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? line.slice(0, max - 1) + '…' : line
}

/** Initials for an avatar. */
export function initials (name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts
  return letters.map(p => [...p][0] ?? '').join('').toUpperCase() || '?'
}
