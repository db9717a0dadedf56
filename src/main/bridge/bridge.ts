/**
 * The loopback bridge: serves the built renderer and the API contract over
 * a WebSocket, so the real UI can drive the real core in a plain browser
 * (tests, and demos where Electron cannot run).
 *
 * It listens on 127.0.0.1 only. The page URL carries a random token in its
 * fragment (never sent in a request); the page presents it when it opens
 * the socket. A socket without the token, from another origin, or naming
 * another host is refused, so neither another site in the browser nor
 * another user's process on the machine can reach the core.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_NAMES, type ApiHandlers, type Events } from '../../shared/api.js'
import { constantTimeEqual, randomBytes } from '../core/crypto/index.js'
import { dispatch, toResult } from '../core/dispatch.js'
import type { Emitter } from '../core/emitter.js'
import { createLog } from '../core/log.js'
import { contentTypeFor } from '../app/protocol.js'
import { CONTENT_SECURITY_POLICY } from '../app/security.js'
import { toHex, utf8 } from '../core/bytes.js'

const log = createLog('bridge')

/** Largest message accepted on the socket. */
export const MAX_BRIDGE_MESSAGE_BYTES = 1024 * 1024
export const BRIDGE_PATH = '/bridge'

export interface BridgeOptions {
  host: { api: ApiHandlers, events: Emitter<Events> }
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
}

export interface Bridge {
  /** The page to open: http://127.0.0.1:PORT/#token=… */
  url: string
  port: number
  close: () => Promise<void>
}

/** Decides whether a WebSocket upgrade may proceed. Pure, for tests. */
export function acceptUpgrade (req: { url?: string, headers: Record<string, string | string[] | undefined> }, port: number, token: string): boolean {
  const origin = `http://127.0.0.1:${port}`
  if (req.headers.origin !== origin) return false
  if (req.headers.host !== `127.0.0.1:${port}`) return false
  let url: URL
  try {
    url = new URL(req.url ?? '', origin)
  } catch {
    return false
  }
  if (url.pathname !== BRIDGE_PATH) return false
  const given = url.searchParams.get('token') ?? ''
  return constantTimeEqual(utf8.encode(given), utf8.encode(token))
}

export async function startBridge (options: BridgeOptions): Promise<Bridge> {
  const token = toHex(randomBytes(32))
  const root = normalize(options.rendererDir)
  let port = 0

  const server = createServer((req, res) => {
    serveStatic(req, res, root, port).catch(err => {
      log.error('static file failed - %e', err)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_MESSAGE_BYTES })
  const sockets = new Set<WebSocket>()

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (!acceptUpgrade(req, port, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data, isBinary) => {
        void answer(options.host.api, isBinary ? undefined : data.toString()).then(reply => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
        })
      })
    })
  })

  const offs = EVENT_NAMES.map(name => options.host.events.on(name, (payload) => {
    const frame = JSON.stringify({ event: name, payload })
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame)
  }))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => { resolve() })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    close: async () => {
      for (const off of offs) off()
      for (const ws of sockets) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => { resolve() }))
    }
  }
}

/** Answers one socket message: `{id, method, params}` → `{id, result}`, never throwing. */
async function answer (api: ApiHandlers, raw: string | undefined): Promise<{ id: unknown, result: unknown }> {
  let request: { id?: unknown, method?: unknown, params?: unknown }
  try {
    request = JSON.parse(raw ?? '') as typeof request
    if (typeof request !== 'object' || request === null) throw new Error('not an object')
  } catch {
    return { id: null, result: { ok: false, error: { code: 'INVALID_PARAMS', message: 'the bridge takes JSON objects {id, method, params}' } } }
  }
  const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null
  return { id, result: toResult(await dispatch(api, request.method, request.params)) }
}

async function serveStatic (req: IncomingMessage, res: ServerResponse, root: string, port: number): Promise<void> {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin'
  }
  // A page served under another name (DNS rebinding) gets nothing.
  if (req.headers.host !== `127.0.0.1:${port}` || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(403, headers).end()
    return
  }
  const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  const file = normalize(join(root, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)))
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403, headers).end()
    return
  }
  let body: Buffer
  try {
    body = await readFile(file)
  } catch {
    res.writeHead(404, headers).end()
    return
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentTypeFor(file) })
  res.end(req.method === 'HEAD' ? undefined : body)
}
