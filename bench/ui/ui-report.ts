/**
 * The desktop UI figures for `npm run bench`: run in a child process (a
 * fresh Node with its own host, bridge and Chromium), and turned into the
 * table's "Desktop UI in Chromium" section. This module stays free of DOM
 * types so the Node-only bench can import it.
 */
import { firstLine, tsxEval } from '../processes.js'
import type { Section } from '../report.js'
import { fmtMiB, fmtMs, max, median, percentile } from '../stats.js'

export const UI_CONFIG = {
  bigMessages: 10_000,
  /** Days the long conversation spans: a day separator every ~475 messages. */
  bigDays: 21,
  smallMessages: 40,
  /** Opens of each conversation, alternating between the two. */
  openRuns: 7,
  /** How far back the long conversation is scrolled: half of it, 100 pages. */
  scrollBack: 5_000,
  /** A brisk, steady scroll: 9,000 px/s at 60 frames a second (about 140 messages a second). */
  stepPx: 150,
  scrollMaxMs: 60_000,
  /** Frames at the very top with nothing older arriving before the scroll nudges the list (1 px down, then on up). */
  nudgeFrames: 10,
  /** Frames in a row at the very top before giving up (the history is complete). */
  topFrames: 60
} as const

export type UiConfig = typeof UI_CONFIG

const UI_GOALS = {
  firstPaintMs: 100,
  longTaskMs: 50
} as const

/** Milliseconds from the click event on the conversation in the sidebar. */
export interface OpenTiming {
  /** The app's `hearth:conversation-shown` mark (the latest page is loaded, not yet rendered). */
  markMs: number
  /** The first message bubble is in the DOM. */
  bubbleMs: number
  /** The animation frame after that starts: the first frame with messages. */
  frameMs: number
  /** A task posted from that frame runs: the frame is laid out and painted. */
  paintedMs: number
}

export interface ScrollSample {
  /** Intervals between consecutive animation frames, ms. */
  frames: number[]
  /** Durations of the long tasks (over 50 ms) seen, ms. */
  longTasks: number[]
  /** Frames where the row under the middle of the list was off where the scroll step should have put it: by how many px. */
  jumps: number[]
  /** Frames where that row had left the DOM altogether (a jump of more than the overscan). */
  lost: number
  /** Times the list sat at the very top, nothing older coming, until a nudge (1 px down) brought the next page. */
  stalls: number
  nudges: number
  ms: number
  /** Frames that began with the list at the very top (the reader waits for older messages). */
  atTopFrames: number
  stop: 'target' | 'top' | 'time'
  /** Scrolled in all, px. */
  travelledPx: number
  /** The list's full height at the end (every loaded row), px. */
  heightPx: number
  /** The oldest message rendered at the end. */
  oldestId?: string
}

export interface HeapSample {
  /** The renderer's JS heap in use after a forced GC. */
  usedBytes: number
  /** DOM nodes alive (Memory.getDOMCounters), after the same GC. */
  domNodes: number
  /** Elements in the document. */
  elements: number
}

export interface ConversationFigures {
  messages: number
  days: number
  /** The first open after the page loaded. */
  firstOpen: OpenTiming
  opens: OpenTiming[]
  scroll: ScrollSample
  /** How many messages back from the newest the scroll reached. */
  reachedBack: number
  heap: { latest: HeapSample, scrolled: HeapSample }
}

export type UiResult =
  | { status: 'skipped' | 'failed', reason: string }
  | {
    status: 'measured'
    chromium: string
    /** The renderer sources are newer than out/renderer. */
    stale: boolean
    viewport: string
    big: ConversationFigures
    small: ConversationFigures
    pageErrors: string[]
  }

/** Runs bench/ui/ui-probe.ts in a fresh process; a failure becomes a result, never a throw. */
export async function measureUi (): Promise<UiResult> {
  const probe = new URL('./ui-probe.ts', import.meta.url)
  try {
    const { line } = await firstLine(['--expose-gc', ...tsxEval(`await import(${JSON.stringify(probe.href)})`)], process.env, 300_000)
    return JSON.parse(line) as UiResult
  } catch (err) {
    return { status: 'failed', reason: (err as Error).message }
  }
}

const TITLE = 'Desktop UI in Chromium'

export function uiSection (result: UiResult): Section {
  switch (result.status) {
    case 'skipped':
      return { title: `${TITLE}: not measured`, rows: [], notes: [result.reason] }
    case 'failed':
      return { title: `${TITLE}: FAILED`, rows: [], notes: [result.reason.replace(/\s+/g, ' ').slice(0, 600)] }
    case 'measured':
      return measuredSection(result)
  }
}

function measuredSection (r: Extract<UiResult, { status: 'measured' }>): Section {
  const { big, small } = r
  const n = big.messages.toLocaleString('en-US')
  const med = (f: ConversationFigures, pick: (t: OpenTiming) => number): number => median(f.opens.map(pick))
  const frameMed = med(big, t => t.frameMs)
  const paintedMed = med(big, t => t.paintedMs)
  const frames = (s: ScrollSample): string => `${median(s.frames).toFixed(1)} / ${percentile(s.frames, 95).toFixed(1)} / ${max(s.frames).toFixed(1)} ms`
  const longOnes = (s: ScrollSample): number[] => s.longTasks.filter(ms => ms > UI_GOALS.longTaskMs)
  const longText = (s: ScrollSample): string => {
    const l = longOnes(s)
    return l.length === 0 ? 'none' : `${l.length}, longest ${fmtMs(max(l))}`
  }
  const jumpCount = (s: ScrollSample): number => s.jumps.length + s.lost
  const jumpText = (s: ScrollSample): string => {
    if (jumpCount(s) === 0) return 'none'
    return s.lost > 0 ? `${jumpCount(s)} (${s.lost} off-screen)` : `${jumpCount(s)}, up to ${Math.round(max(s.jumps))} px`
  }
  const px = (v: number): string => `${Math.round(v).toLocaleString('en-US')} px`
  const back = big.reachedBack.toLocaleString('en-US')
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

  const notes = [
    `baseline column: the same in a ${small.messages}-message conversation with another contact. Chromium ${r.chromium} headless, --disable-gpu, ${r.viewport}, the built renderer over the loopback bridge to a HearthHost.`,
    `times are taken in the page from the click event's time stamp; "frame with messages" is the animation frame after the first .bubble is in the DOM, "painted" a task posted from that frame. Opens alternate between the two conversations.`,
    `the scroll moves scrollTop ${UI_CONFIG.stepPx} px up each animation frame; frame time is the interval between animation frames; long tasks come from a PerformanceObserver('longtask'). A jump: the row under the middle of the list did not move by exactly the step.`,
    `the scroll travelled ${px(big.scroll.travelledPx)} in all; the ${back} messages it reached measure about ${px(big.scroll.heightPx)}.`
  ]
  if (big.scroll.stop !== 'target') notes.push(`the scroll stopped short (${big.scroll.stop === 'top' ? `at the top for ${UI_CONFIG.topFrames} frames with nothing older arriving` : `after ${seconds(UI_CONFIG.scrollMaxMs)}`}), ${back} messages back.`)
  if (big.scroll.stalls > 0) notes.push(`a stall: the list sat at the very top for ${UI_CONFIG.nudgeFrames} frames with no older page coming, until the scroll went 1 px down and up again (${big.scroll.atTopFrames} frames spent waiting at the top).`)
  if (r.stale) notes.push('out/renderer is OLDER than src/renderer or src/shared: these figures are for the last build (run `npm run build`).')
  if (r.pageErrors.length > 0) notes.push(`the page reported ${r.pageErrors.length} error(s), first: ${r.pageErrors[0]?.slice(0, 200)}`)

  return {
    title: `${TITLE}: ${n} messages with one contact over ${big.days} days`,
    rows: [
      { label: `open: click → frame with messages, p50 of ${big.opens.length}`, hearth: fmtMs(frameMed), baseline: fmtMs(med(small, t => t.frameMs)), goal: `< ${UI_GOALS.firstPaintMs} ms`, ok: frameMed < UI_GOALS.firstPaintMs },
      { label: '  click → that frame painted, p50 / max', hearth: `${fmtMs(paintedMed)} / ${fmtMs(max(big.opens.map(t => t.paintedMs)))}`, baseline: `${fmtMs(med(small, t => t.paintedMs))} / ${fmtMs(max(small.opens.map(t => t.paintedMs)))}`, goal: `< ${UI_GOALS.firstPaintMs} ms`, ok: paintedMed < UI_GOALS.firstPaintMs },
      { label: '  click → \'conversation-shown\' mark, p50', hearth: fmtMs(med(big, t => t.markMs)), baseline: fmtMs(med(small, t => t.markMs)) },
      { label: '  first open after page load: frame / mark', hearth: `${fmtMs(big.firstOpen.frameMs)} / ${fmtMs(big.firstOpen.markMs)}`, baseline: `${fmtMs(small.firstOpen.frameMs)} / ${fmtMs(small.firstOpen.markMs)}` },
      { label: `scroll up ${back} messages (${Math.round(big.reachedBack / 50)} pages)`, hearth: `${big.scroll.frames.length} frames, ${seconds(big.scroll.ms)}`, baseline: `${small.scroll.frames.length} frames, ${small.reachedBack} messages` },
      { label: '  frame time p50 / p95 / max', hearth: frames(big.scroll), baseline: frames(small.scroll) },
      { label: `  long tasks over ${UI_GOALS.longTaskMs} ms`, hearth: longText(big.scroll), baseline: longText(small.scroll), goal: 'none', ok: longOnes(big.scroll).length === 0 },
      { label: '  frames where the view jumped', hearth: jumpText(big.scroll), baseline: jumpText(small.scroll), goal: 'none', ok: jumpCount(big.scroll) === 0 },
      { label: '  stalls at the top until scrolled again', hearth: String(big.scroll.stalls), baseline: String(small.scroll.stalls), goal: 'none', ok: big.scroll.stalls === 0 },
      { label: 'renderer JS heap after GC, latest page open', hearth: fmtMiB(big.heap.latest.usedBytes), baseline: fmtMiB(small.heap.latest.usedBytes) },
      { label: `  after scrolling ${back} back`, hearth: fmtMiB(big.heap.scrolled.usedBytes), baseline: fmtMiB(small.heap.scrolled.usedBytes) },
      { label: '  DOM elements in the page then', hearth: big.heap.scrolled.elements.toLocaleString('en-US'), baseline: small.heap.scrolled.elements.toLocaleString('en-US') }
    ],
    notes
  }
}
