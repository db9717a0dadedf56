#!/usr/bin/env node
// Runs the benchmark from source: tsx compiles the TypeScript on the fly.
import { register } from 'tsx/esm/api'

register()
await import('../bench/run.ts')
