/**
 * A stranger dialing over WebRTC-direct while Hearth's node stops (a lock,
 * a quit). Each STUN binding request with a new ufrag is a new dial. The
 * node must stop cleanly however many arrive: the UDP mux it listens with
 * must not be freed while its thread still hands it a request (that killed
 * the whole process, the desktop app included, with SIGSEGV or an abort).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { StunStopReport } from '../fixtures/stun-stop.js'
import { recordScenario } from '../fixtures/hostile-summary.js'

const STOPS = 100
const CHILD = fileURLToPath(new URL('../fixtures/stun-stop.ts', import.meta.url))

describe('a STUN flood at the WebRTC-direct port', () => {
  it(`lets the node stop cleanly, ${STOPS} times in a row, while the dials keep coming`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(STOPS)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
    const exit = await new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => {
      child.once('exit', (code, signal) => { resolve({ code, signal }) })
    })
    expect({ ...exit, stderr: exit.code === 0 ? '' : err.slice(-2000) }).toEqual({ code: 0, signal: null, stderr: '' })
    const report = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as StunStopReport
    expect(report.stops).toBe(STOPS)
    recordScenario({
      scenario: 'STUN flood while stopping',
      faults: { 'STUN binding requests': report.stunSent },
      notes: [`${report.stops} nodes stopped while ${report.stunSent} STUN binding requests (new WebRTC-direct dials) arrived at their ports; every stop was clean`]
    })
  }, 120_000)
})
