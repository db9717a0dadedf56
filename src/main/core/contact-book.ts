/** Contacts, cached in memory (a circle is small) and written through to the store. */
import { Mutex } from './mutex.js'
import { listContacts, putContact } from './store/contacts.js'
import type { ContactRecord } from './store/records.js'
import type { BatchOp, Store } from './store/store.js'

/**
 * Letters from other scripts that look like Latin ones in common fonts, and
 * a few Latin letters that look like others. Not Unicode's full confusables
 * list, but the ones a name can be spelled with to pass for a Latin one.
 */
const LOOKALIKES = new Map<string, string>(Object.entries({
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', Ѕ: 'S', І: 'I', Ј: 'J', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X', Ү: 'Y', Һ: 'H', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'l',
  а: 'a', в: 'b', е: 'e', ѕ: 's', і: 'i', ј: 'j', к: 'k', м: 'm', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ү: 'y', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ь: 'b',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  α: 'a', γ: 'y', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', υ: 'u', χ: 'x', ω: 'w',
  // Armenian
  Օ: 'O', Ս: 'U', Տ: 'S', հ: 'h', ո: 'n', ս: 'u', օ: 'o', ց: 'g', զ: 'q',
  // Cherokee
  Ꭺ: 'A', Ᏼ: 'B', Ꮯ: 'C', Ꭼ: 'E', Ꮋ: 'H', Ꮶ: 'K', Ꮇ: 'M', Ꮲ: 'P', Ꮪ: 'S', Ꭲ: 'T', Ꮃ: 'W',
  // Latin letters and digits that pass for others
  ı: 'i', ɑ: 'a', ɡ: 'g', ʟ: 'l', 0: 'o', 1: 'l'
}))

/**
 * A name folded for comparison, so that names that look the same fold the
 * same: compatibility forms, no accents, no invisible characters, look-alike
 * letters of other scripts as the Latin ones, no case, i and l and 1 as one,
 * 0 as o, rn as m, vv as w, no spaces, punctuation or symbols.
 */
export function nameKey (name: string): string {
  const bare = name.normalize('NFKD').replace(/[\p{M}\p{Default_Ignorable_Code_Point}]/gu, '')
  return Array.from(bare, c => LOOKALIKES.get(c) ?? c).join('')
    .toLocaleLowerCase('en')
    .replace(/i/g, 'l')
    .replace(/[\p{Z}\s\p{P}\p{S}]/gu, '')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
}

/** Who a name may be posing as: a contact, or ourselves. */
export interface Lookalike { peerId: string, name: string }

export class ContactBook {
  readonly #store: Store
  readonly #byId: Map<string, ContactRecord>
  readonly #self: () => Lookalike | undefined
  readonly #lock = new Mutex()

  private constructor (store: Store, contacts: ContactRecord[], self: () => Lookalike | undefined) {
    this.#store = store
    this.#byId = new Map(contacts.map(c => [c.peerId, c]))
    this.#self = self
  }

  /** `self` is our own peer id and current name: a contact's name may pass for ours too. */
  static async open (store: Store, self: () => Lookalike | undefined = () => undefined): Promise<ContactBook> {
    return new ContactBook(store, await listContacts(store), self)
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
   * A contact, other than `peerId`, whose name looks the same as `name` (see
   * {@link nameKey}): someone may be posing as them.
   */
  resembling (name: string, peerId: string): Lookalike | undefined {
    const key = nameKey(name)
    for (const c of this.#byId.values()) {
      if (c.peerId !== peerId && nameKey(c.name) === key) return { peerId: c.peerId, name: c.name }
    }
    return undefined
  }

  /**
   * Whom a contact's name passes for, if it still does: flagged when the
   * contact took (or came with) a name that looked like another contact's or
   * ours, so the one that changed is the one flagged, and the flag lasts
   * while the two names still look the same.
   */
  resemblance (contact: ContactRecord): Lookalike | undefined {
    const flagged = contact.resembles
    if (flagged == null) return undefined
    const self = this.#self()
    const other = flagged.peerId === self?.peerId ? self : this.#byId.get(flagged.peerId)
    if (other == null || nameKey(other.name) !== nameKey(contact.name)) return undefined
    return { peerId: other.peerId, name: other.name }
  }

  /**
   * Writes a contact (with any other operations, in one batch), then caches
   * it. Writes to the contact book happen one at a time.
   */
  async save (contact: ContactRecord, extra: BatchOp[] = []): Promise<void> {
    await this.#lock.run(async () => {
      const next = this.flagged(this.#byId.get(contact.peerId), contact)
      await this.#store.batch([putContact(this.#store, next), ...extra])
      this.#byId.set(next.peerId, next)
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
      const changed = change(current)
      if (changed == null) return current
      const next = this.flagged(current, changed)
      await this.#store.batch([putContact(this.#store, next)])
      this.#byId.set(peerId, next)
      return next
    })
  }

  /** A new or renamed contact, flagged if its name now looks like another contact's or ours. */
  private flagged (before: ContactRecord | undefined, next: ContactRecord): ContactRecord {
    if (before != null && before.name === next.name) return next
    const { resembles: _, ...rest } = next
    const self = this.#self()
    const like = this.resembling(next.name, next.peerId) ?? (self != null && nameKey(self.name) === nameKey(next.name) ? self : undefined)
    return like != null ? { ...rest, resembles: { peerId: like.peerId } } : rest
  }
}
