/**
 * The desktop UI as a user meets it, timed: the built renderer in Debian's
 * Chromium (headless), through the loopback bridge, against a real
 * HearthHost whose profile already holds a long conversation and a short
 * one. Everything is measured inside the page with its own clock.
 */
import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CDPSession, Page } from 'playwright-core'
import { startBridge } from '../../src/main/bridge/bridge.js'
import { HearthHost } from '../../src/main/core/host.js'
import { CHROMIUM, launchChromium } from '../../test/fixtures/browser.js'
import { RENDERER_DIR } from '../../test/fixtures/desktop.js'
import { PASSPHRASE, TEST_KDF } from '../../test/fixtures/peers.js'
import type { Resources } from '../resources.js'
import { armOpen, countElements, readOpen, scrollLog } from './in-page.js'
import type { ConversationFigures, HeapSample, OpenTiming, ScrollSample, UiConfig, UiResult } from './ui-report.js'
import { writeUiProfile, type BuiltConversation } from './ui-profile.js'

const VIEWPORT = { width: 1180, height: 760 }
/** After an open: the read receipt (150 ms debounce) and the list refresh that follows it. */
const SETTLE_MS = 400
/** A conversation that has not shown by then never will: fail rather than hang. */
const OPEN_TIMEOUT_MS = 15_000

function progress (step: string): void {
  process.stderr.write(`bench ui: ${step}…\n`)
}

/** The newest modification time of any file under `dir`. */
async function newestUnder (dir: string): Promise<number> {
  let newest = 0
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs)
  }
  return newest
}

/** True when the renderer sources changed after the build in out/renderer. */
async function buildIsStale (): Promise<boolean> {
  const built = (await stat(join(RENDERER_DIR, 'index.html'))).mtimeMs
  const newest = Math.max(
    await newestUnder(fileURLToPath(new URL('../../src/renderer/', import.meta.url))),
    await newestUnder(fileURLToPath(new URL('../../src/shared/', import.meta.url)))
  )
  return newest > built
}

export async function runUiBench (config: UiConfig, resources: Resources): Promise<UiResult> {
  if (!existsSync(CHROMIUM)) return { status: 'skipped', reason: `Chromium was not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)` }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return { status: 'skipped', reason: 'the renderer is not built (run `npm run build` first)' }
  const stale = await buildIsStale()

  progress(`writing a profile with ${config.bigMessages.toLocaleString('en-US')} + ${config.smallMessages} messages`)
  const dataDir = await resources.tempDir('ui')
  const [big, small] = await writeUiProfile(dataDir, [
    { name: 'Maja Lindgren', messages: config.bigMessages, days: config.bigDays, endsAgoMs: 5 * 60_000 },
    { name: 'Sam Okafor', messages: config.smallMessages, days: 2, endsAgoMs: 3 * 3_600_000 }
  ])
  if (big == null || small == null) throw new Error('the profile has no conversations')

  const host = new HearthHost({ dataDir, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, kdf: TEST_KDF })
  resources.defer('lock the UI bench host', async () => host.lock())
  await host.open(PASSPHRASE, { create: false })
  const bridge = await startBridge({ host, rendererDir: RENDERER_DIR })
  resources.defer('close the bridge', async () => bridge.close())

  progress('starting Chromium')
  const browser = await launchChromium()
  resources.defer('close Chromium', async () => browser.close())
  const context = await browser.newContext({ viewport: VIEWPORT })
  // tsx compiles this file with esbuild's keepNames, which wraps the in-page
  // functions' inner functions in a `__name` helper the page does not have.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn' })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (err) => { pageErrors.push(err.message) })
  page.on('console', (msg) => { if (msg.type() === 'error') pageErrors.push(msg.text()) })
  const cdp = await context.newCDPSession(page)

  await load(page, bridge.url)

  progress('opening the conversations')
  const bigFirst = await timeOpen(page, big)
  const bigOpens: OpenTiming[] = []
  const smallOpens: OpenTiming[] = []
  for (let i = 0; i < config.openRuns; i++) {
    smallOpens.push(await timeOpen(page, small))
    bigOpens.push(await timeOpen(page, big))
  }
  const bigLatest = await heap(cdp, page)

  progress(`scrolling ${config.scrollBack.toLocaleString('en-US')} messages back`)
  const bigTarget = big.ids[big.ids.length - config.scrollBack]
  const bigScroll = await page.evaluate(scrollLog, { stepPx: config.stepPx, maxMs: config.scrollMaxMs, nudgeFrames: config.nudgeFrames, topFrames: config.topFrames, ...(bigTarget != null ? { targetId: bigTarget } : {}) })
  await page.waitForTimeout(SETTLE_MS)
  const bigScrolled = await heap(cdp, page)

  progress('the short conversation in a fresh page')
  await load(page, bridge.url)
  const smallFirst = await timeOpen(page, small)
  const smallLatest = await heap(cdp, page)
  const smallScroll = await page.evaluate(scrollLog, { stepPx: config.stepPx, maxMs: config.scrollMaxMs, nudgeFrames: config.nudgeFrames, topFrames: config.topFrames })
  await page.waitForTimeout(SETTLE_MS)
  const smallScrolled = await heap(cdp, page)

  const figures = (conv: BuiltConversation, first: OpenTiming, opens: OpenTiming[], scroll: ScrollSample, latest: HeapSample, scrolled: HeapSample): ConversationFigures => {
    const oldest = scroll.oldestId == null ? -1 : conv.ids.indexOf(scroll.oldestId)
    return { messages: conv.ids.length, days: conv.days, firstOpen: first, opens, scroll, reachedBack: oldest < 0 ? 0 : conv.ids.length - oldest, heap: { latest, scrolled } }
  }
  return {
    status: 'measured',
    chromium: browser.version(),
    stale,
    viewport: `${VIEWPORT.width}×${VIEWPORT.height}`,
    big: figures(big, bigFirst, bigOpens, bigScroll, bigLatest, bigScrolled),
    small: figures(small, smallFirst, smallOpens, smallScroll, smallLatest, smallScrolled),
    pageErrors
  }
}

/** Loads (or reloads) the app, already unlocked, up to its conversation list. */
async function load (page: Page, url: string): Promise<void> {
  await page.goto('about:blank')
  await page.goto(url)
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button').first().waitFor()
}

function conversationButton (page: Page, conv: BuiltConversation): ReturnType<Page['getByRole']> {
  return page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: conv.name })
}

/** Clicks a conversation in the sidebar and times it to the first frame with its messages. */
async function timeOpen (page: Page, conv: BuiltConversation): Promise<OpenTiming> {
  const button = conversationButton(page, conv)
  // Playwright's actionability checks happen before the click; the clock starts at the click event.
  await button.waitFor()
  await page.evaluate(armOpen, `Conversation with ${conv.name}`)
  await button.click()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new Error(`the conversation with ${conv.name} did not show within ${OPEN_TIMEOUT_MS} ms`)) }, OPEN_TIMEOUT_MS)
  })
  const timing = await Promise.race([page.evaluate(readOpen), timeout]).finally(() => { clearTimeout(timer) })
  await page.waitForTimeout(SETTLE_MS)
  return timing
}

/** The renderer's JS heap in use after a full garbage collection, and the DOM's size. */
async function heap (cdp: CDPSession, page: Page): Promise<HeapSample> {
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  const { nodes } = await cdp.send('Memory.getDOMCounters')
  return { usedBytes: usedSize, domNodes: nodes, elements: await page.evaluate(countElements) }
}
