/**
 * Child processes for the figures that need a fresh Node: cold start of
 * the headless peer, the bare-Node floor under it, and memory probes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
export const HEARTH_BIN = fileURLToPath(new URL('../bin/hearth.js', import.meta.url))

interface FirstLine {
  /** From spawn to the first complete line on stdout. */
  ms: number
  line: string
  stderr: string
}

/**
 * Spawns `node args`, resolves with the first stdout line, then ends the
 * child (stdin EOF, which is how the peer is asked to shut down) and waits
 * for it to exit, killing it if it will not.
 */
export async function firstLine (args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 30_000): Promise<FirstLine> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => { stderr += chunk })
  child.stdin.on('error', () => {})
  try {
    const line = await readFirstLine(child, timeoutMs)
    return { ms: line.at - t0, line: line.text, stderr }
  } catch (err) {
    throw new Error(`${(err as Error).message}; stderr: ${stderr.trim().slice(0, 500)}`, { cause: err })
  } finally {
    child.stdin.end()
    const timer = setTimeout(() => { child.kill('SIGKILL') }, 15_000)
    await exited
    clearTimeout(timer)
  }
}

async function readFirstLine (child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<{ text: string, at: number }> {
  return new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => { done(new Error(`no output within ${timeoutMs} ms`)) }, timeoutMs)
    const onData = (chunk: Buffer): void => {
      const at = performance.now()
      buffer += chunk.toString('utf8')
      const nl = buffer.indexOf('\n')
      if (nl !== -1) done(undefined, { text: buffer.slice(0, nl), at })
    }
    const onExit = (code: number | null): void => { done(new Error(`exited (${code}) before writing a line`)) }
    child.stdout.on('data', onData)
    child.once('exit', onExit)
    function done (err?: Error, value?: { text: string, at: number }): void {
      clearTimeout(timer)
      child.stdout.off('data', onData)
      child.off('exit', onExit)
      if (err != null || value == null) reject(err ?? new Error('no line'))
      else resolve(value)
    }
  })
}

/** `node -e` in ESM mode with tsx registered, as bin/hearth.js does, then `body`. */
export function tsxEval (body: string): string[] {
  return ['--input-type=module', '-e', `import { register } from 'tsx/esm/api'\nregister()\n${body}`]
}

/** Runs a TypeScript file under tsx with --expose-gc and parses the JSON it prints. */
export async function runProbe<T> (file: URL, args: string[]): Promise<T> {
  const { line } = await firstLine(['--expose-gc', ...tsxEval(`await import(${JSON.stringify(file.href)})`), ...args], process.env, 120_000)
  return JSON.parse(line) as T
}
