/**
 * Cold start of the headless peer (`bin/hearth.js --rpc`) on an existing
 * profile with the production KDF: spawn to the `ready` line. The floor
 * under it (a bare `node -e`), the module loading through tsx, and the KDF
 * alone are measured next to it so the remainder can be seen.
 */
import { deriveKek, DEFAULT_SCRYPT, randomBytes } from '../src/main/core/crypto/index.js'
import { loadOrCreateProfile } from '../src/main/core/store/profile.js'
import { Store } from '../src/main/core/store/store.js'
import { PASSPHRASE } from '../test/fixtures/peers.js'
import { firstLine, HEARTH_BIN, tsxEval } from './processes.js'

export interface ColdStart {
  /** The first spawn, kept apart: tsx's on-disk compile cache may be cold. */
  firstMs: number
  readyMs: number[]
  kdfMs: number[]
  bareNodeMs: number[]
  /** Node start plus tsx compiling and loading every module the CLI imports, without running it. */
  loadOnlyMs: number[]
}

/** Creates a profile with the production KDF (as a user's would be). */
export async function createProductionProfile (dataDir: string): Promise<void> {
  const { store } = await Store.open({ dataDir, passphrase: PASSPHRASE })
  try {
    await loadOrCreateProfile(store, 'Cold')
  } finally {
    await store.close()
  }
}

export async function timeColdStarts (dataDir: string, runs: number): Promise<ColdStart> {
  // Both default transports, as a user's peer starts (WebRTC-direct is the slow one to load).
  const args = [HEARTH_BIN, '--rpc', '--data', dataDir, '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--listen', '/ip4/127.0.0.1/udp/0/webrtc-direct']
  const env = { ...process.env, HEARTH_PASSPHRASE: PASSPHRASE }
  const start = async (): Promise<number> => {
    const { ms, line } = await firstLine(args, env)
    if ((JSON.parse(line) as { method?: string }).method !== 'ready') throw new Error(`the peer's first line was not ready: ${line.slice(0, 200)}`)
    return ms
  }
  const firstMs = await start()
  const readyMs: number[] = []
  for (let i = 0; i < runs; i++) readyMs.push(await start())

  const kdfMs: number[] = []
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    await deriveKek(PASSPHRASE, randomBytes(16), DEFAULT_SCRYPT)
    kdfMs.push(performance.now() - t0)
  }

  const bareNodeMs: number[] = []
  for (let i = 0; i < runs; i++) bareNodeMs.push((await firstLine(['-e', 'process.stdout.write("up\\n")'])).ms)

  const mainUrl = new URL('../src/main/cli/main.ts', import.meta.url).href
  const loadOnlyMs: number[] = []
  for (let i = 0; i < runs; i++) {
    loadOnlyMs.push((await firstLine(tsxEval(`await import(${JSON.stringify(mainUrl)})\nprocess.stdout.write('loaded\\n')`))).ms)
  }
  return { firstMs, readyMs, kdfMs, bareNodeMs, loadOnlyMs }
}
