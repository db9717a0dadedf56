// jsdom has no layout, so no ResizeObserver; every browser Hearth runs in has one.
// A stand-in that never reports keeps components that measure themselves working.
class NoLayoutResizeObserver {
  observe (): void {}
  unobserve (): void {}
  disconnect (): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver
