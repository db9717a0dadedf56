/** The profile's own records: identity (key and name) and settings. */
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { toString, fromString } from 'uint8arrays'
import { HearthError } from '../errors.js'
import { IdentityRecord, SettingsRecord, parseRecord } from './records.js'
import type { Store } from './store.js'
import { makeKey, Table } from './tables.js'

const IDENTITY_KEY = makeKey(Table.IDENTITY, new Uint8Array([0x01]))
const SETTINGS_KEY = makeKey(Table.META, new Uint8Array([0x02]))

export const DEFAULT_SETTINGS: SettingsRecord = { readReceipts: true, hideNotificationText: false, autoLockMinutes: 0 }

export interface Profile {
  privateKey: PrivateKey
  name: string
  createdAt: number
}

export async function loadProfile (store: Store): Promise<Profile | undefined> {
  const value = await store.getJson(IDENTITY_KEY)
  if (value === undefined) return undefined
  const record = parseRecord(IdentityRecord, value, 'identity')
  return {
    privateKey: privateKeyFromProtobuf(fromString(record.privateKey, 'base64')),
    name: record.name,
    createdAt: record.createdAt
  }
}

/** Creates the Ed25519 identity once; later calls return the stored one. */
export async function loadOrCreateProfile (store: Store, name: string): Promise<Profile> {
  const existing = await loadProfile(store)
  if (existing != null) return existing
  const privateKey = await generateKeyPair('Ed25519')
  const profile = { privateKey, name, createdAt: Date.now() }
  await store.batch([
    store.putJson(IDENTITY_KEY, identityRecord(profile)),
    store.putJson(SETTINGS_KEY, DEFAULT_SETTINGS)
  ])
  return profile
}

export async function saveName (store: Store, profile: Profile, name: string): Promise<void> {
  if (name.length === 0) throw new HearthError('INVALID_PARAMS', 'the name must not be empty')
  await store.batch([store.putJson(IDENTITY_KEY, identityRecord({ ...profile, name }))])
  profile.name = name
}

function identityRecord (profile: Profile): IdentityRecord {
  return {
    privateKey: toString(privateKeyToProtobuf(profile.privateKey), 'base64'),
    name: profile.name,
    createdAt: profile.createdAt
  }
}

export async function loadSettings (store: Store): Promise<SettingsRecord> {
  const value = await store.getJson(SETTINGS_KEY)
  return value === undefined ? { ...DEFAULT_SETTINGS } : parseRecord(SettingsRecord, value, 'settings')
}

export async function saveSettings (store: Store, settings: SettingsRecord): Promise<void> {
  await store.batch([store.putJson(SETTINGS_KEY, settings)])
}
