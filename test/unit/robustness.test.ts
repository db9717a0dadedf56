/**
 * Small guards that keep the node on the LAN and the JSON-RPC output
 * bounded, and stale contact requests from piling up.
 */
import { Writable } from 'node:stream'
import { PassThrough } from 'node:stream'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiHandlers, Events } from '../../src/shared/api.js'
import { serveJsonRpc, MAX_BACKLOG_BYTES } from '../../src/main/cli/rpc.js'
import { Emitter } from '../../src/main/core/emitter.js'
import { lanOnlyGater } from '../../src/main/core/node/create-node.js'
import { DECLINE_COOLDOWN_MS, listIncomingRequests, purgeStaleRequests, putIncomingRequest, REQUEST_TTL_MS } from '../../src/main/core/store/contacts.js'
import { Store } from '../../src/main/core/store/store.js'
import { PASSPHRASE, TEST_KDF } from '../fixtures/peers.js'
import { tempDir } from '../fixtures/tmp.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

const PEER = peerIdFromString('12D3KooWRkGLz4YbVmrsWK75VjFTs8NvaBu42xhAmQaP4KeJpw1L')

describe('the LAN-only gater', () => {
  it('keeps no announced address off the LAN in the peer store, and dials none', async () => {
    const keep = (a: string): boolean => lanOnlyGater.filterMultiaddrForPeer?.(PEER, multiaddr(a)) as boolean
    expect(keep('/ip4/192.168.1.20/tcp/4001')).toBe(true)
    expect(keep('/ip4/8.8.8.8/tcp/4001')).toBe(false)
    expect(keep('/dns4/stranger.example/tcp/4001')).toBe(false)
    expect(keep('/dnsaddr/stranger.example')).toBe(false)
    expect(await lanOnlyGater.denyDialMultiaddr?.(multiaddr('/dns4/localhost/tcp/1'))).toBe(true)
    expect(await lanOnlyGater.denyDialMultiaddr?.(multiaddr('/ip6/2001:db8::1/tcp/1'))).toBe(true)
    expect(await lanOnlyGater.denyDialMultiaddr?.(multiaddr('/ip4/10.1.2.3/tcp/1'))).toBe(false)
  })
})

describe('JSON-RPC output to a reader that does not keep up', () => {
  it('drops passing notifications beyond the backlog, but never message news', () => {
    const written: string[] = []
    // A pipe nobody reads: nothing ever drains.
    const output = new Writable({ highWaterMark: 1024, write: (chunk: Buffer, _enc, _cb) => { written.push(chunk.toString()) } })
    const events = new Emitter<Events>()
    const input = new PassThrough()
    serveJsonRpc({ api: {} as ApiHandlers, events }, input, output)
    const peers = Array.from({ length: 2000 }, (_, i) => ({ peerId: `p${i}`.padEnd(52, 'x'), addresses: ['/ip4/10.0.0.1/tcp/1'], contact: false }))
    let sent = 0
    while (output.writableLength <= MAX_BACKLOG_BYTES) {
      events.emit('nearby.changed', { peers })
      sent++
    }
    const before = output.writableLength
    for (let i = 0; i < 20; i++) events.emit('nearby.changed', { peers })
    events.emit('typing', { peerId: 'p', typing: true })
    expect(output.writableLength).toBe(before)
    events.emit('message.received', { id: 'a'.repeat(32), from: 'p', text: 'still delivered', sentAt: 1 })
    expect(output.writableLength).toBeGreaterThan(before)
    expect(sent).toBeGreaterThan(1)
    input.end()
  })
})

describe('contact requests', () => {
  it('are forgotten after a week unanswered, and declines after their cool-down', async () => {
    const dir = await tempDir()
    cleanups.push(dir.cleanup)
    const { store } = await Store.open({ dataDir: dir.path, passphrase: PASSPHRASE, kdf: TEST_KDF })
    cleanups.push(async () => store.close())
    const now = 10_000_000_000
    const ids = ['12D3KooWBXgBZDTr2ddfACdt629SstUey3TYeXv4Y3VzoksvBijs', '12D3KooWAHTjhKbgBT5xVmuQqcmKUezp1h5gP5UPTdQM4f5iHMr1', '12D3KooWNc1X4FmPrrD4qhyaioYsCFPJdgpMqYGUNGpWnUSzvDWe', '12D3KooWSUyMrFeQUZCi8KnGuXpdNXwnKrraiAudvwPyoU8FArUe']
    await store.batch([
      putIncomingRequest(store, { peerId: ids[0]!, name: 'fresh', receivedAt: now - 1000, addresses: [] }),
      putIncomingRequest(store, { peerId: ids[1]!, name: 'old', receivedAt: now - REQUEST_TTL_MS, addresses: [] }),
      putIncomingRequest(store, { peerId: ids[2]!, name: 'declined lately', receivedAt: now - REQUEST_TTL_MS * 2, declinedAt: now - 1000, addresses: [] }),
      putIncomingRequest(store, { peerId: ids[3]!, name: 'declined long ago', receivedAt: 0, declinedAt: now - DECLINE_COOLDOWN_MS, addresses: [] })
    ])
    expect(await purgeStaleRequests(store, now)).toBe(2)
    expect((await listIncomingRequests(store)).map(r => r.name).sort()).toEqual(['declined lately', 'fresh'])
  })
})
