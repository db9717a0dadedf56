/**
 * Run in a fresh process by the benchmark (see ui-report.ts): measures the
 * desktop UI, releases everything it started, and prints the result as one
 * JSON line. Progress goes to stderr.
 */
import { Resources } from '../resources.js'
import { runUiBench } from './ui-bench.js'
import { UI_CONFIG, type UiResult } from './ui-report.js'

const resources = new Resources()
// Ctrl-C reaches this process too: Chromium, the host and the temp dir still go.
process.once('SIGINT', () => {
  void resources.releaseAll().finally(() => process.exit(130))
})
let result: UiResult
try {
  result = await runUiBench(UI_CONFIG, resources)
} catch (err) {
  console.error('bench ui: failed -', err)
  result = { status: 'failed', reason: (err as Error).message }
} finally {
  await resources.releaseAll()
}
process.stdout.write(JSON.stringify(result) + '\n')
