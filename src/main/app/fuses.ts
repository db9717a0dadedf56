/**
 * The Electron fuses of a packaged build, flipped in the binary by
 * electron-builder (`electronFuses` in electron-builder.yml, which a test
 * keeps equal to this object). Fuses cannot be changed at run time, so an
 * attacker who can only set environment variables or command-line flags
 * cannot turn the app into a general-purpose Node or attach a debugger.
 */
export const ELECTRON_FUSES = Object.freeze({
  /** ELECTRON_RUN_AS_NODE would make the signed binary a plain Node. Hearth never forks itself. */
  runAsNode: false,
  /** NODE_OPTIONS and NODE_EXTRA_CA_CERTS could preload code or trust another CA. */
  enableNodeOptionsEnvironmentVariable: false,
  /** --inspect and SIGUSR1 would open a debugger on the unlocked keys. */
  enableNodeCliInspectArguments: false,
  /** Check app.asar against the hash in the binary (enforced on macOS and Windows; inert on Linux). */
  enableEmbeddedAsarIntegrityValidation: true,
  /** Load the app only from app.asar, never from a loose app/ folder placed next to it. */
  onlyLoadAppFromAsar: true,
  /** Cookies on disk are encrypted with the OS key; Hearth sets none, but nothing should be in the clear. */
  enableCookieEncryption: true,
  /** The renderer is served from app://, so file:// pages need none of Electron's extra powers. */
  grantFileProtocolExtraPrivileges: false
} as const)
