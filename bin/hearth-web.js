#!/usr/bin/env node
// Serves the built renderer and the loopback bridge (see src/main/bridge/preview.ts).
import { register } from 'tsx/esm/api'

register()
await import('../src/main/bridge/preview.ts')
