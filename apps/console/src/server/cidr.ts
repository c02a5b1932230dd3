import { isIP } from 'node:net';

/** An IPv4 or IPv6 range such as 10.0.0.0/8 or 2001:db8::/32; a bare address is one host. */
export function isCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  // isIP accepts IPv6 zone ids (fe80::1%eth0), which name an interface, not a range.
  if (rest.length > 0 || address.includes('%')) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}
