/**
 * Functions that run inside the page (passed to `page.evaluate`), so every
 * time here is the page's own `performance.now()`. Each is self-contained:
 * Playwright sends only the function's source, without this module.
 */
import type { OpenTiming, ScrollSample } from './ui-report.js'

/** What `armOpen` records, kept on the window until `readOpen` collects it. */
interface OpenProbe {
  /** The click event's time stamp (when the input arrived). */
  clickAt?: number
  /** The first `.bubble` of the opened conversation is in the DOM. */
  bubbleAt?: number
  /** The next animation frame starts: the first frame that has messages in it. */
  frameAt?: number
  /** A task posted from that frame runs: the frame has been laid out and painted. */
  paintedAt?: number
  done?: Promise<void>
}

type ProbeWindow = Window & { hearthBenchOpen?: OpenProbe }

/**
 * Before a click on a conversation: clears the app's mark, then watches for
 * the click and for the first message bubble inside the section labelled
 * `sectionLabel`, and for the frame that shows it.
 */
export function armOpen (sectionLabel: string): void {
  const probe: OpenProbe = {}
  ;(window as ProbeWindow).hearthBenchOpen = probe
  performance.clearMarks('hearth:conversation-shown')
  document.addEventListener('click', (event) => { probe.clickAt = event.timeStamp }, { capture: true, once: true })
  const selector = `section[aria-label="${CSS.escape(sectionLabel)}"] .bubble`
  probe.done = new Promise<void>((resolve) => {
    const observer = new MutationObserver(() => {
      if (probe.clickAt == null || document.querySelector(selector) == null) return
      observer.disconnect()
      probe.bubbleAt = performance.now()
      requestAnimationFrame(() => {
        probe.frameAt = performance.now()
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          probe.paintedAt = performance.now()
          channel.port1.close()
          resolve()
        }
        channel.port2.postMessage(null)
      })
    })
    observer.observe(document.body, { childList: true, subtree: true })
  })
}

/** After the click: waits for the probe armed by `armOpen`, and returns its times from the click. */
export async function readOpen (): Promise<OpenTiming> {
  const probe = (window as ProbeWindow).hearthBenchOpen
  if (probe?.done == null) throw new Error('armOpen was not called')
  await probe.done
  const mark = performance.getEntriesByName('hearth:conversation-shown', 'mark').at(-1)
  const clickAt = probe.clickAt ?? Number.NaN
  return {
    markMs: mark == null ? Number.NaN : mark.startTime - clickAt,
    bubbleMs: (probe.bubbleAt ?? Number.NaN) - clickAt,
    frameMs: (probe.frameAt ?? Number.NaN) - clickAt,
    paintedMs: (probe.paintedAt ?? Number.NaN) - clickAt
  }
}

interface ScrollOptions {
  /** Pixels scrolled up per animation frame. */
  stepPx: number
  /** Stop once a bubble with this message id has been rendered. */
  targetId?: string
  /** Stop after this long in any case. */
  maxMs: number
  /** At the very top with nothing older arriving for this many frames, scroll down 1 px and up again, as a reader would. */
  nudgeFrames: number
  /** Stop after this many frames in a row at the very top (the history is complete, or nothing more will come). */
  topFrames: number
}

/**
 * Scrolls the message list (`[role="log"]`) up by a fixed step each
 * animation frame, so older pages load as it goes, and records the frame
 * intervals and the long tasks meanwhile.
 *
 * It also checks that the view holds still under the reader: the row under
 * the middle of the list must move down by exactly the step, whatever loads
 * or is measured above it; anything else is a jump. And it counts stalls:
 * times the list sat at the very top with no older page coming until the
 * reader scrolled again.
 */
export async function scrollLog (options: ScrollOptions): Promise<ScrollSample> {
  const log = document.querySelector<HTMLElement>('[role="log"]')
  if (log == null) throw new Error('no message list ([role="log"]) on the page')
  const longTasks: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration)
  })
  observer.observe({ type: 'longtask' })
  const box = log.getBoundingClientRect()
  const middle = { x: box.left + box.width / 2, y: box.top + box.height / 2 }
  const sample: ScrollSample = { frames: [], longTasks, jumps: [], lost: 0, stalls: 0, nudges: 0, ms: 0, atTopFrames: 0, stop: 'time', travelledPx: 0, heightPx: 0 }
  const t0 = performance.now()
  await new Promise<void>((resolve) => {
    let previous: number | undefined
    let ref: { key: string, expectedTop: number } | undefined
    let run = 0
    let lastHeight = log.scrollHeight
    /** The list's height when the reader last had to nudge it, until something older arrives. */
    let nudgedAt: number | undefined
    const onFrame = (now: number): void => {
      if (previous != null) sample.frames.push(now - previous)
      previous = now
      if (ref != null) {
        const el = log.querySelector(`[data-key="${CSS.escape(ref.key)}"]`)
        // A row that left the DOM while it should be mid-screen has jumped far.
        if (el == null) sample.lost++
        else {
          const off = Math.abs(el.getBoundingClientRect().top - ref.expectedTop)
          if (off > 2) sample.jumps.push(off)
        }
      }
      if (nudgedAt != null && log.scrollHeight > nudgedAt) {
        sample.stalls++
        nudgedAt = undefined
      }
      const before = log.scrollTop
      // 1 px is where a nudge leaves it: still at the top, unless something arrived.
      const height = log.scrollHeight
      run = before <= 1 && height === lastHeight ? run + 1 : 0
      lastHeight = height
      if (run > 0) sample.atTopFrames++
      if (options.targetId != null && log.querySelector(`[data-message-id="${CSS.escape(options.targetId)}"]`) != null) sample.stop = 'target'
      else if (run > options.topFrames) sample.stop = 'top'
      else if (now - t0 > options.maxMs) sample.stop = 'time'
      else {
        const row = document.elementFromPoint(middle.x, middle.y)?.closest<HTMLElement>('[data-key]')
        const top = row?.getBoundingClientRect().top
        if (run > 0 && run % options.nudgeFrames === 0) {
          log.scrollTop = 1
          sample.nudges++
          nudgedAt ??= log.scrollHeight
        } else {
          log.scrollTop = Math.max(0, before - options.stepPx)
        }
        const moved = before - log.scrollTop
        sample.travelledPx += Math.abs(moved)
        ref = row?.dataset.key != null && top != null ? { key: row.dataset.key, expectedTop: top + moved } : undefined
        requestAnimationFrame(onFrame)
        return
      }
      resolve()
    }
    requestAnimationFrame(onFrame)
  })
  sample.ms = performance.now() - t0
  // Long-task entries arrive after the task; give the last ones time to land.
  await new Promise(resolve => setTimeout(resolve, 200))
  for (const entry of observer.takeRecords()) longTasks.push(entry.duration)
  observer.disconnect()
  const oldest = log.querySelector<HTMLElement>('.bubble')?.dataset.messageId
  if (oldest != null) sample.oldestId = oldest
  sample.heightPx = log.scrollHeight
  return sample
}

/** Elements in the document: how much of the history is in the DOM. */
export function countElements (): number {
  return document.getElementsByTagName('*').length
}
