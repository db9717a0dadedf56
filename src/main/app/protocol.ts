/**
 * The app's own scheme, app://hearth/, which serves the built renderer.
 * Electron advises a custom scheme over file://: a file:// page can read
 * any file on the disk, while this handler serves only files inside the
 * renderer's folder. It is also what lets the GrantFileProtocolExtraPrivileges
 * fuse be off.
 */
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from './security.js'

export const APP_SCHEME = 'app'
export const APP_HOST = 'hearth'
/** The page the window loads in a packaged (or previewed) build. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/**
 * How the scheme is registered before the app is ready: standard (real
 * origins, relative URLs), secure (a secure context, like https), fetch for
 * the page's own module scripts. No CORS bypass, no CSP bypass, no service
 * workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true }
} as const

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

/** The Content-Type for a served file; unknown kinds are opaque bytes (and nosniff keeps them so). */
export function contentTypeFor (file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file under `root` that an app:// URL names, or undefined for anything
 * else: another scheme or host, a path that climbs out of `root`, encoded
 * separators or NUL bytes. `/` is the index page.
 */
export function resolveAppFile (url: string, root: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  if (parsed.username !== '' || parsed.password !== '') return undefined
  const raw = parsed.pathname
  // An encoded slash, backslash or NUL has no business in an asset path.
  if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) return undefined
  let path: string
  try {
    path = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  if (path.includes('\0')) return undefined
  if (path === '/' || path === '') path = '/index.html'
  const file = normalize(join(root, path))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined
  return file
}

/** The headers every app:// response carries. */
export function appResponseHeaders (file: string): Record<string, string> {
  return {
    'Content-Type': contentTypeFor(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store'
  }
}

/**
 * The handler for `protocol.handle(APP_SCHEME, …)`: GET and HEAD of files
 * inside `root`, 404 for anything else. `readFile` is injected so that tests
 * run without a disk (and so that Electron's asar-aware fs is the one used).
 */
export function createAppProtocolHandler (root: string, readFile: (file: string) => Promise<Uint8Array>) {
  return async (request: { url: string, method: string }): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 })
    const file = resolveAppFile(request.url, root)
    if (file == null) return new Response(null, { status: 404 })
    let body: Uint8Array
    try {
      body = await readFile(file)
    } catch {
      return new Response(null, { status: 404 })
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(file) })
  }
}
