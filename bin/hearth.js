#!/usr/bin/env node
// Runs the headless peer from source: tsx compiles the TypeScript on the fly.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/main.ts')
// Everything is closed by now; exit even if a library left a timer behind.
process.exit(await main(process.argv.slice(2)))
