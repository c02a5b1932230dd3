import { describe, expect, it } from 'vitest';
import {
  effectiveTokenStatus,
  tokenExpiresAt,
  tokenProblem,
  type TokenLimits,
} from './token-validity.js';

const NOW = 1_750_000_000;

const token = (overrides: Partial<TokenLimits> = {}): TokenLimits => ({
  status: 1,
  expiryMode: 'fixed',
  expiredTime: -1,
  durationSeconds: 0,
  firstUsedTime: 0,
  remainQuota: 1000,
  unlimitedQuota: false,
  ...overrides,
});

describe('tokenExpiresAt', () => {
  it('is the fixed expiry, or null for -1', () => {
    expect(tokenExpiresAt(token({ expiredTime: NOW + 60 }))).toBe(NOW + 60);
    expect(tokenExpiresAt(token())).toBeNull();
  });

  it('starts the first_use clock at the first use only', () => {
    const unused = token({ expiryMode: 'first_use', durationSeconds: 3600 });
    expect(tokenExpiresAt(unused)).toBeNull();
    expect(tokenExpiresAt({ ...unused, firstUsedTime: NOW })).toBe(NOW + 3600);
  });

  it('ignores expiredTime in first_use mode', () => {
    const t = token({ expiryMode: 'first_use', durationSeconds: 60, expiredTime: NOW - 1 });
    expect(tokenExpiresAt(t)).toBeNull();
  });
});

describe('tokenProblem', () => {
  it.each([
    ['a fresh limited key', token(), null],
    ['a key that never expires', token({ expiredTime: -1 }), null],
    ['one second before its fixed expiry', token({ expiredTime: NOW + 1 }), null],
    ['at its fixed expiry', token({ expiredTime: NOW }), 'expired'],
    ['after its fixed expiry', token({ expiredTime: NOW - 3600 }), 'expired'],
    [
      'an unused first_use key, however old',
      token({ expiryMode: 'first_use', durationSeconds: 60 }),
      null,
    ],
    [
      'a first_use key inside its lifetime',
      token({ expiryMode: 'first_use', durationSeconds: 60, firstUsedTime: NOW - 59 }),
      null,
    ],
    [
      'a first_use key whose lifetime ran out',
      token({ expiryMode: 'first_use', durationSeconds: 60, firstUsedTime: NOW - 60 }),
      'expired',
    ],
    ['a limited key with quota 0', token({ remainQuota: 0 }), 'exhausted'],
    ['a limited key overdrawn', token({ remainQuota: -5 }), 'exhausted'],
    ['an unlimited key with quota 0', token({ remainQuota: 0, unlimitedQuota: true }), null],
    [
      'a key both expired and exhausted reports the expiry',
      token({ remainQuota: 0, expiredTime: NOW - 1 }),
      'expired',
    ],
  ] as const)('%s → %s', (_name, t, expected) => {
    expect(tokenProblem(t, NOW)).toBe(expected);
  });
});

describe('effectiveTokenStatus', () => {
  it('shows an enabled key that expired as 3 and one out of quota as 4', () => {
    expect(effectiveTokenStatus(token(), NOW)).toBe(1);
    expect(effectiveTokenStatus(token({ expiredTime: NOW - 1 }), NOW)).toBe(3);
    expect(effectiveTokenStatus(token({ remainQuota: 0 }), NOW)).toBe(4);
  });

  it('keeps a stored non-enabled status, even once the cause is gone', () => {
    expect(effectiveTokenStatus(token({ status: 2, expiredTime: NOW - 1 }), NOW)).toBe(2);
    expect(effectiveTokenStatus(token({ status: 4, remainQuota: 500 }), NOW)).toBe(4);
  });
});
