/**
 * `npx hearth`: the headless peer. A terminal chat on a TTY, or JSON-RPC on
 * stdio with `--rpc`. Exit codes: 0 clean, 1 failure, 2 wrong passphrase,
 * 3 data directory already open, 64 usage.
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { displayNameSchema } from '../../shared/api.js'
import type { ErrorCode } from '../../shared/errors.js'
import { HearthError } from '../core/errors.js'
import type { Hearth } from '../core/hearth.js'
import { HearthHost } from '../core/host.js'
import { Store } from '../core/store/store.js'
import { checkPassphraseStrength } from '../core/store/key-file.js'
import { runInteractive } from './interactive.js'
import { promptHidden, promptLine, PromptCancelled } from './prompt.js'
import { serveJsonRpc } from './rpc.js'

const USAGE = `Usage: hearth [options]

A private messenger for your local network: no server, no setup.

Options:
  --data DIR         profile directory (default: ~/.hearth)
  --name NAME        your display name (shared only with contacts)
  --listen MA        multiaddr to listen on; repeatable
                     (default: /ip4/0.0.0.0/tcp/0 and /ip4/0.0.0.0/udp/0/webrtc-direct)
  --no-mdns          do not announce or look for peers on the LAN
  --rpc              JSON-RPC 2.0 on stdin/stdout instead of the terminal chat
  --wipe             destroy the profile in --data for good: keys first, then
                     everything (asks to confirm on a terminal; --yes skips that)
  -h, --help         show this help

The passphrase is read from HEARTH_PASSPHRASE, or asked for on the terminal.`

const EXIT: Partial<Record<ErrorCode, number>> = { WRONG_PASSPHRASE: 2, ALREADY_OPEN: 3 }

class UsageError extends Error {}

interface CliOptions {
  dataDir: string
  name?: string
  listen?: string[]
  mdns: boolean
  rpc: boolean
  wipe: boolean
  yes: boolean
}

function parse (argv: string[]): CliOptions | 'help' {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        name: { type: 'string' },
        listen: { type: 'string', multiple: true },
        'no-mdns': { type: 'boolean' },
        rpc: { type: 'boolean' },
        wipe: { type: 'boolean' },
        yes: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true,
      allowPositionals: false
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help === true) return 'help'
  for (const ma of values.listen ?? []) {
    try {
      multiaddr(ma)
    } catch {
      throw new UsageError(`--listen ${ma} is not a valid multiaddr`)
    }
  }
  const name = values.name == null ? undefined : displayNameSchema.safeParse(values.name)
  if (name != null && !name.success) throw new UsageError(`--name ${name.error.issues[0]?.message ?? 'is invalid'}`)
  return {
    dataDir: resolve(values.data ?? join(homedir(), '.hearth')),
    name: name?.data,
    listen: values.listen,
    mdns: values['no-mdns'] !== true,
    rpc: values.rpc === true,
    wipe: values.wipe === true,
    yes: values.yes === true
  }
}

async function readPassphrase (creating: boolean, tty: boolean): Promise<string> {
  const fromEnv = process.env.HEARTH_PASSPHRASE
  if (fromEnv != null && fromEnv.length > 0) return fromEnv
  if (!tty) throw new UsageError('no passphrase: set HEARTH_PASSPHRASE, or run on a terminal to be asked')
  if (!creating) return promptHidden('Passphrase: ')
  process.stderr.write('Creating a new Hearth profile. Choose a passphrase (it cannot be recovered).\n')
  for (;;) {
    const first = await promptHidden('New passphrase: ')
    try {
      checkPassphraseStrength(first)
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`)
      continue
    }
    if (await promptHidden('Repeat passphrase: ') === first) return first
    process.stderr.write('The two did not match; try again.\n')
  }
}

/** `--wipe`: destroys the profile without unlocking it (panic wipe). */
async function wipe (options: CliOptions, tty: boolean): Promise<number> {
  if (await Store.isNew(options.dataDir)) {
    process.stderr.write(`hearth: there is no profile in ${options.dataDir}\n`)
    return 1
  }
  if (!options.yes) {
    if (!tty) {
      process.stderr.write('hearth: --wipe needs --yes when stdin is not a terminal\n')
      return 64
    }
    process.stderr.write(`This destroys every message, contact and key in ${options.dataDir}, for good.\n`)
    const answer = await promptLine('Type "wipe" to go ahead: ')
    if (answer.trim() !== 'wipe') {
      process.stderr.write('Nothing was wiped.\n')
      return 1
    }
  }
  const started = performance.now()
  await new HearthHost({ dataDir: options.dataDir }).wipe()
  process.stderr.write(`Wiped ${options.dataDir} in ${Math.round(performance.now() - started)} ms.\n`)
  return 0
}

export async function main (argv: string[]): Promise<number> {
  let options: CliOptions | 'help'
  try {
    options = parse(argv)
  } catch (err) {
    process.stderr.write(`hearth: ${(err as Error).message}\n${USAGE}\n`)
    return 64
  }
  if (options === 'help') {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const tty = process.stdin.isTTY
  if (options.wipe) return wipe(options, tty)
  if (!options.rpc && !tty) {
    process.stderr.write('hearth: stdin is not a terminal; use --rpc for the machine interface\n')
    return 64
  }
  if (options.rpc) {
    // stdout belongs to JSON-RPC alone: anything a library prints goes to stderr.
    // eslint-disable-next-line no-console
    console.log = console.info = console.warn = console.debug = console.error
  }

  const host = new HearthHost({ dataDir: options.dataDir, listen: options.listen, mdns: options.mdns })
  let hearth: Hearth
  try {
    const passphrase = await readPassphrase(await Store.isNew(options.dataDir), tty && !options.rpc)
    hearth = await host.open(passphrase, { create: 'if-missing', name: options.name })
  } catch (err) {
    if (err instanceof PromptCancelled) return 130
    if (err instanceof UsageError) {
      process.stderr.write(`hearth: ${err.message}\n`)
      return 64
    }
    const code = err instanceof HearthError ? err.code : undefined
    process.stderr.write(`hearth: ${err instanceof HearthError ? err.message : `could not start: ${(err as Error).message}`}\n`)
    return (code != null ? EXIT[code] : undefined) ?? 1
  }

  let stopping: Promise<void> | undefined
  const stop = async (): Promise<void> => {
    stopping ??= host.lock()
    await stopping
  }
  const onSignal = (): void => { void stop().then(() => process.exit(0)) }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  try {
    if (options.rpc) {
      const session = serveJsonRpc(host, process.stdin, process.stdout)
      // After a wipe there is nothing left to serve: answer, then leave.
      host.events.on('profile.status', (status) => { if (!status.exists) setImmediate(() => { process.stdin.destroy() }) })
      session.notify('ready', { peerId: hearth.peerId, addresses: hearth.addresses })
      await session.done
    } else {
      await runInteractive(hearth)
    }
  } finally {
    await stop()
  }
  return 0
}
