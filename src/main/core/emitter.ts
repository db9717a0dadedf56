/** A small typed event emitter: `on` returns its own unsubscribe. Listener errors never reach the emitter. */
export class Emitter<E extends object> {
  readonly #listeners = new Map<keyof E, Set<(payload: never) => void>>()
  readonly #onError: (err: unknown) => void

  constructor (onError: (err: unknown) => void = () => {}) {
    this.#onError = onError
  }

  on<K extends keyof E> (name: K, listener: (payload: E[K]) => void): () => void {
    let set = this.#listeners.get(name)
    if (set == null) {
      set = new Set()
      this.#listeners.set(name, set)
    }
    set.add(listener)
    return () => { set.delete(listener) }
  }

  emit<K extends keyof E> (name: K, payload: E[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        (listener as (p: E[K]) => void)(payload)
      } catch (err) {
        this.#onError(err)
      }
    }
  }
}
