/**
 * Schema versions and the ordered list of migrations between them. The
 * version lives sealed in the META table; a store newer than this build is
 * refused rather than misread.
 */
import { HearthError } from '../errors.js'
import type { Store } from './store.js'
import { makeKey, Table } from './tables.js'

/** Version 1 is the initial schema; it has no migration. */
export const SCHEMA_VERSION = 1

export interface Migration {
  /** The schema version this migration produces; migrations run in ascending order. */
  to: number
  up: (store: Store) => Promise<void>
}

/** Every migration ever shipped, oldest first. Append only. */
export const MIGRATIONS: Migration[] = []

const SCHEMA_KEY = makeKey(Table.META, new Uint8Array([0x01]))

function parseSchema (value: unknown): number {
  if (typeof value === 'object' && value !== null && Number.isSafeInteger((value as { schema?: unknown }).schema)) {
    return (value as { schema: number }).schema
  }
  throw new HearthError('INTERNAL', 'the schema record is damaged')
}

export async function readSchemaVersion (store: Store): Promise<number | undefined> {
  const value = await store.getJson(SCHEMA_KEY)
  return value === undefined ? undefined : parseSchema(value)
}

/**
 * Brings the store to `target`: a new store is stamped; an older one is
 * migrated step by step, the version recorded after each step; a newer one
 * is refused.
 */
export async function runMigrations (store: Store, migrations: Migration[], target: number): Promise<void> {
  const current = await readSchemaVersion(store)
  if (current === undefined) {
    await store.batch([store.putJson(SCHEMA_KEY, { schema: target })])
    return
  }
  if (current > target) {
    throw new HearthError('SCHEMA_TOO_NEW', `this data directory was written by a newer Hearth (schema ${current}); this build reads up to schema ${target}`)
  }
  const pending = migrations.filter(m => m.to > current && m.to <= target).sort((a, b) => a.to - b.to)
  for (const migration of pending) {
    await migration.up(store)
    await store.batch([store.putJson(SCHEMA_KEY, { schema: migration.to })])
  }
}
