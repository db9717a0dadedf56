/** Asking for a passphrase on a terminal without echoing it. */
import type { ReadStream } from 'node:tty'

export class PromptCancelled extends Error {
  constructor () {
    super('cancelled')
    this.name = 'PromptCancelled'
  }
}

/** Reads one line from a TTY with echo off. Ctrl-C or Ctrl-D cancels. */
export async function promptHidden (question: string, input: ReadStream = process.stdin as ReadStream, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  output.write(question)
  const wasRaw = input.isRaw
  input.setRawMode(true)
  input.resume()
  input.setEncoding('utf8')
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (chunk: string): void => {
        for (const ch of chunk) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData)
            output.write('\n')
            resolve(value)
            return
          }
          if (ch === '\u0003' || (ch === '\u0004' && value.length === 0)) {
            input.off('data', onData)
            output.write('\n')
            reject(new PromptCancelled())
            return
          }
          if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('')
          else if (ch === '\u0015') value = ''
          else if (ch >= ' ') value += ch
        }
      }
      input.on('data', onData)
    })
  } finally {
    input.setRawMode(wasRaw)
    input.pause()
  }
}

/** Reads one visible line from the terminal. */
export async function promptLine (question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  try {
    return await rl.question(question)
  } finally {
    rl.close()
  }
}
