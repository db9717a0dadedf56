/**
 * Global setup of the hostile project: names a fresh file for this run's
 * figures, and prints their summary when the run ends, so that
 * `npm run test:hostile` ends with it.
 */
import type { TestProject } from 'vitest/node'
import { formatSummary, keepSummary, newSummaryFile, readSummary } from '../fixtures/hostile-summary.js'

export default function setup (project: TestProject): () => void {
  const file = newSummaryFile()
  project.provide('hostileSummaryFile', file)
  return () => {
    process.stdout.write(formatSummary(readSummary(file)))
    keepSummary(file)
  }
}
