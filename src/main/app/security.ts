/**
 * The desktop window's security settings, as small pure functions so that
 * tests can check each one without an Electron binary.
 */

/**
 * Strict CSP, sent as a response header on every page we serve: our own
 * scripts and styles only, no inline or evaluated script, no plugins, no
 * frames in either direction, nothing remote. The renderer's meta tag says
 * the same; where both apply, a request must pass both.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** The headers of a response, with our CSP in place of any the response carried. */
export function withContentSecurityPolicy (headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    // Header names are case-insensitive: a lower-case copy must not survive next to ours.
    if (name.toLowerCase() === 'content-security-policy') continue
    out[name] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
  return out
}

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
  safeDialogs: true
  spellcheck: false
}

/** The main window's webPreferences: isolated, sandboxed, no Node anywhere in the page. */
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
    safeDialogs: true,
    // The spellchecker downloads dictionaries from Google: no request leaves the LAN.
    spellcheck: false
  }
}

/** The main window: hidden until its first paint, with the secure preferences. */
export function mainWindowOptions (preload: string) {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Hearth',
    autoHideMenuBar: true,
    webPreferences: webPreferences(preload)
  }
}

/** The page never navigates away from itself, not even to another page of ours. */
export function allowNavigation (_url: string): boolean {
  return false
}

/**
 * New windows are always denied; an https link is handed to the system
 * browser instead. Returns the URL to open externally, if any: only a
 * plain https URL, without credentials, of a sane length.
 */
export function externalLinkFor (url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length > 2048) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '') return undefined
  if (parsed.username !== '' || parsed.password !== '') return undefined
  return parsed.toString()
}

/** Only desktop notifications may be granted to the page; every other permission is denied. */
export function allowPermission (permission: string): boolean {
  return permission === 'notifications'
}

/**
 * The URL the window loads. The dev server's URL is honoured only in an
 * unpackaged run and only on loopback: a packaged app must never be pointed
 * at another page by an environment variable, since that page would get the
 * IPC surface.
 */
export function appUrlFor (options: { isPackaged: boolean, devServerUrl: string | undefined, packagedUrl: string }): string {
  const dev = options.devServerUrl
  if (options.isPackaged || dev == null || dev === '') return options.packagedUrl
  try {
    const url = new URL(dev)
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
    if ((url.protocol === 'http:' || url.protocol === 'https:') && loopback) return url.toString()
  } catch {
    // Not a URL: fall back to the packaged page.
  }
  return options.packagedUrl
}

const SPECIAL_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:'])

/**
 * Whether an IPC message comes from our own page: the top frame, loaded from
 * the app's own URL. For file:// that is the same file; for the dev server,
 * the same origin; for the app's own scheme (app://hearth/), the same scheme
 * and host, since Node gives such URLs an opaque origin that would match any
 * other opaque origin.
 */
export function isTrustedSender (frame: { url: string, parent: unknown } | null | undefined, appUrl: string): boolean {
  if (frame == null || frame.parent != null || typeof frame.url !== 'string') return false
  try {
    const got = new URL(frame.url)
    const want = new URL(appUrl)
    if (got.protocol !== want.protocol) return false
    if (want.protocol === 'file:') return got.host === want.host && got.pathname === want.pathname
    if (SPECIAL_SCHEMES.has(want.protocol)) return want.origin !== 'null' && got.origin === want.origin
    return want.host !== '' && got.host === want.host
  } catch {
    return false
  }
}
