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
import { Store } from './store/store.js'

const log = createLog('host')

export type HostOptions = Omit<HearthOptions, 'passphrase' | 'name'>

export class HearthHost {
  readonly events = new Emitter<Events>(err => { log.error('event listener failed - %e', err) })
  readonly api: ApiHandlers
  readonly #options: HostOptions
  readonly #lock = new Mutex()
  #hearth?: Hearth
  #unsubscribe: Array<() => void> = []

  constructor (options: HostOptions) {
    this.#options = options
    this.api = this.handlers()
  }

  /** The open core, if unlocked. */
  get hearth (): Hearth | undefined {
    return this.#hearth
  }

  async status (): Promise<ProfileStatus> {
    return { exists: !(await Store.isNew(this.#options.dataDir)), unlocked: this.#hearth != null }
  }

  /**
   * Opens the profile. With `create`, a missing profile is created (and an
   * existing one is refused); without it, a missing profile is an error.
   */
  async open (passphrase: string, options: { create: boolean | 'if-missing', name?: string }): Promise<Hearth> {
    return this.#lock.run(async () => {
      if (this.#hearth != null) return this.#hearth
      const isNew = await Store.isNew(this.#options.dataDir)
      if (isNew && options.create === false) throw new HearthError('NO_PROFILE', 'there is no profile here yet; create one first')
      if (!isNew && options.create === true) throw new HearthError('PROFILE_EXISTS', 'a profile already exists here; unlock it instead')
      const hearth = await Hearth.open({ ...this.#options, passphrase, name: options.name })
      this.#hearth = hearth
      this.#unsubscribe = EVENT_NAMES.map(name => hearth.events.on(name, (payload) => { this.events.emit(name, payload) }))
      this.events.emit('profile.status', { exists: true, unlocked: true })
      return hearth
    })
  }

  /** Goes offline and drops every key from memory. */
  async lock (): Promise<void> {
    await this.#lock.run(async () => {
      const hearth = this.#hearth
      if (hearth == null) return
      this.#hearth = undefined
      for (const off of this.#unsubscribe) off()
      this.#unsubscribe = []
      await hearth.close()
      this.events.emit('profile.status', { exists: true, unlocked: false })
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
    const own: Pick<ApiHandlers, LifecycleMethod> = {
      'profile.status': async () => this.status(),
      'profile.create': async ({ name, passphrase }) => this.identity(await this.open(passphrase, { create: true, name })),
      'profile.unlock': async ({ passphrase }) => this.identity(await this.open(passphrase, { create: false })),
      'profile.lock': async () => { await this.lock(); return null }
    }
    const api: Record<string, (params: unknown) => Promise<unknown>> = {}
    for (const name of METHOD_NAMES) {
      api[name] = Object.hasOwn(own, name)
        ? own[name as LifecycleMethod] as (params: unknown) => Promise<unknown>
        : async (params) => (this.core()[name as keyof CoreHandlers] as (p: unknown) => Promise<unknown>)(params)
    }
    return api as unknown as ApiHandlers
  }
}
