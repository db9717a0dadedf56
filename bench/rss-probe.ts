/**
 * Run in a fresh process by the benchmark: opens Hearth on a data dir,
 * lists the most recent page of one conversation, collects garbage, and
 * prints its own memory use as one JSON line. Without a data dir it only
 * loads Hearth's code, for the cost of the code alone.
 */
import { Hearth } from '../src/main/core/hearth.js'
import { PASSPHRASE, TEST_KDF } from '../test/fixtures/peers.js'

// Started with `node -e`, so the arguments follow the executable directly.
const [dataDir, peerId] = process.argv.slice(1)

function usage (): { rss: number, heapUsed: number, external: number } {
  globalThis.gc?.()
  const { rss, heapUsed, external } = process.memoryUsage()
  return { rss, heapUsed, external }
}

if (dataDir == null || peerId == null) {
  process.stdout.write(JSON.stringify({ loaded: typeof Hearth.open, ...usage() }) + '\n')
} else {
  const hearth = await Hearth.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
  try {
    const page = await hearth.api['messages.list']({ with: peerId, limit: 50 })
    process.stdout.write(JSON.stringify({ page: page.length, ...usage() }) + '\n')
  } finally {
    await hearth.close()
  }
}
