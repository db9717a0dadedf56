/**
 * Applies the security settings to Electron objects. The objects are taken
 * by their shape, not their class, so that tests drive these functions with
 * fakes in plain Node.
 */
import { allowNavigation, allowPermission, externalLinkFor, withContentSecurityPolicy } from './security.js'

interface Preventable { preventDefault: () => void }

/** The part of a `webContents` that hardening touches. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: Preventable, url: string) => void): unknown
  on(event: 'will-frame-navigate', listener: (event: Preventable & { url: string }) => void): unknown
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

/**
 * Denies navigation, redirects, webviews and new windows in one webContents.
 * An https link the page tries to open goes to the system browser instead.
 */
export function hardenWebContents (contents: WebContentsLike, openExternal: (url: string) => Promise<void>): void {
  const block = (event: Preventable, url: string): void => {
    if (!allowNavigation(url)) event.preventDefault()
  }
  contents.on('will-navigate', block)
  contents.on('will-redirect', block)
  // Subframes too: the page has none, and none may appear by navigation.
  contents.on('will-frame-navigate', (event) => { block(event, event.url) })
  contents.on('will-attach-webview', (event) => { event.preventDefault() })
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkFor(url)
    if (external != null) void openExternal(external).catch(() => {})
    return { action: 'deny' }
  })
}

interface HeadersDetails { responseHeaders?: Record<string, string[] | string> }

/** The part of a `session` that hardening touches. */
export interface SessionLike {
  webRequest: {
    onHeadersReceived: (listener: (details: HeadersDetails, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) => void
  }
  setPermissionRequestHandler: (handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) => void
  setPermissionCheckHandler: (handler: (webContents: unknown, permission: string) => boolean) => void
  setDevicePermissionHandler?: (handler: () => boolean) => void
}

/**
 * Puts our CSP on every response (the dev server's too) and denies every
 * permission but notifications, whether requested or merely checked.
 */
export function hardenSession (session: SessionLike): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) })
  })
  session.setPermissionRequestHandler((_contents, permission, callback) => { callback(allowPermission(permission)) })
  session.setPermissionCheckHandler((_contents, permission) => allowPermission(permission))
  // USB, HID, serial and Bluetooth devices: never.
  session.setDevicePermissionHandler?.(() => false)
}
