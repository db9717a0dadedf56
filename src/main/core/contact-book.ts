/** Contacts, cached in memory (a circle is small) and written through to the store. */
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

  /** Writes a contact (with any other operations, in one batch), then caches it. */
  async save (contact: ContactRecord, extra: BatchOp[] = []): Promise<void> {
    await this.#store.batch([putContact(this.#store, contact), ...extra])
    this.#byId.set(contact.peerId, contact)
  }

  /** The operation that writes a contact; pair with {@link remember} once the batch is committed. */
  stage (contact: ContactRecord): BatchOp {
    return putContact(this.#store, contact)
  }

  remember (contact: ContactRecord): void {
    this.#byId.set(contact.peerId, contact)
  }
}
