/**
 * JSON-RPC 2.0 over stdio, one object per line. stdout carries nothing but
 * JSON-RPC lines; EOF on the input ends the session once in-flight calls
 * have answered. Garbage gets a standard error and never ends the session.
 */
import type { Readable, Writable } from 'node:stream'
import { EVENT_NAMES, type ApiHandlers, type Events } from '../../shared/api.js'
import type { ErrorCode } from '../../shared/errors.js'
import { dispatch } from '../core/dispatch.js'
import type { Emitter } from '../core/emitter.js'

export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  /** Application errors; `data.code` names which. */
  application: -32000
} as const

/** A line longer than this is answered with -32600 and skipped. */
export const MAX_LINE_BYTES = 1024 * 1024
/** The most requests one batch may hold. */
export const MAX_BATCH = 100
/** Unwritten output beyond which passing notifications are dropped. */
export const MAX_BACKLOG_BYTES = 4 * 1024 * 1024
const EPHEMERAL = new Set<string>(['nearby.changed', 'typing'])

type Id = string | number | null

interface RpcError { code: number, message: string, data?: { code: ErrorCode } }
type Response = { jsonrpc: '2.0', id: Id, result: unknown } | { jsonrpc: '2.0', id: Id, error: RpcError }

function failure (id: Id, code: number, message: string, data?: { code: ErrorCode }): Response {
  return { jsonrpc: '2.0', id, error: data == null ? { code, message } : { code, message, data } }
}

function validId (id: unknown): id is Id {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Answers one parsed request object; `undefined` for a notification (no id). */
export async function answer (api: ApiHandlers, request: unknown): Promise<Response | undefined> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return failure(null, RPC_ERRORS.invalidRequest, 'invalid request: expected a JSON-RPC 2.0 object')
  }
  const r = request as Record<string, unknown>
  const hasId = Object.hasOwn(r, 'id')
  const id = hasId && validId(r.id) ? r.id : null
  if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || (hasId && !validId(r.id))) {
    return failure(id, RPC_ERRORS.invalidRequest, 'invalid request: needs "jsonrpc": "2.0", a string "method" and an optional string or number "id"')
  }
  if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null || Array.isArray(r.params))) {
    return hasId ? failure(id, RPC_ERRORS.invalidParams, 'invalid params: params must be an object of named fields') : undefined
  }
  const result = await dispatch(api, r.method, r.params)
  if (!hasId) return undefined
  if (result.ok) return { jsonrpc: '2.0', id, result: result.value ?? null }
  if (result.unknownMethod === true) return failure(id, RPC_ERRORS.methodNotFound, result.error.message)
  if (result.error.code === 'INVALID_PARAMS') return failure(id, RPC_ERRORS.invalidParams, result.error.message)
  if (result.error.code === 'INTERNAL') return failure(id, RPC_ERRORS.internal, result.error.message)
  return failure(id, RPC_ERRORS.application, result.error.message, { code: result.error.code })
}

/** Answers one line of input (a request, a notification or a batch); `undefined` when nothing is owed. */
export async function answerLine (api: ApiHandlers, line: string): Promise<Response | Response[] | undefined> {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return failure(null, RPC_ERRORS.parse, 'parse error: the line is not valid JSON')
  }
  if (!Array.isArray(parsed)) return answer(api, parsed)
  if (parsed.length === 0) return failure(null, RPC_ERRORS.invalidRequest, 'invalid request: empty batch')
  if (parsed.length > MAX_BATCH) return failure(null, RPC_ERRORS.invalidRequest, `invalid request: a batch holds at most ${MAX_BATCH} requests`)
  const responses = (await Promise.all(parsed.map(async r => answer(api, r)))).filter((r): r is Response => r !== undefined)
  return responses.length > 0 ? responses : undefined
}

export interface RpcSession {
  /** Resolves when the input has ended and every answer is written. */
  done: Promise<void>
  /** Writes a notification line. */
  notify: (method: string, params: unknown) => void
}

/**
 * Serves the API on a line-oriented input and output. Every event the core
 * emits becomes a notification.
 */
export function serveJsonRpc (host: { api: ApiHandlers, events: Emitter<Events> }, input: Readable, output: Writable): RpcSession {
  const write = (value: unknown): void => { output.write(JSON.stringify(value) + '\n') }
  const notify = (method: string, params: unknown): void => {
    // A reader that does not keep up loses passing news (who is nearby, who
    // is typing), never answers or anything about messages.
    if (output.writableLength > MAX_BACKLOG_BYTES && EPHEMERAL.has(method)) return
    write({ jsonrpc: '2.0', method, params })
  }
  const unsubscribe = EVENT_NAMES.map(name => host.events.on(name, (payload) => { notify(name, payload) }))

  const inflight = new Set<Promise<void>>()
  const handle = (line: string): void => {
    if (line.trim().length === 0) return
    const p = answerLine(host.api, line).then(res => { if (res !== undefined) write(res) })
    inflight.add(p)
    void p.finally(() => inflight.delete(p))
  }

  const done = new Promise<void>((resolve) => {
    let buffered = ''
    let bufferedBytes = 0
    let skipping = false
    let ended = false
    input.setEncoding('utf8')
    input.on('data', (chunk: string) => {
      let text = chunk
      while (text.length > 0) {
        const nl = text.indexOf('\n')
        const part = nl === -1 ? text : text.slice(0, nl)
        text = nl === -1 ? '' : text.slice(nl + 1)
        if (!skipping) {
          buffered += part
          bufferedBytes += Buffer.byteLength(part)
        }
        if (bufferedBytes > MAX_LINE_BYTES) {
          buffered = ''
          bufferedBytes = 0
          if (!skipping) write(failure(null, RPC_ERRORS.invalidRequest, `invalid request: a line may hold at most ${MAX_LINE_BYTES} bytes`))
          skipping = true
        }
        if (nl === -1) break
        if (!skipping) handle(buffered)
        buffered = ''
        bufferedBytes = 0
        skipping = false
      }
    })
    // EOF, a closed pipe and a read error all end the session the same way.
    const finish = (): void => {
      if (ended) return
      ended = true
      if (!skipping && buffered.length > 0) handle(buffered)
      void (async () => {
        while (inflight.size > 0) await Promise.allSettled([...inflight])
        for (const off of unsubscribe) off()
        resolve()
      })()
    }
    input.on('end', finish)
    input.on('close', finish)
    input.on('error', finish)
  })
  return { done, notify }
}
