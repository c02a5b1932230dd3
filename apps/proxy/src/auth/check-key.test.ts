import { describe, expect, it } from 'vitest';
import { Role, TokenStatus, UserStatus, type Token } from '@chat-api/db';
import { checkKey, type KeyCheck, type KeyOwner } from './check-key.js';
import { prepareToken } from './prepared-token.js';

const NOW = 1_750_000_000;

const tokenRecord = (overrides: Partial<Token> = {}): Token => ({
  id: 1,
  userId: 7,
  name: 'test',
  keyHint: 'abcd',
  status: TokenStatus.enabled,
  createdTime: NOW - 86_400,
  accessedTime: 0,
  expiredTime: -1,
  expiryMode: 'fixed',
  durationSeconds: 0,
  firstUsedTime: 0,
  remainQuota: 1000,
  unlimitedQuota: false,
  usedQuota: 0,
  models: [],
  subnets: [],
  group: '',
  rpmLimit: 0,
  tpmLimit: 0,
  concurrencyLimit: 0,
  ...overrides,
});

const owner = (overrides: Partial<KeyOwner> = {}): KeyOwner => ({
  status: UserStatus.enabled,
  quota: 5000,
  role: Role.common,
  group: 'default',
  ...overrides,
});

const check = (
  token: Partial<Token> = {},
  rest: Partial<Omit<KeyCheck, 'token'>> = {},
): string | null =>
  checkKey({
    token: prepareToken(tokenRecord(token), 'a'.repeat(64)),
    owner: owner(),
    ip: '10.1.2.3',
    model: 'gpt-4o',
    now: NOW,
    ...rest,
  })?.code ?? null;

describe('checkKey', () => {
  it('lets a valid key through', () => {
    expect(check()).toBeNull();
  });

  it('reports refusals in order of precedence', () => {
    // Everything wrong at once; fixing one problem at a time reveals the next.
    const token: Partial<Token> = {
      status: TokenStatus.disabled,
      expiredTime: NOW - 1,
      remainQuota: 0,
      subnets: ['192.168.0.0/16'],
      models: ['o3'],
    };
    const rest: Partial<KeyCheck> = {
      owner: owner({ status: UserStatus.disabled, quota: 0 }),
      pinnedChannelId: 3,
    };
    const seen: (string | null)[] = [check(token, rest)];
    const fixes: (() => void)[] = [
      () => (token.status = TokenStatus.enabled),
      () => (token.expiredTime = -1),
      () => (token.remainQuota = 10),
      () => (rest.owner = owner({ quota: 0 })),
      () => (rest.owner = owner()),
      () => (token.subnets = ['10.0.0.0/8']),
      () => (token.models = ['gpt-4o']),
      () => (rest.owner = owner({ role: Role.admin })),
    ];
    for (const fix of fixes) {
      fix();
      seen.push(check(token, rest));
    }
    expect(seen).toEqual([
      'token_disabled',
      'token_expired',
      'token_exhausted',
      'user_disabled',
      'insufficient_user_quota',
      'ip_not_allowed',
      'model_not_allowed',
      'channel_pin_not_allowed',
      null,
    ]);
  });

  it('answers with the HTTP status and body of each refusal', () => {
    const refusal = checkKey({
      token: prepareToken(tokenRecord({ models: ['o3'] }), 'a'.repeat(64)),
      owner: owner(),
      ip: '10.1.2.3',
      model: 'gpt-4o',
      now: NOW,
    });
    expect(refusal?.statusCode).toBe(403);
    expect(refusal?.toBody().error).toMatchObject({
      code: 'model_not_allowed',
      type: 'invalid_request_error',
      message: expect.stringContaining('gpt-4o') as unknown,
    });
  });

  describe('token status and expiry', () => {
    it('keeps refusing a key stored as expired or exhausted, even if its limits now pass', () => {
      expect(check({ status: TokenStatus.expired })).toBe('token_expired');
      expect(check({ status: TokenStatus.exhausted })).toBe('token_exhausted');
    });

    it('treats an unknown stored status as disabled', () => {
      expect(check({ status: 0 })).toBe('token_disabled');
      expect(check({ status: 9 })).toBe('token_disabled');
    });

    it('expires a fixed key at its expiredTime, and never with -1', () => {
      expect(check({ expiredTime: NOW + 1 })).toBeNull();
      expect(check({ expiredTime: NOW })).toBe('token_expired');
      expect(check({ expiredTime: -1 }, { now: 4_000_000_000 })).toBeNull();
    });

    it('accepts a first_use key whose clock has not started, however old', () => {
      const unused = { expiryMode: 'first_use', durationSeconds: 60 } as const;
      expect(check(unused, { now: 4_000_000_000 })).toBeNull();
      expect(check({ ...unused, firstUsedTime: NOW - 59 })).toBeNull();
      expect(check({ ...unused, firstUsedTime: NOW - 60 })).toBe('token_expired');
    });

    it('never exhausts an unlimited key', () => {
      expect(check({ unlimitedQuota: true, remainQuota: 0 })).toBeNull();
      expect(check({ unlimitedQuota: true, remainQuota: -500 })).toBeNull();
      expect(check({ remainQuota: 0 })).toBe('token_exhausted');
    });
  });

  describe('owner', () => {
    it('refuses an owner with quota 0 or overdrawn', () => {
      expect(check({}, { owner: owner({ quota: 0 }) })).toBe('insufficient_user_quota');
      expect(check({}, { owner: owner({ quota: -1 }) })).toBe('insufficient_user_quota');
      expect(check({}, { owner: owner({ quota: 1 }) })).toBeNull();
    });
  });

  describe('subnets', () => {
    it('allows the listed IPv4 and IPv6 subnets only', () => {
      const subnets = ['10.0.0.0/8', '2001:db8::/32'];
      expect(check({ subnets }, { ip: '10.200.0.1' })).toBeNull();
      expect(check({ subnets }, { ip: '2001:db8::42' })).toBeNull();
      expect(check({ subnets }, { ip: '172.16.0.1' })).toBe('ip_not_allowed');
      expect(check({ subnets }, { ip: '2001:db9::42' })).toBe('ip_not_allowed');
    });

    it('matches an IPv4-mapped IPv6 client address against IPv4 subnets', () => {
      expect(check({ subnets: ['10.0.0.0/8'] }, { ip: '::ffff:10.1.2.3' })).toBeNull();
      expect(check({ subnets: ['10.0.0.0/8'] }, { ip: '::ffff:11.1.2.3' })).toBe('ip_not_allowed');
    });

    it('names the refused IP in the message', () => {
      const refusal = checkKey({
        token: prepareToken(tokenRecord({ subnets: ['10.0.0.0/8'] }), 'a'.repeat(64)),
        owner: owner(),
        ip: '203.0.113.9',
        model: undefined,
        now: NOW,
      });
      expect(refusal?.message).toContain('203.0.113.9');
    });
  });

  describe('model allow-list', () => {
    it('allows only the listed models, and every model when the list is empty', () => {
      expect(check({ models: ['gpt-4o', 'o3'] }, { model: 'o3' })).toBeNull();
      expect(check({ models: ['gpt-4o', 'o3'] }, { model: 'o3-mini' })).toBe('model_not_allowed');
      expect(check({ models: [] }, { model: 'anything' })).toBeNull();
    });

    it('skips the model check for requests without a model', () => {
      expect(check({ models: ['o3'] }, { model: undefined })).toBeNull();
    });
  });

  describe('channel pinning', () => {
    it('lets admins and root pin a channel, not common users', () => {
      expect(check({}, { pinnedChannelId: 3 })).toBe('channel_pin_not_allowed');
      expect(check({}, { pinnedChannelId: 3, owner: owner({ role: Role.admin }) })).toBeNull();
      expect(check({}, { pinnedChannelId: 3, owner: owner({ role: Role.root }) })).toBeNull();
    });
  });
});
