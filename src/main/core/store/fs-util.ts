import { link, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

/** Writes a uniquely named sibling of `path` (never truncating anyone else's), fsynced. */
async function writeSibling (path: string, data: Uint8Array): Promise<string> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } catch (err) {
    await fh.close()
    await rm(tmp, { force: true })
    throw err
  }
  await fh.close()
  return tmp
}

/**
 * Replaces a file atomically and durably: write a uniquely named sibling,
 * fsync it, rename it over the target, fsync the directory. A crash leaves
 * the old file or the new one, never a torn or empty one.
 */
export async function atomicWriteFile (path: string, data: Uint8Array): Promise<void> {
  const tmp = await writeSibling(path, data)
  try {
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await fsyncDir(dirname(path))
}

/**
 * Creates a file atomically and durably, only if it does not exist yet:
 * returns false (and writes nothing) when another process got there first.
 */
export async function atomicCreateFile (path: string, data: Uint8Array): Promise<boolean> {
  const tmp = await writeSibling(path, data)
  try {
    await link(tmp, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await rm(tmp, { force: true })
  }
  await fsyncDir(dirname(path))
  return true
}

/**
 * Overwrites a file in place with random bytes (at least `minBytes`) and
 * syncs it, so that its old content is gone from where it lay. Resolves to
 * false, having done nothing, if there is no such file.
 */
export async function overwriteInPlace (path: string, minBytes = 0): Promise<boolean> {
  let fh
  try {
    fh = await open(path, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  try {
    const size = Math.max((await fh.stat()).size, minBytes)
    await fh.write(randomBytes(size), 0, size, 0)
    await fh.sync()
  } finally {
    await fh.close()
  }
  return true
}

export async function fsyncDir (dir: string): Promise<void> {
  const dh = await open(dir, 'r')
  try {
    await dh.sync()
  } finally {
    await dh.close()
  }
}
