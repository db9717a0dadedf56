/** Contacts, cached in memory (a circle is small) and written through to the store. */
import { Mutex } from './mutex.js'
import { listContacts, putContact } from './store/contacts.js'
import type { ContactRecord } from './store/records.js'
import type { BatchOp, Store } from './store/store.js'

/** A name folded for comparison: compatibility forms, no accents, no case, no spaces or punctuation. */
export function nameKey (name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en').replace(/[\s\p{P}\p{S}]/gu, '')
}

export class ContactBook {
  readonly #store: Store
  readonly #byId: Map<string, ContactRecord>
  readonly #lock = new Mutex()

  private constructor (store: Store, contacts: ContactRecord[]) {
    this.#store = store
    this.#byId = new Map(contacts.map(c => [c.peerId, c]))
  }

  static async open (store: Store): Promise<ContactBook> {
    return new ContactBook(store, await listContacts(store))
  }

  has (peerId: string): boolean {
    return this.#byId.has(peerId)
  }

  get (peerId: string): ContactRecord | undefined {
    return this.#byId.get(peerId)
  }

  list (): ContactRecord[] {
    return [...this.#byId.values()]
  }

  /**
   * A contact, other than `peerId`, whose name looks the same as `name` once
   * case, width, accents and spacing are set aside: someone may be posing
   * as them.
   */
  resembling (name: string, peerId: string): { peerId: string, name: string } | undefined {
    const key = nameKey(name)
    for (const c of this.#byId.values()) {
      if (c.peerId !== peerId && nameKey(c.name) === key) return { peerId: c.peerId, name: c.name }
    }
    return undefined
  }

  /**
   * Writes a contact (with any other operations, in one batch), then caches
   * it. Writes to the contact book happen one at a time.
   */
  async save (contact: ContactRecord, extra: BatchOp[] = []): Promise<void> {
    await this.#lock.run(async () => {
      await this.#store.batch([putContact(this.#store, contact), ...extra])
      this.#byId.set(contact.peerId, contact)
    })
  }

  /**
   * Changes a contact from its latest version (so concurrent changes to
   * different fields do not undo each other). `change` returning undefined
   * means no change. Resolves to the stored contact, if there is one.
   */
  async update (peerId: string, change: (contact: ContactRecord) => ContactRecord | undefined): Promise<ContactRecord | undefined> {
    return this.#lock.run(async () => {
      const current = this.#byId.get(peerId)
      if (current == null) return undefined
      const next = change(current)
      if (next == null) return current
      await this.#store.batch([putContact(this.#store, next)])
      this.#byId.set(peerId, next)
      return next
    })
  }
}
