import { describe, expect, it } from 'vitest';
import { ipAllowList, ipAllowed } from './ip-allow-list.js';

const allowed = (subnets: string[], ip: string) => ipAllowed(ipAllowList(subnets), ip);

describe('ipAllowList / ipAllowed', () => {
  it('matches IPv4 subnets and single addresses', () => {
    expect(allowed(['10.0.0.0/8'], '10.255.1.2')).toBe(true);
    expect(allowed(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(allowed(['192.168.1.7'], '192.168.1.7')).toBe(true);
    expect(allowed(['192.168.1.7'], '192.168.1.8')).toBe(false);
    expect(allowed(['0.0.0.0/0'], '8.8.8.8')).toBe(true);
  });

  it('matches IPv6 subnets and single addresses', () => {
    expect(allowed(['2001:db8::/32'], '2001:db8:1::5')).toBe(true);
    expect(allowed(['2001:db8::/32'], '2001:db9::5')).toBe(false);
    expect(allowed(['::1'], '::1')).toBe(true);
    expect(allowed(['2001:db8::/32'], '10.0.0.1')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 client addresses against IPv4 subnets', () => {
    expect(allowed(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    expect(allowed(['10.0.0.0/8'], '::FFFF:10.1.2.3')).toBe(true);
    expect(allowed(['10.0.0.0/8'], '::ffff:a01:203')).toBe(true);
    expect(allowed(['10.0.0.0/8'], '::ffff:11.1.2.3')).toBe(false);
    expect(allowed(['127.0.0.1'], '::ffff:127.0.0.1')).toBe(true);
  });

  it('accepts a mixed list with spaces around entries', () => {
    const list = ipAllowList([' 10.0.0.0/8', '2001:db8::/32 ']);
    expect(ipAllowed(list, '10.9.9.9')).toBe(true);
    expect(ipAllowed(list, '2001:db8::9')).toBe(true);
    expect(ipAllowed(list, '172.16.0.1')).toBe(false);
  });

  it('lets no one in through entries that are not addresses', () => {
    const bad = ['office', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/8/8', '::/129', '*'];
    for (const ip of ['10.0.0.1', '::1', '1.2.3.4']) expect(allowed(bad, ip)).toBe(false);
    expect(allowed([...bad, '1.2.3.4'], '1.2.3.4')).toBe(true);
  });

  it('refuses a client IP that cannot be parsed', () => {
    expect(allowed(['0.0.0.0/0'], '')).toBe(false);
    expect(allowed(['0.0.0.0/0'], 'unknown')).toBe(false);
  });
});
