/**
 * The loopback bridge lets the built UI reach a real core from a browser,
 * and nobody else: not another origin, not a page without the token, not a
 * request naming another host, not a path outside the renderer.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { acceptUpgrade } from '../../src/main/bridge/bridge.js'
import { CONTENT_SECURITY_POLICY } from '../../src/main/app/security.js'
import { startDesktop, type DesktopApp } from '../fixtures/desktop.js'

const apps: DesktopApp[] = []
afterEach(async () => {
  while (apps.length > 0) await apps.pop()?.close()
})

async function app (): Promise<DesktopApp> {
  const a = await startDesktop()
  apps.push(a)
  return a
}

function tokenOf (a: DesktopApp): string {
  return new URL(a.bridge.url).hash.replace('#token=', '')
}

/** Opens a socket; resolves with 'open' or the HTTP status it was refused with. */
async function connect (url: string, origin: string | undefined, headers: Record<string, string> = {}): Promise<{ outcome: string, ws: WebSocket }> {
  const ws = new WebSocket(url, { ...(origin != null ? { origin } : {}), headers })
  return new Promise(resolve => {
    ws.once('open', () => { resolve({ outcome: 'open', ws }) })
    ws.once('unexpected-response', (_req, res) => { resolve({ outcome: String(res.statusCode), ws }) })
    ws.once('error', (err) => { resolve({ outcome: err.message, ws }) })
  })
}

async function get (port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number, headers: Record<string, unknown>, body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }) })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the loopback bridge', () => {
  it('listens on 127.0.0.1 with a 256-bit token in the URL fragment', async () => {
    const a = await app()
    expect(a.bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/)
  })

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const a = await app()
    const page = await get(a.bridge.port, '/')
    expect(page.status).toBe(200)
    expect(page.body).toContain('<div id="app">')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe')
    expect((await get(a.bridge.port, '/../../package.json')).status).not.toBe(200)
    expect((await get(a.bridge.port, '/%2e%2e/%2e%2e/package.json')).status).not.toBe(200)
    expect((await get(a.bridge.port, '/assets/..%2f..%2f..%2fpackage.json')).status).not.toBe(200)
    expect((await get(a.bridge.port, '/no-such-file.js')).status).toBe(404)
    // DNS rebinding: the same socket, but the page was loaded under another name.
    expect((await get(a.bridge.port, '/', 'evil.example:80')).status).toBe(403)
  })

  it('answers the contract over the socket, with the token and from its own origin', async () => {
    const a = await app()
    const { outcome, ws } = await connect(`ws://127.0.0.1:${a.bridge.port}/bridge?token=${tokenOf(a)}`, `http://127.0.0.1:${a.bridge.port}`)
    expect(outcome).toBe('open')
    const reply = new Promise<unknown>(resolve => ws.once('message', (d) => { resolve(JSON.parse(d.toString())) }))
    ws.send(JSON.stringify({ id: 7, method: 'profile.status', params: {} }))
    expect(await reply).toMatchObject({ id: 7, result: { ok: true, value: { exists: false, unlocked: false } } })
    const garbage = new Promise<unknown>(resolve => ws.once('message', (d) => { resolve(JSON.parse(d.toString())) }))
    ws.send('{not json')
    expect(await garbage).toMatchObject({ id: null, result: { ok: false, error: { code: 'INVALID_PARAMS' } } })
    const unknown = new Promise<unknown>(resolve => ws.once('message', (d) => { resolve(JSON.parse(d.toString())) }))
    ws.send(JSON.stringify({ id: 8, method: 'process.exit', params: {} }))
    expect(await unknown).toMatchObject({ id: 8, result: { ok: false } })
    ws.close()
  })

  it('refuses a socket without the token, with a wrong one, or from another origin', async () => {
    const a = await app()
    const base = `ws://127.0.0.1:${a.bridge.port}/bridge`
    const own = `http://127.0.0.1:${a.bridge.port}`
    const wrong = tokenOf(a).replace(/^./, c => (c === 'a' ? 'b' : 'a'))
    const attempts = [
      await connect(base, own),
      await connect(`${base}?token=${wrong}`, own),
      await connect(`${base}?token=${tokenOf(a)}`, 'http://evil.example'),
      await connect(`${base}?token=${tokenOf(a)}`, `http://localhost:${a.bridge.port}`),
      await connect(`${base}?token=${tokenOf(a)}`, undefined),
      await connect(`ws://127.0.0.1:${a.bridge.port}/other?token=${tokenOf(a)}`, own)
    ]
    for (const a of attempts) a.ws.terminate()
    expect(attempts.map(x => x.outcome)).toEqual(['403', '403', '403', '403', '403', '403'])
  })

  it('decides upgrades by origin, host, path and token alone', () => {
    const token = 'f'.repeat(64)
    const ok = { url: `/bridge?token=${token}`, headers: { origin: 'http://127.0.0.1:5000', host: '127.0.0.1:5000' } }
    expect(acceptUpgrade(ok, 5000, token)).toBe(true)
    expect(acceptUpgrade({ ...ok, headers: { ...ok.headers, host: 'localhost:5000' } }, 5000, token)).toBe(false)
    expect(acceptUpgrade({ ...ok, url: `/bridge?token=${token}x` }, 5000, token)).toBe(false)
    expect(acceptUpgrade({ ...ok, url: '/bridge' }, 5000, token)).toBe(false)
    expect(acceptUpgrade(ok, 5001, token)).toBe(false)
  })
})
