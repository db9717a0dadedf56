import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Replaces a file atomically and durably: write a sibling, fsync it, rename
 * it over the target, fsync the directory. A crash leaves the old file or
 * the new one, never a torn mix.
 */
export async function atomicWriteFile (path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  try {
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await fsyncDir(dirname(path))
}

export async function fsyncDir (dir: string): Promise<void> {
  const dh = await open(dir, 'r')
  try {
    await dh.sync()
  } finally {
    await dh.close()
  }
}
