import { TIMER_CHOICES } from '../../../shared/api'

const NAMES: Record<number, string> = {
  0: 'Off',
  30: '30 seconds',
  300: '5 minutes',
  3600: '1 hour',
  28_800: '8 hours',
  86_400: '1 day',
  604_800: '1 week',
  2_419_200: '4 weeks'
}

/** The disappearing-message timers, with their names, for a select. */
export const TIMER_OPTIONS = TIMER_CHOICES.map(seconds => ({ seconds, label: timerName(seconds) }))

export function timerName (seconds: number): string {
  return NAMES[seconds] ?? `${seconds} seconds`
}

/** "in 4 min", "in 30 s": how long a disappearing message has left. */
export function timeLeft (expiresAt: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.floor((expiresAt - now) / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.round(s / 60)} min`
  if (s < 86_400) return `${Math.round(s / 3600)} h`
  return `${Math.round(s / 86_400)} d`
}
