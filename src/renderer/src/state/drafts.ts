/** What the user was typing in each conversation, in memory only (never written to disk; gone on lock). */
export class Drafts {
  readonly #texts = new Map<string, string>()

  get (peerId: string): string {
    return this.#texts.get(peerId) ?? ''
  }

  set (peerId: string, text: string): void {
    if (text.length === 0) this.#texts.delete(peerId)
    else this.#texts.set(peerId, text)
  }

  clear (): void {
    this.#texts.clear()
  }
}

export function createDrafts (): Drafts {
  return new Drafts()
}
