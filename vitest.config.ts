import { resolve } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration tests bind ports and spawn peers; two workers suit two cores.
          maxWorkers: 2
        }
      },
      {
        // Hostile peers: a raw libp2p node written in the test, floods, spoofing, fuzzing.
        test: {
          name: 'hostile',
          include: ['test/hostile/**/*.test.ts'],
          // Clears the figures before the run and prints their summary after it.
          globalSetup: ['test/hostile/summary.setup.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          maxWorkers: 1
        }
      },
      {
        // Three hosts in Linux network namespaces on one bridge (needs root; skips, saying why, without).
        test: {
          name: 'lan',
          include: ['test/lan/**/*.test.ts'],
          // Probes for root and `ip netns`, and prints the summary at the end.
          globalSetup: ['test/lan/global-setup.ts'],
          pool: 'forks',
          testTimeout: 300_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false
        }
      },
      {
        plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/renderer/setup.ts']
        }
      }
    ]
  }
})
