/**
 * The host of one data directory: locked or unlocked. It serves the whole
 * API contract; lifecycle methods (create, unlock, lock) are its own, and
 * everything else goes to the open Hearth, or fails with LOCKED.
 */
import { EVENT_NAMES, METHOD_NAMES, type ApiHandlers, type Events, type Identity, type ProfileStatus } from '../../shared/api.js'
import { Emitter } from './emitter.js'
import { HearthError } from './errors.js'
import { Hearth, type CoreHandlers, type HearthOptions, type LifecycleMethod } from './hearth.js'
import { createLog } from './log.js'
import { Mutex } from './mutex.js'
import { EpochKeys } from './store/epochs.js'
import { destroyKeyFile } from './store/key-file.js'
import { KEY_FILE, Store } from './store/store.js'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

const log = createLog('host')

/**
 * Where "remember on this device" keeps the passphrase: the OS keychain in
 * the desktop app (Electron safeStorage), nowhere elsewhere.
 */
export interface Keychain {
  /** Whether remembering can work here; if not, a sentence saying why. */
  support: () => { available: true } | { available: false, reason: string }
  has: () => Promise<boolean>
  load: () => Promise<string | undefined>
  save: (passphrase: string) => Promise<void>
  clear: () => Promise<void>
}

/** No keychain: the headless peer and the browser bridge never store the passphrase. */
export const NO_KEYCHAIN: Keychain = {
  support: () => ({ available: false, reason: 'Remembering the passphrase is only possible in the desktop app, with the system keychain.' }),
  has: async () => false,
  load: async () => undefined,
  save: async () => { throw new HearthError('REMEMBER_UNAVAILABLE', 'there is no keychain here') },
  clear: async () => {}
}

export type HostOptions = Omit<HearthOptions, 'passphrase' | 'name'> & { keychain?: Keychain }

export class HearthHost {
  readonly events = new Emitter<Events>(err => { log.error('event listener failed - %e', err) })
  readonly api: ApiHandlers
  readonly #options: HostOptions
  readonly #keychain: Keychain
  readonly #lock = new Mutex()
  #hearth?: Hearth
  #unsubscribe: Array<() => void> = []

  constructor (options: HostOptions) {
    this.#options = options
    this.#keychain = options.keychain ?? NO_KEYCHAIN
    this.api = this.handlers()
  }

  /** The open core, if unlocked. */
  get hearth (): Hearth | undefined {
    return this.#hearth
  }

  async status (): Promise<ProfileStatus> {
    const support = this.#keychain.support()
    return {
      exists: !(await Store.isNew(this.#options.dataDir)),
      unlocked: this.#hearth != null,
      remember: support.available
        ? { available: true, enabled: await this.#keychain.has() }
        : { available: false, reason: support.reason, enabled: false }
    }
  }

  /**
   * Opens the profile. With `create`, a missing profile is created (and an
   * existing one is refused); without it, a missing profile is an error.
   * `remember` true stores the passphrase in the keychain after a successful
   * unlock (refused up front where there is no safe keychain), false removes
   * it, absent leaves it as it is.
   */
  async open (passphrase: string, options: { create: boolean | 'if-missing', name?: string, remember?: boolean }): Promise<Hearth> {
    return this.#lock.run(async () => {
      if (this.#hearth != null) return this.#hearth
      const support = this.#keychain.support()
      if (options.remember === true && !support.available) throw new HearthError('REMEMBER_UNAVAILABLE', support.reason)
      const isNew = await Store.isNew(this.#options.dataDir)
      if (isNew && options.create === false) throw new HearthError('NO_PROFILE', 'there is no profile here yet; create one first')
      if (!isNew && options.create === true) throw new HearthError('PROFILE_EXISTS', 'a profile already exists here; unlock it instead')
      const hearth = await Hearth.open({ ...this.#options, passphrase, name: options.name })
      this.#hearth = hearth
      this.#unsubscribe = EVENT_NAMES.map(name => hearth.events.on(name, (payload) => { this.events.emit(name, payload) }))
      try {
        if (options.remember === true) await this.#keychain.save(passphrase)
        else if (options.remember === false) await this.#keychain.clear()
      } catch (err) {
        // Unlocked but not remembered as asked: say so, and stay locked.
        this.detach()
        await hearth.close()
        throw new HearthError('REMEMBER_UNAVAILABLE', `the system keychain refused to store the passphrase: ${(err as Error).message}`, { cause: err })
      }
      this.events.emit('profile.status', await this.status())
      return hearth
    })
  }

  /**
   * At start-up, unlocks with the remembered passphrase if there is one.
   * A remembered passphrase that no longer works is forgotten.
   */
  async unlockRemembered (): Promise<boolean> {
    if (!this.#keychain.support().available) return false
    const passphrase = await this.#keychain.load()
    if (passphrase == null) return false
    try {
      await this.open(passphrase, { create: false })
      return true
    } catch (err) {
      if (err instanceof HearthError && err.code === 'WRONG_PASSPHRASE') await this.#keychain.clear()
      log('could not unlock with the remembered passphrase: %s', (err as Error).message)
      return false
    }
  }

  /**
   * Panic wipe: the key material is destroyed first (overwritten in place
   * and removed), so the data is unreadable from that moment; then the whole
   * data directory goes, and the core, if it was open, stops. Needs no
   * passphrase: whoever can run Hearth as this user may destroy its data.
   */
  async wipe (): Promise<void> {
    const dataDir = this.#options.dataDir
    await this.#lock.run(async () => {
      await destroyKeyFile(join(dataDir, KEY_FILE))
      await EpochKeys.destroy(dataDir)
      await rm(dataDir, { recursive: true, force: true })
      const hearth = this.detach()
      await hearth?.close().catch(err => { log('closing after the wipe: %s', (err as Error).message) })
      // Closing may have touched the directory again.
      await rm(dataDir, { recursive: true, force: true })
      await this.#keychain.clear()
    })
    this.events.emit('profile.status', await this.status())
  }

  /** Forgets the open core and stops passing on its events; returns it, for closing. */
  private detach (): Hearth | undefined {
    const hearth = this.#hearth
    this.#hearth = undefined
    for (const off of this.#unsubscribe) off()
    this.#unsubscribe = []
    return hearth
  }

  /** Goes offline and drops every key from memory. */
  async lock (): Promise<void> {
    await this.#lock.run(async () => {
      const hearth = this.detach()
      if (hearth == null) return
      await hearth.close()
      this.events.emit('profile.status', await this.status())
    })
  }

  private core (): CoreHandlers {
    if (this.#hearth == null) throw new HearthError('LOCKED', 'Hearth is locked; unlock it first')
    return this.#hearth.api
  }

  private async identity (hearth: Hearth): Promise<Identity> {
    return hearth.api['identity.get']({})
  }

  /** The lifecycle methods are the host's own; every other method in the contract goes to the open core. */
  private handlers (): ApiHandlers {
    const own: Pick<ApiHandlers, LifecycleMethod | 'profile.changePassphrase'> = {
      'profile.status': async () => this.status(),
      'profile.create': async ({ name, passphrase, remember }) => this.identity(await this.open(passphrase, { create: true, name, remember })),
      'profile.unlock': async ({ passphrase, remember }) => this.identity(await this.open(passphrase, { create: false, remember })),
      'profile.forgetDevice': async () => {
        await this.#keychain.clear()
        this.events.emit('profile.status', await this.status())
        return null
      },
      'profile.lock': async () => { await this.lock(); return null },
      'profile.wipe': async () => { await this.wipe(); return null },
      'profile.changePassphrase': async (params) => {
        const result = await this.core()['profile.changePassphrase'](params)
        // A remembered passphrase follows the change, or the next start would fail to unlock.
        if (await this.#keychain.has()) await this.#keychain.save(params.next)
        return result
      }
    }
    const api: Record<string, (params: unknown) => Promise<unknown>> = {}
    for (const name of METHOD_NAMES) {
      api[name] = Object.hasOwn(own, name)
        ? own[name as keyof typeof own] as (params: unknown) => Promise<unknown>
        : async (params) => (this.core()[name as keyof CoreHandlers] as (p: unknown) => Promise<unknown>)(params)
    }
    return api as unknown as ApiHandlers
  }
}
