/**
 * Group messages on the wire and at rest: a GroupEnvelope is sealed with a
 * group key (AES-256-GCM, its header as associated data) and signed by its
 * author (Ed25519 over the whole envelope), so any member can check who
 * wrote it and store it for members who are away, and only holders of the
 * key can read it.
 */
import type { PrivateKey } from '@libp2p/interface'
import { MAX_EXPIRES_IN } from '../../../shared/api.js'
import { LIMITS, utf8Length } from '../../../shared/limits.js'
import { concat, owned, toHex, utf8 } from '../bytes.js'
import { open, seal } from '../crypto/index.js'
import { GROUP_ID_BYTES, signedBy } from './ops.js'
import { GroupEnvelope, GroupPayload } from './pb/group.js'

const SIGN_DOMAIN = utf8.encode('hearth/group-message/1')
const SEAL_DOMAIN = utf8.encode('hearth/group-seal/1')
export const MESSAGE_ID_BYTES = 16
/** The largest ciphertext an envelope may carry: the longest text, its lifetime, and the seal. */
export const MAX_CIPHERTEXT_BYTES = LIMITS.textBytes + 64

export class EnvelopeError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'EnvelopeError'
  }
}

/** An envelope whose shape and signature are checked (not yet opened). */
export interface CheckedEnvelope {
  id: string
  group: string
  author: string
  seq: number
  hlc: bigint
  keyOp: string
  envelope: GroupEnvelope
}

export interface GroupMessageContent {
  text: string
  expiresIn?: number
}

function header (e: GroupEnvelope): Uint8Array {
  return GroupEnvelope.encode({ ...e, ciphertext: new Uint8Array(0), signature: new Uint8Array(0) })
}

/** Seals and signs a message. */
export async function sealEnvelope (signer: PrivateKey, key: Uint8Array, fields: Omit<GroupEnvelope, 'ciphertext' | 'signature'>, content: GroupMessageContent): Promise<GroupEnvelope> {
  const unsignedEnvelope: GroupEnvelope = { ...fields, ciphertext: new Uint8Array(0), signature: new Uint8Array(0) }
  const payload = GroupPayload.encode({ text: content.text, ...(content.expiresIn != null ? { expiresIn: content.expiresIn } : {}) })
  const ciphertext = owned(seal(key, payload, concat(SEAL_DOMAIN, header(unsignedEnvelope))))
  const sealed = { ...unsignedEnvelope, ciphertext }
  const signature = await signer.sign(concat(SIGN_DOMAIN, GroupEnvelope.encode(sealed)))
  return { ...sealed, signature: new Uint8Array(signature) }
}

/** Checks an envelope's shape and its author's signature; throws EnvelopeError. */
export async function checkEnvelope (e: GroupEnvelope): Promise<CheckedEnvelope> {
  if (e.group.length !== GROUP_ID_BYTES) throw new EnvelopeError('bad group id')
  if (e.id.length !== MESSAGE_ID_BYTES) throw new EnvelopeError('bad message id')
  if (e.keyOp.length !== 32) throw new EnvelopeError('bad key reference')
  if (e.seq < 1n || e.seq > BigInt(Number.MAX_SAFE_INTEGER)) throw new EnvelopeError('bad sequence number')
  if (e.hlc === 0n) throw new EnvelopeError('no clock')
  if (e.ciphertext.length === 0 || e.ciphertext.length > MAX_CIPHERTEXT_BYTES) throw new EnvelopeError('bad ciphertext length')
  const author = await signedBy(e.author, concat(SIGN_DOMAIN, GroupEnvelope.encode({ ...e, signature: new Uint8Array(0) })), e.signature, reason => new EnvelopeError(reason))
  return { id: toHex(e.id), group: toHex(e.group), author: author.toString(), seq: Number(e.seq), hlc: e.hlc, keyOp: toHex(e.keyOp), envelope: e }
}

/** Opens an envelope with its group key; throws EnvelopeError if the key does not open it or what is inside is not a message. */
export function openEnvelope (e: GroupEnvelope, key: Uint8Array): GroupMessageContent {
  let payload: GroupPayload
  try {
    payload = GroupPayload.decode(open(key, e.ciphertext, concat(SEAL_DOMAIN, header(e))))
  } catch {
    throw new EnvelopeError('the group key does not open this message')
  }
  const { text, expiresIn } = payload
  if (text.length === 0 || utf8Length(text) > LIMITS.textBytes || !text.isWellFormed()) throw new EnvelopeError('the message text is empty, too long or not valid UTF-8')
  if (expiresIn != null && (expiresIn < 1 || expiresIn > MAX_EXPIRES_IN)) throw new EnvelopeError('the message lifetime is out of bounds')
  return { text, ...(expiresIn != null ? { expiresIn } : {}) }
}
