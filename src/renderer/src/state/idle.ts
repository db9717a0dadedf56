/**
 * Auto-lock: calls `onIdle` once no input has been seen for `minutes`
 * (0 disables it). Input is any key, pointer or wheel event on `target`.
 */
export function watchIdle (target: EventTarget, minutes: number, onIdle: () => void, timers: { set: typeof setTimeout, clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout }): () => void {
  if (minutes <= 0) return () => {}
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = (): void => {
    if (timer != null) timers.clear(timer)
    timer = timers.set(onIdle, minutes * 60_000)
  }
  const events = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']
  for (const e of events) target.addEventListener(e, arm, { passive: true })
  arm()
  return () => {
    if (timer != null) timers.clear(timer)
    for (const e of events) target.removeEventListener(e, arm)
  }
}
