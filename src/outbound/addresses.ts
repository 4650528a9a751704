import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard of outbound webhooks: addresses a receiver may not have in production (loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast, unspecified, documentation and benchmarking ranges),
 * unless `OUTBOUND_WEBHOOKS_ALLOW_PRIVATE=true`. Checked on the configured host and again on every address it
 * resolves to at send time (DNS can point a public name at 127.0.0.1).
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** Host names that always mean this machine or its network. */
const LOCAL_NAMES = /^(localhost|localhost\.localdomain|.*\.localhost|.*\.local|.*\.internal)$/i;

/** True when `address` (an IP literal) is one a production receiver may not have. */
export function isPrivateAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '');
  const family = isIP(plain);
  if (family === 0) return false;
  if (family === 6) {
    // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address underneath.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain)?.[1];
    if (mapped) return blocked.check(mapped, 'ipv4');
    return blocked.check(plain, 'ipv6');
  }
  return blocked.check(plain, 'ipv4');
}

/** True when a URL's host is a private address literal or a local name. */
export function isPrivateHost(hostname: string): boolean {
  return isPrivateAddress(hostname) || LOCAL_NAMES.test(hostname.replace(/\.$/, ''));
}
