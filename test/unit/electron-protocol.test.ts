import { join, sep } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_SCHEME_PRIVILEGES, APP_URL, contentTypeFor, createAppProtocolHandler, resolveAppFile } from '../../src/main/app/protocol.js'
import { CONTENT_SECURITY_POLICY, isTrustedSender } from '../../src/main/app/security.js'

const ROOT = join(sep, 'opt', 'Hearth', 'resources', 'app.asar', 'out', 'renderer')

describe('the app:// scheme', () => {
  it('is registered without any bypass', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } })
    expect(APP_URL).toBe('app://hearth/index.html')
    expect(isTrustedSender({ url: APP_URL, parent: null }, APP_URL)).toBe(true)
  })

  it('maps URLs to files inside the renderer folder', () => {
    expect(resolveAppFile('app://hearth/index.html', ROOT)).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile('app://hearth/', ROOT)).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile('app://hearth', ROOT)).toBe(join(ROOT, 'index.html'))
    expect(resolveAppFile('app://hearth/assets/index-abc.js?v=1#x', ROOT)).toBe(join(ROOT, 'assets', 'index-abc.js'))
    expect(resolveAppFile('app://hearth/assets/a%20b.css', ROOT)).toBe(join(ROOT, 'assets', 'a b.css'))
  })

  it('never serves a file outside the renderer folder', () => {
    for (const url of [
      'app://hearth/../../../../etc/passwd',
      'app://hearth/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'app://hearth/assets/..%2f..%2f..%2fetc/passwd',
      'app://hearth/assets/..%5c..%5cetc%5cpasswd',
      'app://hearth/..\\..\\etc\\passwd',
      'app://hearth/%252e%252e/etc/passwd',
      'app://hearth/index.html%00.png',
      'app://hearth/%E0%A4%A',
      'app://other/index.html',
      'app://user:pw@hearth/index.html',
      'file:///etc/passwd',
      'https://hearth/index.html',
      'not a url'
    ]) {
      // Refused, or (where the URL parser already dropped the dot segments) a path inside the folder.
      const file = resolveAppFile(url, ROOT)
      if (file != null) expect(file.startsWith(ROOT + sep), `${url} → ${file}`).toBe(true)
    }
    expect(resolveAppFile('app://hearth/../../../../etc/passwd', ROOT)).toBe(join(ROOT, 'etc', 'passwd'))
    expect(resolveAppFile('app://hearth/assets/..%2f..%2f..%2fetc/passwd', ROOT)).toBeUndefined()
    expect(resolveAppFile('app://hearth/..\\..\\etc\\passwd', ROOT)).toBeUndefined()
    expect(resolveAppFile('app://other/index.html', ROOT)).toBeUndefined()
    expect(resolveAppFile('file:///etc/passwd', ROOT)).toBeUndefined()
    expect(resolveAppFile('app://hearth/index.html%00.png', ROOT)).toBeUndefined()
  })

  it('names the content types a module page needs', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8')
    expect(contentTypeFor('a/index-x.js')).toBe('text/javascript; charset=utf-8')
    expect(contentTypeFor('a/index-x.CSS')).toBe('text/css; charset=utf-8')
    expect(contentTypeFor('a/x.woff2')).toBe('font/woff2')
    expect(contentTypeFor('a/x.unknown')).toBe('application/octet-stream')
  })
})

describe('the app:// handler', () => {
  const files = new Map([[join(ROOT, 'index.html'), '<!doctype html><title>Hearth</title>'], [join(ROOT, 'assets', 'a.js'), 'export {}']])
  const read: string[] = []
  const handler = createAppProtocolHandler(ROOT, async (file) => {
    read.push(file)
    const text = files.get(file)
    if (text == null) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' })
    return new TextEncoder().encode(text)
  })

  it('serves the page with the CSP, nosniff and its content type', async () => {
    const res = await handler({ url: 'app://hearth/index.html', method: 'GET' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('<!doctype html><title>Hearth</title>')
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const js = await handler({ url: 'app://hearth/assets/a.js', method: 'GET' })
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
  })

  it('answers 404 for missing or outside files without reading outside, and 405 for writes', async () => {
    read.length = 0
    expect((await handler({ url: 'app://hearth/nope.js', method: 'GET' })).status).toBe(404)
    expect((await handler({ url: 'app://hearth/../../etc/passwd', method: 'GET' })).status).toBe(404)
    expect((await handler({ url: 'app://hearth/..%2f..%2fetc/passwd', method: 'GET' })).status).toBe(404)
    expect((await handler({ url: 'app://evil/index.html', method: 'GET' })).status).toBe(404)
    expect((await handler({ url: 'app://hearth/index.html', method: 'POST' })).status).toBe(405)
    for (const file of read) expect(file.startsWith(ROOT + sep)).toBe(true)
  })

  it('answers HEAD without a body', async () => {
    const res = await handler({ url: 'app://hearth/index.html', method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})
