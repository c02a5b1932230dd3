import { describe, expect, it } from 'vitest';
import type { Token } from '@chat-api/db';
import { prepareToken } from './prepared-token.js';
import { ipAllowed } from './ip-allow-list.js';

const tokenRecord = (overrides: Partial<Token> = {}): Token => ({
  id: 1,
  userId: 7,
  name: 'test',
  keyHint: 'abcd',
  status: 1,
  createdTime: 1_700_000_000,
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

const KEY_HASH = 'a'.repeat(64);

describe('prepareToken', () => {
  it('allows every model and IP when the lists are empty', () => {
    const prepared = prepareToken(tokenRecord(), KEY_HASH);
    expect(prepared.allowedModels).toBeUndefined();
    expect(prepared.allowedIps).toBeUndefined();
  });

  it('turns the lists into a Set and a BlockList, keeping the record', () => {
    const record = tokenRecord({ models: ['gpt-4o', ' o3 '], subnets: ['10.0.0.0/8'] });
    const prepared = prepareToken(record, KEY_HASH);
    expect(prepared).toMatchObject(record);
    expect([...(prepared.allowedModels ?? [])]).toEqual(['gpt-4o', 'o3']);
    expect(prepared.allowedIps && ipAllowed(prepared.allowedIps, '10.0.0.1')).toBe(true);
  });

  it('names who pays: the key (unless unlimited) under its hash, and its owner', () => {
    expect(prepareToken(tokenRecord({ unlimitedQuota: true }), KEY_HASH).payer).toEqual({
      tokenId: 1,
      keyHash: KEY_HASH,
      userId: 7,
      unlimitedQuota: true,
    });
  });
});
