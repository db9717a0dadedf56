/**
 * `npm run bench`: Hearth's speed figures next to a bare libp2p baseline
 * measured in the same run. Nothing is asserted; each figure is printed
 * with its goal. Progress goes to stderr, the table to stdout.
 */
import { readFile } from 'node:fs/promises'
import { cpus, platform, arch, loadavg, totalmem, tmpdir } from 'node:os'
import { DEFAULT_SCRYPT } from '../src/main/core/crypto/index.js'
import { befriend, openPeer, type TestPeer } from '../test/fixtures/peers.js'
import { createProductionProfile, timeColdStarts, type ColdStart } from './cold-start.js'
import { runHearthChat, type ChatResult, type Trip } from './hearth-chat.js'
import { groupSection, runGroups, type GroupResult } from './groups.js'
import { buildHistory, timePages, timeSyncedWrites, type HistoryBuild, type PageTimes } from './history.js'
import { runProbe, firstLine } from './processes.js'
import { runRawBaseline, type RawResult } from './raw-libp2p.js'
import { renderTable, type Section } from './report.js'
import { Resources } from './resources.js'
import { HearthHost } from '../src/main/core/host.js'
import { fmtMiB, fmtMs, fmtRate, max, median, percentile, rssNow } from './stats.js'
import { measureUi, uiSection, UI_CONFIG, type UiResult } from './ui/ui-report.js'

const CONFIG = {
  warmup: 20,
  sequential: 300,
  pipelined: 2_000,
  payloadBytes: 40,
  /** A message not delivered within this long counts as stalled (the loopback round trip is well under 10 ms). */
  stallMs: 2_000,
  /** A stalled burst is reported after this long without a delivery, not waited on forever. */
  idleMs: 15_000,
  history: 100_000,
  historyBatch: 5_000,
  pageLimit: 50,
  pageRepeats: 30,
  syncedWrites: 100,
  coldRuns: 5,
  groups: {
    sizes: [2, 4, 8, 16, 32],
    detailed: [8, 16],
    warmup: 5,
    sends: 20,
    detailedSends: 100,
    stallMs: 5_000,
    joinMs: 10_000,
    formMs: 30_000,
    burstMessages: 200,
    catchUp: { size: 8, messages: 1_000, idleMs: 15_000 }
  }
} as const

const GOALS = {
  latencyFactor: 2,
  /** A 16-member group's delivery to every member, against the 1:1 delivered-ack latency. */
  groupFanoutFactor: 3,
  pageMs: 20,
  readyMinusKdfMs: 1_000
} as const

function progress (step: string): void {
  process.stderr.write(`bench: ${step}…\n`)
}

/** `--only groups`: the chat (which the groups are set against, with its baseline) and the groups, nothing else. */
function parseArgs (args: string[]): { only?: 'groups' } {
  if (args.length === 0) return {}
  if (args.length === 2 && args[0] === '--only' && args[1] === 'groups') return { only: 'groups' }
  throw new UsageError(`unknown arguments: ${args.join(' ')} (usage: npm run bench [-- --only groups])`)
}

class UsageError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** The filesystem the temp dirs (and so every store here) live on: fsync cost depends on it. */
async function tmpFilesystem (): Promise<string> {
  try {
    const dir = tmpdir()
    let best = { mount: '', type: 'unknown' }
    for (const line of (await readFile('/proc/mounts', 'utf8')).split('\n')) {
      const [, mount, type] = line.split(' ')
      if (mount == null || type == null) continue
      const covers = dir === mount || dir.startsWith(mount.endsWith('/') ? mount : `${mount}/`)
      if (covers && mount.length >= best.mount.length) best = { mount, type }
    }
    return `${dir} on ${best.type}`
  } catch {
    return tmpdir()
  }
}

async function machineHeader (): Promise<string[]> {
  const cpu = cpus()
  return [
    `Hearth benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `  CPU   ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `  Node  ${process.version} (${platform()} ${arch()})`,
    `  disk  temp dirs in ${await tmpFilesystem()}`,
    // Other work on a shared machine moves the figures; this shows how busy it was.
    `  load  ${loadavg().map(l => l.toFixed(2)).join(' ')} (1/5/15 min) when the run started`
  ]
}

interface ChatFigures {
  raw: RawResult
  chat: ChatResult
  syncedMs: number[]
}

interface OtherFigures {
  build: HistoryBuild
  openMs: number
  pages: PageTimes
  cold: ColdStart
  rss: { bare: number, loaded: number, history: number, historyHeap: number, historyPage: number, benchProcess: number }
  /** Panic wipe of the history profile: keys destroyed, then the directory. */
  wipeMs: number
  ui: UiResult
}

interface Figures extends ChatFigures {
  /** Absent with --only groups. */
  other?: OtherFigures
  groups: GroupResult
}

async function openPair (resources: Resources): Promise<[TestPeer, TestPeer]> {
  const a = await openPeer(await resources.tempDir('alice'), 'Alice')
  resources.defer('close Alice', async () => a.hearth.close())
  const b = await openPeer(await resources.tempDir('bob'), 'Bob')
  resources.defer('close Bob', async () => b.hearth.close())
  await befriend(a, b)
  return [a, b]
}

async function measureChat (resources: Resources): Promise<ChatFigures> {
  progress('raw libp2p baseline')
  const raw = await runRawBaseline(CONFIG)

  progress('Hearth chat between two peers')
  const [alice, bob] = await openPair(resources)
  const chat = await runHearthChat(alice.hearth, bob.hearth, CONFIG)
  await alice.hearth.close()
  await bob.hearth.close()
  const syncedMs = await timeSyncedWrites(await resources.tempDir('fsync'), CONFIG.syncedWrites)
  return { raw, chat, syncedMs }
}

async function measureOther (resources: Resources): Promise<OtherFigures> {
  progress(`building a ${CONFIG.history.toLocaleString('en-US')}-message history`)
  const historyDir = await resources.tempDir('history')
  const owner = await openPeer(historyDir, 'History')
  resources.defer('close the history owner', async () => owner.hearth.close())
  const selfId = owner.hearth.peerId
  await owner.hearth.close()
  const build = await buildHistory(historyDir, selfId, CONFIG.history, CONFIG.historyBatch)

  progress('paging through it')
  const t0 = performance.now()
  const reopened = await openPeer(historyDir, 'History')
  const openMs = performance.now() - t0
  resources.defer('close the history peer', async () => reopened.hearth.close())
  const pages = await timePages(reopened.hearth, build.peerId, { limit: CONFIG.pageLimit, repeats: CONFIG.pageRepeats })
  const benchProcess = rssNow()
  await reopened.hearth.close()

  progress('memory in fresh processes')
  const bareLine = await firstLine(['--expose-gc', '-e', 'globalThis.gc(); process.stdout.write(JSON.stringify(process.memoryUsage()) + "\\n")'])
  const bare = (JSON.parse(bareLine.line) as { rss: number }).rss
  const probe = new URL('./rss-probe.ts', import.meta.url)
  const loaded = (await runProbe<{ rss: number }>(probe, [])).rss
  const history = await runProbe<{ rss: number, heapUsed: number, page: number }>(probe, [historyDir, build.peerId])

  progress('panic wipe of the history profile')
  const wipeStart = performance.now()
  await new HearthHost({ dataDir: historyDir }).wipe()
  const wipeMs = performance.now() - wipeStart

  progress('cold starts of bin/hearth.js')
  const coldDir = await resources.tempDir('cold')
  await createProductionProfile(coldDir)
  const cold = await timeColdStarts(coldDir, CONFIG.coldRuns)

  progress(`desktop UI in Chromium on a ${UI_CONFIG.bigMessages.toLocaleString('en-US')}-message conversation (a fresh process)`)
  const ui = await measureUi()

  return { build, openMs, pages, wipeMs, cold, rss: { bare, loaded, history: history.rss, historyHeap: history.heapUsed, historyPage: history.page, benchProcess }, ui }
}

async function measure (resources: Resources, only?: 'groups'): Promise<Figures> {
  const chat = await measureChat(resources)
  // The groups come last: their dozens of peers leave this process's RSS
  // higher, which would blur the memory figures measured here.
  const other = only == null ? await measureOther(resources) : undefined
  const groups = await runGroups(resources, CONFIG.groups, progress)
  return { ...chat, ...(other != null ? { other } : {}), groups }
}

function report (f: Figures): Section[] {
  const rawP50 = median(f.raw.latencyMs)
  // A stalled message counts as slower than any delivered one.
  const trips = f.chat.sequential
  const delivered = trips.map(t => t.delivered ?? Number.POSITIVE_INFINITY)
  const stalled = delivered.filter(ms => !Number.isFinite(ms)).length
  const hearthP50 = median(delivered)
  const hearthP99 = percentile(delivered, 99)
  const stage = (pick: (t: Trip) => number | undefined): string => fmtMs(median(trips.map(pick).filter((ms): ms is number => ms != null)))
  const rawRate = CONFIG.pipelined / (f.raw.pipelinedMs / 1000)
  const p = f.chat.pipelined
  const hearthRate = p.sent / (p.deliveredMs / 1000)
  const orStalled = (ms: number): string => Number.isFinite(ms) ? fmtMs(ms) : `> ${fmtMs(CONFIG.stallMs)}`

  const chatNotes = [
    `Hearth: messages.send to the sender's 'delivered' status; raw: ${CONFIG.payloadBytes}-byte payload, 1-byte ack, one stream, no disk.`,
    'Each Hearth message is sealed and written durably twice (by the sender before messages.send returns, by the receiver before it acks; concurrent sends share one write), plus two unsynced status writes (sent, delivered).'
  ]
  if (stalled > 0) {
    const inTime = delivered.filter(ms => Number.isFinite(ms))
    chatNotes.push(`${stalled} of ${trips.length} messages stalled (not delivered ${fmtMs(CONFIG.stallMs)} after the send; the run then sent the next one). Without them: p50 ${fmtMs(median(inTime))}, p99 ${fmtMs(percentile(inTime, 99))}.`)
  }
  if (p.delivered < p.sent) chatNotes.push(`the burst STALLED: ${p.delivered}/${p.sent} delivered, then nothing for ${fmtMs(CONFIG.idleMs)}.`)

  const chatSection: Section = {
    title: 'Chat over 127.0.0.1',
    rows: [
      { label: `delivered-ack latency p50 (${trips.length} in turn)`, hearth: orStalled(hearthP50), baseline: `${fmtMs(rawP50)} round trip`, goal: `≤ ${GOALS.latencyFactor}× raw = ${fmtMs(GOALS.latencyFactor * rawP50)}`, ok: hearthP50 <= GOALS.latencyFactor * rawP50 },
      { label: 'delivered-ack latency p99', hearth: orStalled(hearthP99), baseline: fmtMs(percentile(f.raw.latencyMs, 99)) },
      { label: `messages stalled (not delivered in ${fmtMs(CONFIG.stallMs)})`, hearth: `${stalled} of ${trips.length}`, goal: 'none', ok: stalled === 0 },
      { label: '  p50 path: stored / sent / at Bob / delivered', hearth: `${stage(t => t.stored)} / ${stage(t => t.sent)} / ${stage(t => t.received)} / ${stage(t => t.delivered)}` },
      { label: `${CONFIG.pipelined.toLocaleString('en-US')} pipelined, until all delivered`, hearth: p.delivered === p.sent ? fmtRate(hearthRate) : `${p.delivered}/${p.sent} delivered`, baseline: `${fmtRate(rawRate)} (per-msg ack)`, goal: '≥ raw', ok: p.delivered === p.sent && hearthRate >= rawRate },
      { label: '  same burst: wall time', hearth: fmtMs(p.deliveredMs), baseline: fmtMs(f.raw.pipelinedMs) },
      { label: '  same burst: all messages.send returned', hearth: fmtMs(p.sendsMs) },
      { label: 'one synced store write, p50 / p99 (context)', hearth: `${fmtMs(median(f.syncedMs))} / ${fmtMs(percentile(f.syncedMs, 99))}` }
    ],
    notes: chatNotes
  }
  const groupReference = {
    chatDeliveredMs: hearthP50,
    chatReceivedMs: median(trips.map(t => t.received).filter((ms): ms is number => ms != null)),
    rawRoundTripMs: rawP50,
    chatBurstRate: p.delivered === p.sent ? hearthRate : Number.NaN,
    factor: GOALS.groupFanoutFactor
  }
  return [
    chatSection,
    ...(f.other != null ? otherSections(f.other) : []),
    groupSection(f.groups, groupReference, CONFIG.groups)
  ]
}

function otherSections (f: OtherFigures): Section[] {
  const pageP50 = median(f.pages.latestMs)
  const pageMax = max(f.pages.latestMs)
  const readyMedian = median(f.cold.readyMs)
  const kdfMedian = median(f.cold.kdfMs)
  const n = CONFIG.history.toLocaleString('en-US')
  const pageGoal = `< ${GOALS.pageMs} ms`
  const under = (ms: number): boolean => ms < GOALS.pageMs

  return [
    {
      title: `History: ${n} messages in one conversation (written in ${fmtMs(f.build.buildMs)})`,
      rows: [
        { label: 'Hearth.open on that profile', hearth: fmtMs(f.openMs) },
        { label: `latest ${CONFIG.pageLimit}, first call after open`, hearth: fmtMs(f.pages.firstMs), goal: pageGoal, ok: under(f.pages.firstMs) },
        { label: `latest ${CONFIG.pageLimit}, p50 of ${f.pages.latestMs.length}`, hearth: fmtMs(pageP50), goal: pageGoal, ok: under(pageP50) },
        { label: `latest ${CONFIG.pageLimit}, max of ${f.pages.latestMs.length}`, hearth: fmtMs(pageMax), goal: pageGoal, ok: under(pageMax) },
        { label: `${CONFIG.pageLimit} further back (before=), p50 / max`, hearth: `${fmtMs(median(f.pages.backMs))} / ${fmtMs(max(f.pages.backMs))}`, goal: pageGoal, ok: under(max(f.pages.backMs)) },
        { label: 'panic wipe of that profile (keys, then all)', hearth: fmtMs(f.wipeMs), goal: '< 1000 ms', ok: f.wipeMs < 1000 }
      ],
      notes: f.pages.shortPages > 0 ? [`${f.pages.shortPages} pages came back with fewer than ${CONFIG.pageLimit} messages.`] : []
    },
    {
      title: 'Cold start: bin/hearth.js --rpc to its ready line (existing profile)',
      rows: [
        { label: `start → ready, median of ${f.cold.readyMs.length}`, hearth: fmtMs(readyMedian), baseline: `node -e: ${fmtMs(median(f.cold.bareNodeMs))}`, goal: `< 1 s + KDF = ${fmtMs(GOALS.readyMinusKdfMs + kdfMedian)}`, ok: readyMedian < GOALS.readyMinusKdfMs + kdfMedian },
        { label: '  min / max / first spawn', hearth: `${fmtMs(Math.min(...f.cold.readyMs))} / ${fmtMs(max(f.cold.readyMs))} / ${fmtMs(f.cold.firstMs)}` },
        { label: `KDF: scrypt N=2^${DEFAULT_SCRYPT.logN} r=${DEFAULT_SCRYPT.r} in-process, median`, hearth: fmtMs(kdfMedian) },
        { label: 'start → ready minus KDF', hearth: fmtMs(readyMedian - kdfMedian), goal: `< ${fmtMs(GOALS.readyMinusKdfMs)}`, ok: readyMedian - kdfMedian < GOALS.readyMinusKdfMs },
        { label: '  of which node + tsx loading the CLI code', hearth: fmtMs(median(f.cold.loadOnlyMs)) }
      ],
      notes: ['bin/hearth.js compiles TypeScript on the fly with tsx (cached on disk after the first run); a built app would not.']
    },
    {
      title: 'Memory: RSS after gc, each in a fresh process',
      rows: [
        { label: `Hearth on the ${n} history, latest page`, hearth: fmtMiB(f.rss.history), baseline: `bare node: ${fmtMiB(f.rss.bare)}` },
        { label: '  its JS heap in use', hearth: fmtMiB(f.rss.historyHeap) },
        { label: 'Hearth code loaded (tsx), nothing opened', hearth: fmtMiB(f.rss.loaded) },
        { label: 'this bench process at the same point', hearth: fmtMiB(f.rss.benchProcess) }
      ],
      notes: [
        ...(f.rss.historyPage !== CONFIG.pageLimit ? [`the probe's page had ${f.rss.historyPage} messages`] : []),
        'RSS varies by a few MiB between identical runs; the bench process also ran both chat peers and wrote the history.'
      ]
    },
    uiSection(f.ui)
  ]
}

const resources = new Resources()
// Ctrl-C still stops the peers and removes the temp dirs.
process.once('SIGINT', () => {
  void resources.releaseAll().finally(() => process.exit(130))
})
try {
  const header = await machineHeader()
  const { only } = parseArgs(process.argv.slice(2))
  const figures = await measure(resources, only)
  process.stdout.write('\n' + renderTable(header, report(figures)))
} catch (err) {
  console.error('bench: failed -', err)
  process.exitCode = 1
} finally {
  await resources.releaseAll()
}
