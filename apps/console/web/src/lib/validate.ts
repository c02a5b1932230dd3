const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipVersion(address: string): 4 | 6 | 0 {
  if (IPV4.test(address)) return 4;
  if (!address.includes(':') || !/^[0-9a-fA-F:.]+$/.test(address)) return 0;
  try {
    // The URL parser knows every IPv6 spelling (::, embedded IPv4); zone ids are refused above.
    new URL(`http://[${address}]/`);
    return 6;
  } catch {
    return 0;
  }
}

/** An IP address or CIDR range, as token.create accepts it (10.0.0.0/8, 2001:db8::/32, 1.2.3.4). */
export function isIpOrCidr(value: string): boolean {
  const [address = '', prefix, ...rest] = value.split('/');
  const version = ipVersion(address);
  if (rest.length > 0 || version === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Entries of a list typed one per line or separated by commas. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
