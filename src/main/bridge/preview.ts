/**
 * `npm run preview:web`: the built renderer and the bridge on 127.0.0.1, for
 * development and demos where Electron cannot run. Prints the tokened URL
 * to open, and does nothing else until stopped (Ctrl-C locks and exits).
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { HearthHost } from '../core/host.js'
import { startBridge } from './bridge.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    'no-mdns': { type: 'boolean' },
    listen: { type: 'string', multiple: true }
  },
  strict: true
})

const host = new HearthHost({
  dataDir: resolve(values.data ?? join(homedir(), '.hearth')),
  mdns: values['no-mdns'] !== true,
  ...(values.listen != null ? { listen: values.listen } : {})
})
const bridge = await startBridge({
  host,
  rendererDir: fileURLToPath(new URL('../../../out/renderer', import.meta.url)),
  port: values.port != null ? Number(values.port) : 0
})
process.stdout.write(`Hearth is at ${bridge.url}\n`)

const stop = (): void => {
  void host.lock().then(async () => bridge.close()).finally(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
