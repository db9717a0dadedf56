import { describe, expect, it } from 'vitest'
import { DialGate } from '../../src/main/core/node/webrtc-direct.js'

const LIMITS = { pending: 4, pendingPerHost: 2, perHostPerSecond: 5 }

function gate (): { gate: DialGate, tick: (ms: number) => void } {
  let now = 1_000_000
  return { gate: new DialGate(LIMITS, () => now), tick: ms => { now += ms } }
}

describe('the WebRTC-direct dial gate', () => {
  it('refuses dials from outside the LAN', () => {
    const { gate: g } = gate()
    expect(['8.8.8.8', '2001:db8::1', 'not an ip'].map(h => g.admit(h))).toEqual([false, false, false])
    expect(['192.168.1.5', '10.0.0.2', 'fe80::1'].map(h => g.admit(h))).toEqual([true, true, true])
  })

  it('lets one host have only a couple in the handshake, and takes more once they are over', () => {
    const { gate: g } = gate()
    expect([1, 2, 3].map(() => g.admit('10.0.0.1'))).toEqual([true, true, false])
    // Another host is not held back by it.
    expect(g.admit('10.0.0.2')).toBe(true)
    g.release('10.0.0.1')
    expect(g.admit('10.0.0.1')).toBe(true)
    expect(g.pending).toBe(3)
  })

  it('bounds the handshakes from all hosts together', () => {
    const { gate: g } = gate()
    const hosts = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']
    expect(hosts.map(h => g.admit(h))).toEqual([true, true, true, true, false])
    g.release('10.0.0.2')
    expect(g.admit('10.0.0.5')).toBe(true)
    // Releasing a host that holds nothing frees nothing.
    g.release('10.0.0.9')
    expect(g.admit('10.0.0.6')).toBe(false)
  })

  it('lets one host start only a few dials a second, then one more per fifth of a second', () => {
    const { gate: g, tick } = gate()
    const dial = (): boolean => {
      const ok = g.admit('10.0.0.1')
      if (ok) g.release('10.0.0.1')
      return ok
    }
    expect(Array.from({ length: 6 }, dial)).toEqual([true, true, true, true, true, false])
    tick(199)
    expect(dial()).toBe(false)
    tick(1)
    expect([dial(), dial()]).toEqual([true, false])
    expect({ admitted: g.admitted, refused: g.refused }).toEqual({ admitted: 6, refused: 3 })
  })

  it('remembers the rate of at most 1,024 hosts: idle ones are forgotten, and new hosts refused while none is idle', () => {
    const { gate: g, tick } = gate()
    const host = (i: number): string => `10.1.${i >> 8}.${i & 255}`
    for (let i = 0; i < 1024; i++) {
      expect(g.admit(host(i))).toBe(true)
      g.release(host(i))
    }
    // Every remembered host has just dialed: a new one is refused rather than forgetting one that is limited.
    expect(g.admit(host(2000))).toBe(false)
    // A second later they are all idle again (their budget refilled): forgotten, and the new host is taken.
    tick(1000)
    expect(g.admit(host(2000))).toBe(true)
  })
})
