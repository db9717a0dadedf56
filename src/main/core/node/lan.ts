/**
 * What counts as "the LAN": private IPv4 ranges, loopback, link-local, and
 * IPv6 unique-local. Hearth dials and accepts nothing else, and never
 * resolves names (a DNS lookup would itself leave the LAN).
 */
import { BlockList, isIP } from 'node:net'
import type { Multiaddr } from '@multiformats/multiaddr'

const lan = new BlockList()
lan.addSubnet('10.0.0.0', 8, 'ipv4')
lan.addSubnet('172.16.0.0', 12, 'ipv4')
lan.addSubnet('192.168.0.0', 16, 'ipv4')
lan.addSubnet('127.0.0.0', 8, 'ipv4')
lan.addSubnet('169.254.0.0', 16, 'ipv4')
lan.addAddress('::1', 'ipv6')
lan.addSubnet('fe80::', 10, 'ipv6')
lan.addSubnet('fc00::', 7, 'ipv6')

/** True for an IP literal inside the LAN ranges above. */
export function isLanIp (ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped?.[1] != null) return isLanIp(mapped[1])
  const family = isIP(ip)
  if (family === 4) return lan.check(ip, 'ipv4')
  if (family === 6) return lan.check(ip.split('%')[0] ?? ip, 'ipv6')
  return false
}

/** True when a multiaddr starts with an IP literal inside the LAN. DNS names are never LAN. */
export function isLanMultiaddr (ma: Multiaddr): boolean {
  const first = ma.getComponents()[0]
  if (first == null || (first.name !== 'ip4' && first.name !== 'ip6') || first.value == null) return false
  return isLanIp(first.value)
}
