/**
 * The desktop window's security settings, as small pure functions so that
 * tests can check each one without an Electron binary.
 */

/** Strict CSP: our own scripts and styles only, no inline script, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export interface SecureWebPreferences {
  preload: string
  contextIsolation: true
  sandbox: true
  nodeIntegration: false
  nodeIntegrationInWorker: false
  nodeIntegrationInSubFrames: false
  webSecurity: true
  allowRunningInsecureContent: false
  webviewTag: false
  experimentalFeatures: false
  navigateOnDragDrop: false
  spellcheck: false
}

export function webPreferences (preload: string): SecureWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false
  }
}

/** The page never navigates away from itself. */
export function allowNavigation (_url: string): boolean {
  return false
}

/**
 * New windows are always denied; an https link is handed to the system
 * browser instead. Returns the URL to open externally, if any.
 */
export function externalLinkFor (url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' ? parsed.toString() : undefined
  } catch {
    return undefined
  }
}

/** Only desktop notifications may be granted to the page. */
export function allowPermission (permission: string): boolean {
  return permission === 'notifications'
}

/**
 * Whether an IPC message comes from our own page: the top frame, loaded from
 * the app's own URL (the bundled file, or the dev server in development).
 */
export function isTrustedSender (frame: { url: string, parent: unknown } | null | undefined, appUrl: string): boolean {
  if (frame == null || frame.parent != null) return false
  try {
    const got = new URL(frame.url)
    const want = new URL(appUrl)
    if (want.protocol === 'file:') return got.protocol === 'file:' && got.pathname === want.pathname
    return got.origin === want.origin
  } catch {
    return false
  }
}
