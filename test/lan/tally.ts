/**
 * The LAN suite's figures: what was sent, delivered, duplicated and lost,
 * and which faults were injected. The test worker writes them to a JSON file
 * as it goes; the global setup's teardown prints them at the end of the run.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const SUMMARY_FILE = fileURLToPath(new URL('../../test-results/lan-summary.json', import.meta.url))

interface PhaseFigures {
  phase: string
  sent: number
  delivered: number
  duplicates: number
  lost: number
}

interface Faults {
  linkDowns: number
  kills: number
  /** Clean shutdowns (EOF on stdin) in the middle of the traffic. */
  stops: number
  /** Every start of a peer after its first. */
  restarts: number
}

interface LanFigures {
  hosts: number
  subnet: string
  phases: PhaseFigures[]
  faults: Faults
  /** contact.identityMismatch notifications over the whole run (an honest LAN should raise none). */
  identityAlarms: number
  /** One line each: what a phase observed (offline times, where a kill landed). */
  notes: string[]
}

export class Tally {
  readonly figures: LanFigures

  constructor (hosts: number, subnet: string) {
    this.figures = { hosts, subnet, phases: [], faults: { linkDowns: 0, kills: 0, stops: 0, restarts: 0 }, identityAlarms: 0, notes: [] }
    this.save()
  }

  /** Adds a phase's delivery figures (several calls for one phase add up). */
  record (phase: string, figures: Omit<PhaseFigures, 'phase'>): void {
    let row = this.figures.phases.find(p => p.phase === phase)
    if (row == null) {
      row = { phase, sent: 0, delivered: 0, duplicates: 0, lost: 0 }
      this.figures.phases.push(row)
    }
    row.sent += figures.sent
    row.delivered += figures.delivered
    row.duplicates += figures.duplicates
    row.lost += figures.lost
    this.save()
  }

  note (line: string): void {
    this.figures.notes.push(line)
    this.save()
  }

  identityAlarms (count: number): void {
    this.figures.identityAlarms = count
    this.save()
  }

  fault (kind: keyof Faults): void {
    this.figures.faults[kind]++
    this.save()
  }

  private save (): void {
    mkdirSync(dirname(SUMMARY_FILE), { recursive: true })
    writeFileSync(SUMMARY_FILE, JSON.stringify(this.figures, null, 2) + '\n')
  }
}

export function clearSummary (): void {
  rmSync(SUMMARY_FILE, { force: true })
}

export function readSummary (): LanFigures | undefined {
  try {
    return JSON.parse(readFileSync(SUMMARY_FILE, 'utf8')) as LanFigures
  } catch {
    return undefined
  }
}

/** A compact table of the figures. */
export function formatSummary (f: LanFigures): string {
  const total: PhaseFigures = { phase: 'total', sent: 0, delivered: 0, duplicates: 0, lost: 0 }
  for (const p of f.phases) {
    total.sent += p.sent
    total.delivered += p.delivered
    total.duplicates += p.duplicates
    total.lost += p.lost
  }
  const width = Math.max(...f.phases.map(p => p.phase.length), 6)
  const row = (cells: Array<string | number>): string => `  ${String(cells[0]).padEnd(width)}${cells.slice(1).map(c => String(c).padStart(11)).join('')}`
  const figures = (p: PhaseFigures): string => row([p.phase, p.sent, p.delivered, p.duplicates, p.lost])
  const { linkDowns, kills, stops, restarts } = f.faults
  return [
    `LAN summary: ${f.hosts} hosts, each in its own network namespace, on one bridge (${f.subnet}), real mDNS`,
    row(['phase', 'sent', 'delivered', 'duplicates', 'lost']),
    ...f.phases.map(figures),
    row(['total', total.sent, total.delivered, total.duplicates, total.lost]),
    `  faults injected: ${linkDowns} link down, ${kills} kill -9, ${stops} clean stop; ${restarts} restarts`,
    `  identity alarms (contact.identityMismatch): ${f.identityAlarms}`,
    ...f.notes.map(n => `  ${n}`)
  ].join('\n')
}
