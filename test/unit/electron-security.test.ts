import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { hardenSession, hardenWebContents, type SessionLike, type WebContentsLike } from '../../src/main/app/harden.js'
import {
  CONTENT_SECURITY_POLICY, allowNavigation, allowPermission, appUrlFor, externalLinkFor, isTrustedSender,
  mainWindowOptions, webPreferences, withContentSecurityPolicy
} from '../../src/main/app/security.js'

/** A CSP as directive → sources. */
function parseCsp (policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name != null && name !== '' && !out.has(name)) out.set(name.toLowerCase(), sources)
  }
  return out
}

/** The sources a fetch directive allows, falling back to default-src as browsers do. */
function sourcesFor (csp: Map<string, string[]>, directive: string): string[] | undefined {
  return csp.get(directive) ?? (directive.endsWith('-src') ? csp.get('default-src') : undefined)
}

describe('BrowserWindow webPreferences', () => {
  it('isolates and sandboxes the page, with no Node anywhere and no webview', () => {
    const prefs = webPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false
    })
  })

  it('uses those preferences for the main window, which shows itself only once painted', () => {
    const options = mainWindowOptions('/p.cjs')
    expect(options.webPreferences).toEqual(webPreferences('/p.cjs'))
    expect(options.show).toBe(false)
  })
})

describe('Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY)

  it('allows only our own scripts: no inline, no eval, no plugins, no base, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-|'strict-dynamic'|\*|https?:|wss?:|blob:/)
    for (const [directive, sources] of csp) {
      if (sources.includes('data:')) expect(directive, 'data: only for images').toBe('img-src')
    }
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('form-action')).toEqual(["'none'"])
  })

  it('is at least as strict as the meta tag in the renderer page', async () => {
    const html = await readFile(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1]
    expect(meta, 'the renderer page carries a CSP meta tag').toBeDefined()
    const page = parseCsp(meta ?? '')
    for (const directive of new Set([...page.keys(), ...csp.keys()])) {
      const ours = sourcesFor(csp, directive)
      const theirs = sourcesFor(page, directive)
      if (theirs == null) continue
      expect(ours, `${directive} is set in the header`).toBeDefined()
      // Every source the header allows, the meta tag allows too (or the header allows nothing).
      if (ours?.includes("'none'")) continue
      for (const source of ours ?? []) expect(theirs, `${directive} ${source}`).toContain(source)
    }
  })

  it('replaces any CSP a response carries, whatever the case of the header name', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
      'Content-Type': 'text/html',
      'X-Other': ['a', 'b']
    })
    expect(headers).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'Content-Type': ['text/html'],
      'X-Other': ['a', 'b']
    })
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })
})

describe('navigation and new windows', () => {
  it('never allows navigation, even to our own page', () => {
    for (const url of ['app://hearth/index.html', 'https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', '']) {
      expect(allowNavigation(url)).toBe(false)
    }
  })

  it('sends only plain https links to the system browser', () => {
    expect(externalLinkFor('https://example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d')
    expect(externalLinkFor('HTTPS://Example.COM')).toBe('https://example.com/')
    for (const refused of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'hearth://open',
      'app://hearth/index.html',
      'mailto:a@b.c',
      'ftp://example.com/',
      'https://user:pass@example.com/',
      'https://',
      '//example.com',
      'example.com',
      'not a url',
      '',
      `https://example.com/${'a'.repeat(3000)}`
    ]) expect(externalLinkFor(refused), refused).toBeUndefined()
    for (const garbage of [undefined, null, 42, {}, ['https://example.com']]) expect(externalLinkFor(garbage)).toBeUndefined()
  })

  function fakeContents () {
    const listeners = new Map<string, (event: { preventDefault: () => void }, ...args: unknown[]) => void>()
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined
    const contents = {
      on: (event: string, listener: (event: { preventDefault: () => void }, ...args: unknown[]) => void) => { listeners.set(event, listener) },
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => { openHandler = handler }
    }
    /** Emits an event (with `extra` fields on the event object); true if a listener prevented it. */
    const fire = (name: string, extra: object, ...args: unknown[]): boolean => {
      let prevented = false
      const listener = listeners.get(name)
      if (listener == null) throw new Error(`no listener for ${name}`)
      listener({ ...extra, preventDefault: () => { prevented = true } }, ...args)
      return prevented
    }
    return { contents: contents as unknown as WebContentsLike, fire, open: (url: string) => openHandler?.({ url }) }
  }

  it('prevents will-navigate, will-frame-navigate, will-redirect and will-attach-webview', () => {
    const { contents, fire } = fakeContents()
    hardenWebContents(contents, async () => {})
    expect(fire('will-navigate', {}, 'https://example.com/')).toBe(true)
    expect(fire('will-navigate', {}, 'app://hearth/index.html')).toBe(true)
    expect(fire('will-redirect', {}, 'https://example.com/')).toBe(true)
    // will-frame-navigate carries the URL on the event itself.
    expect(fire('will-frame-navigate', { url: 'https://example.com/', isMainFrame: false })).toBe(true)
    expect(fire('will-attach-webview', {}, {}, { src: 'https://example.com/' })).toBe(true)
  })

  it('denies every new window and opens only https links outside', async () => {
    const { contents, open } = fakeContents()
    const opened: string[] = []
    hardenWebContents(contents, async (url) => { opened.push(url) })
    for (const url of ['https://example.com/', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', 'hearth://x']) {
      expect(open(url)).toEqual({ action: 'deny' })
    }
    expect(opened).toEqual(['https://example.com/'])
  })

  it('survives a failing openExternal', async () => {
    const { contents, open } = fakeContents()
    hardenWebContents(contents, async () => { throw new Error('no browser') })
    expect(open('https://example.com/')).toEqual({ action: 'deny' })
    await new Promise(resolve => setTimeout(resolve, 0))
  })
})

describe('permissions', () => {
  const ASKED = ['notifications', 'media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'hid', 'serial', 'usb', 'openExternal', 'pointerLock', 'keyboardLock', 'midi', 'midiSysex', 'idle-detection', 'storage-access', 'window-management', 'unknown', '']

  it('grants notifications and nothing else', () => {
    for (const permission of ASKED) expect(allowPermission(permission), permission).toBe(permission === 'notifications')
  })

  it('installs the same rule as the request and the check handler, and denies devices', () => {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined
    let check: ((wc: unknown, permission: string) => boolean) | undefined
    let device: (() => boolean) | undefined
    let onHeaders: ((details: { responseHeaders?: Record<string, string[] | string> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined
    const session: SessionLike = {
      webRequest: { onHeadersReceived: (listener) => { onHeaders = listener } },
      setPermissionRequestHandler: (handler) => { request = handler },
      setPermissionCheckHandler: (handler) => { check = handler },
      setDevicePermissionHandler: (handler) => { device = handler }
    }
    hardenSession(session)
    for (const permission of ASKED) {
      let granted: boolean | undefined
      request?.(null, permission, (g) => { granted = g })
      expect(granted, `request ${permission}`).toBe(permission === 'notifications')
      expect(check?.(null, permission), `check ${permission}`).toBe(permission === 'notifications')
    }
    expect(device?.()).toBe(false)

    let headers: Record<string, string[]> | undefined
    onHeaders?.({ responseHeaders: { 'Content-Security-Policy': ['default-src *'] } }, (r) => { headers = r.responseHeaders })
    expect(headers).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })
})

describe('the URL the window loads', () => {
  const packagedUrl = 'app://hearth/index.html'

  it('honours the dev server only unpackaged and on loopback', () => {
    expect(appUrlFor({ isPackaged: false, devServerUrl: 'http://localhost:5173/', packagedUrl })).toBe('http://localhost:5173/')
    expect(appUrlFor({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5173', packagedUrl })).toBe('http://127.0.0.1:5173/')
    expect(appUrlFor({ isPackaged: true, devServerUrl: 'http://localhost:5173/', packagedUrl })).toBe(packagedUrl)
    expect(appUrlFor({ isPackaged: false, devServerUrl: 'https://evil.example/', packagedUrl })).toBe(packagedUrl)
    expect(appUrlFor({ isPackaged: false, devServerUrl: 'file:///tmp/x.html', packagedUrl })).toBe(packagedUrl)
    expect(appUrlFor({ isPackaged: false, devServerUrl: 'garbage', packagedUrl })).toBe(packagedUrl)
    expect(appUrlFor({ isPackaged: false, devServerUrl: undefined, packagedUrl })).toBe(packagedUrl)
  })
})

describe('isTrustedSender', () => {
  const top = (url: string) => ({ url, parent: null })

  it('trusts the top frame of our own app:// page only', () => {
    const app = 'app://hearth/index.html'
    expect(isTrustedSender(top('app://hearth/index.html'), app)).toBe(true)
    expect(isTrustedSender(top('app://hearth/index.html#/chat'), app)).toBe(true)
    expect(isTrustedSender({ url: 'app://hearth/index.html', parent: {} }, app)).toBe(false)
    expect(isTrustedSender(top('app://other/index.html'), app)).toBe(false)
    expect(isTrustedSender(top('evil://hearth/index.html'), app)).toBe(false)
    // Opaque origins are all "null" in Node: they must not pass for one another.
    expect(isTrustedSender(top('data:text/html,hi'), app)).toBe(false)
    expect(isTrustedSender(top('about:blank'), app)).toBe(false)
    expect(isTrustedSender(top('https://hearth/index.html'), app)).toBe(false)
  })

  it('trusts the same file for a file:// page', () => {
    const app = 'file:///opt/Hearth/resources/app.asar/out/renderer/index.html'
    expect(isTrustedSender(top(app), app)).toBe(true)
    expect(isTrustedSender(top(`${app}?x=1#y`), app)).toBe(true)
    expect(isTrustedSender(top('file:///tmp/evil.html'), app)).toBe(false)
    expect(isTrustedSender(top('file://host/opt/Hearth/resources/app.asar/out/renderer/index.html'), app)).toBe(false)
    expect(isTrustedSender({ url: app, parent: { url: app } }, app)).toBe(false)
  })

  it('trusts the same origin for the dev server', () => {
    const app = 'http://localhost:5173/'
    expect(isTrustedSender(top('http://localhost:5173/index.html'), app)).toBe(true)
    expect(isTrustedSender(top('http://localhost:5174/'), app)).toBe(false)
    expect(isTrustedSender(top('https://localhost:5173/'), app)).toBe(false)
    expect(isTrustedSender(top('http://127.0.0.1:5173/'), app)).toBe(false)
  })

  it('refuses missing, destroyed or malformed frames', () => {
    const app = 'app://hearth/index.html'
    expect(isTrustedSender(null, app)).toBe(false)
    expect(isTrustedSender(undefined, app)).toBe(false)
    expect(isTrustedSender(top(''), app)).toBe(false)
    expect(isTrustedSender(top('not a url'), app)).toBe(false)
    expect(isTrustedSender({ url: 42 as unknown as string, parent: null }, app)).toBe(false)
    expect(isTrustedSender(top('app://hearth/index.html'), 'garbage')).toBe(false)
  })
})
