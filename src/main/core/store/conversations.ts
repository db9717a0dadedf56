/** Per-conversation settings (the agreed disappearing-message timer), keyed by the conversation's keyed hash. */
import { ConversationRecord, parseRecord } from './records.js'
import { Store, type BatchOp } from './store.js'
import { makeKey, Table } from './tables.js'

export async function listConversations (store: Store): Promise<ConversationRecord[]> {
  const out: ConversationRecord[] = []
  for await (const { value } of store.entries(Store.range(Table.CONVERSATIONS))) out.push(parseRecord(ConversationRecord, value, 'conversation'))
  return out
}

export function putConversation (store: Store, record: ConversationRecord): BatchOp {
  return store.putJson(makeKey(Table.CONVERSATIONS, store.hash('conv', record.peerId)), record)
}
