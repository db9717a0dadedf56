/**
 * The profile as the UI sees it: locked or not, who we are, our settings.
 * Everything else hangs off an unlocked session and is dropped on lock.
 */
import type { Identity, ProfileStatus, Settings } from '../../../shared/api'
import type { Client } from '../lib/client'

export class Session {
  status = $state<ProfileStatus | undefined>()
  identity = $state<Identity | undefined>()
  settings = $state<Settings | undefined>()
  readonly #client: Client

  constructor (client: Client) {
    this.#client = client
  }

  get unlocked (): boolean {
    return this.status?.unlocked === true && this.identity != null
  }

  async refresh (): Promise<void> {
    const status = await this.#client.call('profile.status')
    if (status.unlocked) {
      const [identity, settings] = await Promise.all([this.#client.call('identity.get'), this.#client.call('settings.get')])
      this.identity = identity
      this.settings = settings
    } else {
      this.identity = undefined
      this.settings = undefined
    }
    this.status = status
  }

  async create (name: string, passphrase: string, remember: boolean): Promise<void> {
    await this.#client.call('profile.create', { name, passphrase, remember })
    await this.refresh()
  }

  async unlock (passphrase: string, remember?: boolean): Promise<void> {
    await this.#client.call('profile.unlock', remember == null ? { passphrase } : { passphrase, remember })
    await this.refresh()
  }

  async lock (): Promise<void> {
    await this.#client.call('profile.lock')
    await this.refresh()
  }

  async updateSettings (changes: Partial<Settings>): Promise<void> {
    this.settings = await this.#client.call('settings.set', changes)
  }

  async rename (name: string): Promise<void> {
    this.identity = await this.#client.call('identity.setName', { name })
  }
}

export function createSession (client: Client): Session {
  return new Session(client)
}
