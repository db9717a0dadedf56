/**
 * The LAN project's global setup, in vitest's main process: decides once
 * whether this machine can build network namespaces (and why not), clears
 * leftovers, and at the end removes anything a killed worker left behind and
 * prints the suite's figures.
 */
import { readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { NS_PREFIX, SUBNET_CIDR, deadRun, probeLan, removeLeftoversSync, type LanSupport } from './netns.js'
import { clearSummary, formatSummary, readSummary } from './tally.js'

declare module 'vitest' {
  export interface ProvidedContext {
    hearthLan: { runPrefix: string, support: LanSupport }
  }
}

export default async function setup (project: TestProject): Promise<() => void> {
  const runPrefix = `${NS_PREFIX}${process.pid}`
  const support = await probeLan(runPrefix)
  const cleanup = (): string[] => {
    const left = support.ok ? removeLeftoversSync(runPrefix) : []
    for (const name of readdirSync(tmpdir())) {
      if (name === runPrefix || deadRun(name)) rmSync(join(tmpdir(), name), { recursive: true, force: true, maxRetries: 3 })
    }
    return left
  }
  cleanup()
  // On SIGINT or SIGTERM vitest exits through process.exit without this
  // teardown, and its watchdog then kills the test worker, perhaps in the
  // middle of its own clean-up: this handler runs first, synchronously.
  process.on('exit', cleanup)
  clearSummary()
  project.provide('hearthLan', { runPrefix, support })
  return () => {
    process.off('exit', cleanup)
    const left = cleanup()
    const figures = readSummary()
    const lines = ['']
    if (!support.ok) lines.push(`LAN suite skipped: ${support.reason}`)
    else if (figures == null) lines.push(`LAN summary: no figures were recorded (${SUBNET_CIDR})`)
    else lines.push(formatSummary(figures))
    if (left.length > 0) lines.push(`  removed namespaces the tests left behind: ${left.join(', ')}`)
    process.stdout.write(lines.join('\n') + '\n\n')
  }
}
