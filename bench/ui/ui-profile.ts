/**
 * A profile for the UI benchmark, written straight through the store API
 * (the same sealed records and keys the app writes): contacts in the
 * contact book, each with a conversation of a chosen length. Messages
 * alternate unevenly between the two sides, vary in length (some span
 * several lines), and are spread over days so day separators appear.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { toHex } from '../../src/main/core/bytes.js'
import { putContact } from '../../src/main/core/store/contacts.js'
import { insertMessage } from '../../src/main/core/store/messages.js'
import { loadOrCreateProfile } from '../../src/main/core/store/profile.js'
import type { ContactRecord, MessageRecord } from '../../src/main/core/store/records.js'
import { Store, type BatchOp } from '../../src/main/core/store/store.js'
import { PASSPHRASE, TEST_KDF } from '../../test/fixtures/peers.js'
import { mulberry32 } from '../../test/fixtures/random.js'

const TEXTS = [
  'ok',
  'lol',
  'see you at seven?',
  'Bringing the cake 🎂',
  'Did you take the bins out this morning or should I do it now?',
  'Can you pick up milk, bread and something for the cat on your way home? The usual one, not the fish.',
  'The router in the hall keeps dropping the connection; I restarted it twice and it is still flaky after dinner. I think the power brick is going, it gets really warm. Shall we just order a new one and be done with it?',
  'Shopping list:\n- eggs\n- flour\n- butter\n- lemons',
  'Sure.\nBut not before nine, I have a call until then.',
  'Here is the plan for Saturday:\n1. market in the morning\n2. lunch at Gran\'s\n3. the long walk if it stays dry\n4. pizza\n\nSay if you want to swap anything.',
  '👍',
  'Thanks! That helps a lot, honestly. I owe you one.'
]

/** Deterministic, so every run writes the same history. */
const random = mulberry32

interface ConversationSpec {
  name: string
  messages: number
  /** Days the conversation spans; its last message is `endsAgoMs` before now. */
  days: number
  endsAgoMs: number
}

export interface BuiltConversation {
  peerId: string
  name: string
  /** Message ids, oldest first. */
  ids: string[]
  days: number
}

/** Creates the profile in the empty `dataDir` (cheap KDF) and writes each conversation into it. */
export async function writeUiProfile (dataDir: string, specs: ConversationSpec[], batchSize = 2_000): Promise<BuiltConversation[]> {
  const { store } = await Store.open({ dataDir, passphrase: PASSPHRASE, kdf: TEST_KDF })
  try {
    const profile = await loadOrCreateProfile(store, 'Bench')
    const self = peerIdFromPrivateKey(profile.privateKey).toString()
    const built: BuiltConversation[] = []
    for (const [n, spec] of specs.entries()) built.push(await writeConversation(store, self, spec, n + 1, batchSize))
    return built
  } finally {
    await store.close()
  }
}

async function writeConversation (store: Store, self: string, spec: ConversationSpec, seed: number, batchSize: number): Promise<BuiltConversation> {
  const rand = random(seed)
  const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const end = Date.now() - spec.endsAgoMs
  const span = spec.days * 86_400_000
  // No addresses: nothing dials this contact, and it stays offline.
  const contact: ContactRecord = { peerId, name: spec.name, verified: false, addedAt: end - span - 60_000, addresses: [], via: 'invite' }
  await store.batch([putContact(store, contact)])

  const ids: string[] = []
  const step = span / Math.max(1, spec.messages)
  let outgoing = false
  for (let done = 0; done < spec.messages;) {
    const ops: BatchOp[] = []
    const stop = Math.min(spec.messages, done + batchSize)
    for (let i = done; i < stop; i++) {
      // Evenly spread with jitter, still strictly increasing.
      const sentAt = Math.round(end - span + i * step + rand() * step * 0.9)
      // Runs of a few messages from one side, then the other.
      if (rand() < 0.45) outgoing = !outgoing
      const id = toHex(Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)))
      const recent = spec.messages - i <= 3
      const record: MessageRecord = {
        id,
        with: peerId,
        from: outgoing ? self : peerId,
        outgoing,
        text: TEXTS[Math.floor(rand() * TEXTS.length)] ?? 'hi',
        // The clock's layout: milliseconds above a 16-bit counter.
        hlc: (BigInt(sentAt) << 16n).toString(),
        sentAt,
        receivedAt: sentAt,
        // All read, so nothing is unread; the last few outgoing ones only delivered, for the ticks.
        status: outgoing && recent ? 'delivered' : 'read'
      }
      ids.push(id)
      ops.push(...insertMessage(store, record))
    }
    await store.batch(ops, { sync: stop === spec.messages })
    done = stop
  }
  return { peerId, name: spec.name, ids, days: spec.days }
}
