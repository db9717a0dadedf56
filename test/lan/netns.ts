/**
 * A real LAN made of Linux network namespaces: a hub namespace holding a
 * bridge, and one namespace per host joined to it by a veth pair, on a
 * private subnet that exists only inside the test. Multicast (mDNS) is
 * routed and flooded. Needs root and iproute2; `probeLan` says why not.
 *
 * Every name starts with a run prefix (`hearth-lan-<pid of the vitest
 * process>`), so parallel runs never collide and leftovers of a dead run can
 * be told apart from those of a live one.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/** The test's private subnet: 10.231.0.0/24. Hosts get .11, .12, ... */
const SUBNET = '10.231.0'
export const SUBNET_CIDR = `${SUBNET}.0/24`
/** Every namespace of this suite starts with this, then the pid of the run that made it. */
export const NS_PREFIX = 'hearth-lan-'
const BRIDGE = 'br0'
const HOST_IF = 'eth0'

export type LanSupport = { ok: true } | { ok: false, reason: string }

export interface LanHost {
  /** A short label, e.g. "a". */
  label: string
  /** The host's network namespace. */
  ns: string
  /** Its address on the subnet. */
  ip: string
  /** Its port on the bridge (an interface in the hub namespace). */
  port: string
}

function describeFailure (err: unknown): string {
  const e = err as { stderr?: string, code?: string | number, message?: string }
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : ''
  if (stderr.length > 0) return stderr
  if (e.code === 'ENOENT') return 'no `ip` command (iproute2 is not installed)'
  return e.message ?? String(err)
}

/** Runs `ip ARGS`, failing with ip's own message. */
export async function ip (...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync('ip', args, { encoding: 'utf8' })
    return stdout
  } catch (err) {
    throw new Error(`ip ${args.join(' ')}: ${describeFailure(err)}`, { cause: err })
  }
}

function ipSync (args: string[], input?: string): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] })
  } catch {
    return ''
  }
}

/**
 * Whether this machine can build the LAN, and if not, why. HEARTH_LAN=off
 * turns the LAN suite off (and is how its skip path is exercised as root).
 */
export async function probeLan (runPrefix: string): Promise<LanSupport> {
  if (process.env.HEARTH_LAN === 'off') return { ok: false, reason: 'HEARTH_LAN=off is set' }
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces are Linux only (this is ${process.platform})` }
  const uid = process.getuid?.()
  if (uid !== 0) return { ok: false, reason: `not root (uid ${uid ?? '?'}): creating network namespaces needs root` }
  try {
    await execFileAsync('ip', ['-V'])
  } catch (err) {
    return { ok: false, reason: describeFailure(err) }
  }
  const probe = `${runPrefix}-probe`
  try {
    await ip('netns', 'add', probe)
  } catch (err) {
    return { ok: false, reason: `\`ip netns add\` failed: ${(err as Error).message}` }
  }
  try {
    await ip('-n', probe, 'link', 'add', 'probe-br', 'type', 'bridge')
    await ip('-n', probe, 'link', 'add', 'probe-a', 'type', 'veth', 'peer', 'name', 'probe-b')
    return { ok: true }
  } catch (err) {
    return { ok: false, reason: `network namespaces work but bridges or veth pairs do not: ${(err as Error).message}` }
  } finally {
    await ip('netns', 'del', probe).catch(() => {})
  }
}

/** Every network namespace on the machine, by name. */
export async function listNamespaces (): Promise<string[]> {
  return parseNetnsList(await ip('netns', 'list'))
}

function parseNetnsList (out: string): string[] {
  return out.split('\n').map(line => line.split(' ')[0] ?? '').filter(name => name.length > 0)
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * True for a name of this suite (`hearth-lan-<pid>` or `hearth-lan-<pid>-...`)
 * whose run is over: its vitest process is gone.
 */
export function deadRun (name: string): boolean {
  const m = new RegExp(`^${NS_PREFIX}(\\d+)(-|$)`).exec(name)
  return m?.[1] != null && !alive(Number(m[1]))
}

/** Kills every process inside the namespaces and deletes them; synchronous, so it can run in an exit handler. */
function removeNamespacesSync (names: string[]): void {
  if (names.length === 0) return
  for (const ns of names) {
    for (const pid of ipSync(['netns', 'pids', ns]).split('\n').map(Number).filter(p => p > 0)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  }
  // One `ip` for all of them: this may run while vitest is shutting down.
  ipSync(['-force', '-batch', '-'], names.map(ns => `netns del ${ns}\n`).join(''))
}

/**
 * Removes what a run left behind: the namespaces of `runPrefix`, and those of
 * any earlier run whose process is gone. A live parallel run's are kept.
 * Returns the names removed.
 */
export function removeLeftoversSync (runPrefix: string): string[] {
  const stale = parseNetnsList(ipSync(['netns', 'list'])).filter(ns => ns.startsWith(`${runPrefix}-`) || deadRun(ns))
  removeNamespacesSync(stale)
  return stale
}

/** Three (or more) hosts on one bridge. */
export class VirtualLan {
  readonly hub: string
  readonly hosts: LanHost[]
  readonly #created: string[] = []
  #destroyed = false

  private constructor (readonly prefix: string, labels: string[]) {
    this.hub = `${prefix}-hub`
    this.hosts = labels.map((label, i) => ({ label, ns: `${prefix}-${label}`, ip: `${SUBNET}.${11 + i}`, port: `p-${label}` }))
  }

  /**
   * Builds the LAN. On failure, whatever was made is removed before the
   * error is thrown.
   */
  static async create (prefix: string, labels: string[]): Promise<VirtualLan> {
    const lan = new VirtualLan(prefix, labels)
    try {
      await lan.build()
    } catch (err) {
      lan.destroySync()
      throw err
    }
    return lan
  }

  private async addNamespace (ns: string): Promise<void> {
    await ip('netns', 'add', ns)
    this.#created.push(ns)
    await ip('-n', ns, 'link', 'set', 'lo', 'up')
  }

  private async build (): Promise<void> {
    await this.addNamespace(this.hub)
    // No IGMP snooping: a switch that forwards multicast only to ports that
    // joined the group would depend on queriers this LAN does not have.
    await ip('-n', this.hub, 'link', 'add', BRIDGE, 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0')
    await ip('-n', this.hub, 'link', 'set', BRIDGE, 'up')
    for (const host of this.hosts) {
      await this.addNamespace(host.ns)
      // Made from inside the hub, the host's end lands in its namespace as eth0 directly.
      await ip('-n', this.hub, 'link', 'add', host.port, 'type', 'veth', 'peer', 'name', HOST_IF, 'netns', host.ns)
      await ip('-n', this.hub, 'link', 'set', host.port, 'master', BRIDGE)
      await ip('-n', this.hub, 'link', 'set', host.port, 'up')
      await ip('-n', host.ns, 'addr', 'add', `${host.ip}/24`, 'dev', HOST_IF)
      await ip('-n', host.ns, 'link', 'set', HOST_IF, 'up')
      // mDNS sends to 224.0.0.251; without a route (there is no default one) that fails.
      await ip('-n', host.ns, 'route', 'add', '224.0.0.0/4', 'dev', HOST_IF)
    }
  }

  host (label: string): LanHost {
    const host = this.hosts.find(h => h.label === label)
    if (host == null) throw new Error(`no host ${label} on this LAN`)
    return host
  }

  /** Unplugs a host: its port on the bridge goes down, so its own link loses carrier. */
  async linkDown (host: LanHost): Promise<void> {
    await ip('-n', this.hub, 'link', 'set', host.port, 'down')
  }

  async linkUp (host: LanHost): Promise<void> {
    await ip('-n', this.hub, 'link', 'set', host.port, 'up')
  }

  /** Whether the host's link has carrier (as its own namespace sees it). */
  async carrier (host: LanHost): Promise<boolean> {
    return /[<,]LOWER_UP[,>]/.test(await ip('-n', host.ns, 'link', 'show', HOST_IF))
  }

  /** Kills every process left in the LAN's namespaces and deletes them. Safe to call more than once. */
  destroySync (): void {
    if (this.#destroyed) return
    this.#destroyed = true
    removeNamespacesSync([...this.#created].reverse())
  }
}
