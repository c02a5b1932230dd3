import { BlockList, isIP } from 'node:net';

const PREFIX = /^\d{1,3}$/;

/**
 * The token's allowed subnets (`10.0.0.0/8`, `2001:db8::/32`, or single addresses) as a
 * BlockList, built once per cached token. An entry that is neither adds nothing, so a list of
 * only bad entries admits no one rather than everyone.
 */
export function ipAllowList(subnets: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of subnets) {
    const [address = '', prefix, extra] = entry.trim().split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) continue;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = PREFIX.test(prefix) ? Number(prefix) : -1;
    if (bits >= 0 && bits <= (family === 4 ? 32 : 128)) list.addSubnet(address, bits, type);
  }
  return list;
}

/**
 * Whether the client IP falls in the list. Node's BlockList matches IPv4-mapped IPv6 addresses
 * (`::ffff:10.1.2.3`, what a dual-stack socket reports) against IPv4 subnets and vice versa.
 */
export function ipAllowed(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}
