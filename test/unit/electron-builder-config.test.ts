import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Configuration } from 'app-builder-lib'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import { describe, expect, it } from 'vitest'
import { ELECTRON_FUSES } from '../../src/main/app/fuses.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const quietLogger = { isEnabled: false, data: new Map(), add: () => {}, save: async () => {} }

async function load (): Promise<Configuration> {
  return getConfig(ROOT, 'electron-builder.yml', null)
}

describe('Electron fuses', () => {
  it('are exactly the hardened set', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false
    })
    expect(Object.isFrozen(ELECTRON_FUSES)).toBe(true)
  })

  it('are what electron-builder flips', async () => {
    expect((await load()).electronFuses).toEqual(ELECTRON_FUSES)
  })
})

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema', async () => {
    const config = await load()
    await expect(validateConfiguration(config, quietLogger as never)).resolves.toBeUndefined()
    // And the schema does catch mistakes, so the check above means something.
    await expect(validateConfiguration({ ...config, asarr: true } as Configuration, quietLogger as never)).rejects.toThrow(/asarr/)
  })

  it('names the app and builds an AppImage and a .deb for Linux', async () => {
    const config = await load()
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/)
    expect(config.productName).toBe('Hearth')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.linux?.executableName).toBe('hearth')
    expect(config.linux?.icon).toBe('resources/icon.png')
    expect(config.linux?.maintainer).toMatch(/<[^>]+@[^>]+>/)
    expect(config.extraMetadata?.homepage).toMatch(/^https:\/\//)
    expect(config.publish).toBeNull()
  })

  it('packs only the bundles and package.json, into asar, native modules beside it', async () => {
    const config = await load()
    // The loader normalises `files` into file sets; ours is one set with no from/to.
    const sets = (config.files ?? []) as Array<string | { from?: string, to?: string, filter?: string | string[] }>
    const patterns = sets.flatMap(set => typeof set === 'string' ? [set] : (set.from == null && set.to == null ? [set.filter ?? []].flat() : ['<moved set>']))
    expect(patterns.filter(p => !p.startsWith('!'))).toEqual(['out/**', 'package.json'])
    expect(config.asar).toBe(true)
    const unpack = config.asarUnpack as string[]
    expect(unpack).toContain('**/node_modules/classic-level/**')
    expect(unpack).toContain('**/node_modules/@node-datachannel/**')
    expect(config.npmRebuild).toBe(false)
  })

  it('has an icon of at least 256×256 pixels', async () => {
    const png = await readFile(new URL('../../resources/icon.png', import.meta.url))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(256)
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16))
  })

  it('is what npm run dist uses', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string, scripts: Record<string, string> }
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --linux AppImage deb')
    expect(pkg.main).toBe('out/main/index.js')
  })
})
