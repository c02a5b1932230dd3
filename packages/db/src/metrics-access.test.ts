import { describe, expect, it } from 'vitest';
import { metricsRefusal } from './metrics-access.js';

describe('who may read /metrics', () => {
  it('without a token: loopback clients only, and not through a reverse proxy', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(metricsRefusal('', { remoteAddress: address, headers: {} })).toBeUndefined();
    }
    for (const address of ['10.0.0.5', '::ffff:192.168.1.2', 'fe80::1', undefined]) {
      expect(metricsRefusal('', { remoteAddress: address, headers: {} })?.status).toBe(403);
    }
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const refusal = metricsRefusal('', {
        remoteAddress: '127.0.0.1',
        headers: { [header]: '203.0.113.9' },
      });
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain('METRICS_TOKEN');
    }
  });

  it('with a token: the bearer, from anywhere, and nothing else', () => {
    const token = 's3cret-token';
    const ask = (authorization: string | undefined, remoteAddress = '10.0.0.5') =>
      metricsRefusal(token, { remoteAddress, headers: { authorization } })?.status;
    expect(ask(`Bearer ${token}`)).toBeUndefined();
    expect(ask(`bearer ${token}`)).toBeUndefined();
    expect(ask(undefined)).toBe(401);
    expect(ask(undefined, '127.0.0.1')).toBe(401);
    expect(ask(token)).toBe(401);
    expect(ask(`Bearer ${token}x`)).toBe(401);
    expect(ask(`Bearer ${token.slice(0, -1)}`)).toBe(401);
    expect(ask(`Basic ${token}`)).toBe(401);
  });
});
