/**
 * Everything the benchmark starts or creates, released in reverse order at
 * the end, even when a step fails, so the process exits by itself and
 * leaves no temp dirs behind.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export class Resources {
  readonly #stack: Array<{ what: string, release: () => Promise<void> | void }> = []

  /** Registers a release step; steps run last-in, first-out. */
  defer (what: string, release: () => Promise<void> | void): void {
    this.#stack.push({ what, release })
  }

  /** A fresh temp dir, removed at the end. */
  async tempDir (label: string): Promise<string> {
    const path = await mkdtemp(join(tmpdir(), `hearth-bench-${label}-`))
    this.defer(`remove ${path}`, async () => rm(path, { recursive: true, force: true }))
    return path
  }

  async releaseAll (): Promise<void> {
    for (let step = this.#stack.pop(); step != null; step = this.#stack.pop()) {
      try {
        await step.release()
      } catch (err) {
        console.error(`bench: could not ${step.what}: ${(err as Error).message}`)
      }
    }
  }
}
