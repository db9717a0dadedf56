// jsdom has no layout, so no ResizeObserver; every browser Hearth runs in has one.
// A stand-in that never reports keeps components that measure themselves working.
class NoLayoutResizeObserver {
  observe (): void {}
  unobserve (): void {}
  disconnect (): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver

// jsdom has <dialog> but not its modal methods; Chromium and Electron have both.
// Opening one here just shows it (no focus trap, no top layer).
if (typeof HTMLDialogElement !== 'undefined' && typeof HTMLDialogElement.prototype.showModal !== 'function') {
  HTMLDialogElement.prototype.showModal = function showModal (this: HTMLDialogElement) { this.setAttribute('open', '') }
  HTMLDialogElement.prototype.close = function close (this: HTMLDialogElement) { this.removeAttribute('open') }
}
