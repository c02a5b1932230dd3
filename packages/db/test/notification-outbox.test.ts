import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { ChannelStatus } from '../src/models/channel.js';
import { LogType } from '../src/models/log.js';
import { Role } from '../src/models/user.js';
import type { Notification } from '../src/repositories/notifications.js';
import type { Consumption } from '../src/repositories/usage.js';
import { sha256Hex } from '../src/secrets.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { nowSeconds } from '../src/time.js';
import { openTestDatabase } from './helpers.js';

describe.each(databaseBackends())('notification outbox on $name', ({ name, skip }) => {
  const it_ = it.skipIf(Boolean(skip));
  let testDb: TestDatabase;
  let db: Database;
  let requests = 0;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  /** Events written since `afterId`, oldest first. */
  async function eventsAfter(afterId: number): Promise<Notification[]> {
    return (await db.repos.notifications.list(1000)).filter((n) => n.id > afterId).reverse();
  }
  const lastId = async () => (await db.repos.notifications.list(1))[0]?.id ?? 0;

  const channel = () =>
    db.repos.channels.create({
      type: 'openai',
      name: 'primary upstream',
      key: 'sk-upstream-key-0123456789',
      models: ['gpt-4o-mini'],
    });

  it_(
    'writes channel.disabled and channel.enabled with the change, and nothing for hand switches',
    async () => {
      const { id } = await channel();
      const before = await lastId();
      const failing = { reason: 'upstream answered 401: Incorrect API key', automatic: true };

      await db.repos.channels.setStatus(id, ChannelStatus.autoDisabled, {
        onlyIf: ChannelStatus.enabled,
        cause: failing,
      });
      // Already auto-disabled: a second failing request changes nothing and tells nothing.
      await db.repos.channels.setStatus(id, ChannelStatus.autoDisabled, {
        onlyIf: ChannelStatus.enabled,
        cause: failing,
      });
      await db.repos.channels.setStatus(id, ChannelStatus.enabled, {
        onlyIf: ChannelStatus.autoDisabled,
        cause: { reason: 'scheduled test: passed', automatic: true },
      });
      // An administrator's own switches: they know already.
      await db.repos.channels.setStatus(id, ChannelStatus.manuallyDisabled);
      await db.repos.channels.update(id, { status: ChannelStatus.enabled });
      // Back from auto-disabled by an edit: the recovery is told, as done by hand.
      await db.repos.channels.setStatus(id, ChannelStatus.autoDisabled, { cause: failing });
      await db.repos.channels.update(id, { status: ChannelStatus.enabled });

      const events = await eventsAfter(before);
      expect(events.map((n) => [n.event, n.data])).toEqual([
        ['channel.disabled', { channelId: id, channelName: 'primary upstream', ...failing }],
        [
          'channel.enabled',
          {
            channelId: id,
            channelName: 'primary upstream',
            reason: 'scheduled test: passed',
            automatic: true,
          },
        ],
        ['channel.disabled', { channelId: id, channelName: 'primary upstream', ...failing }],
        [
          'channel.enabled',
          {
            channelId: id,
            channelName: 'primary upstream',
            reason: 'changed by an administrator',
            automatic: false,
          },
        ],
      ]);
      expect(events.every((n) => n.status === 'pending' && n.attempts === 0)).toBe(true);
      expect(events[0]!.createdAt).toBeGreaterThanOrEqual(nowSeconds() - 60);
    },
  );

  it_(
    'writes quota.low when a bill takes the owner past QuotaRemindThreshold, quota.exhausted at zero',
    async () => {
      const user = await db.repos.users.create({
        username: `reminded_${name}`,
        password: 'password-123',
        role: Role.common,
        quota: 5000,
        group: 'default',
      });
      const { token, key } = await db.repos.tokens.create(user.id, {
        name: 'key',
        unlimitedQuota: true,
        remainQuota: 0,
        models: [],
        subnets: [],
        expiredTime: -1,
      });
      const bill = (quota: number): Consumption => ({
        tokenId: token.id,
        keyHash: sha256Hex(key),
        userId: user.id,
        unlimitedQuota: true,
        channelId: 0,
        quota,
        held: { amount: quota, local: true },
        remindBelow: 1000,
        log: {
          userId: user.id,
          type: LogType.consume,
          createdAt: nowSeconds(),
          username: user.username,
          tokenId: token.id,
          tokenName: token.name,
          model: 'gpt-4o-mini',
          quota,
          requestId: `reminder-${++requests}-${name}`,
        },
      });
      const before = await lastId();

      await db.repos.usage.recordConsumptions([bill(3000)]); // 5000 → 2000: above the threshold
      expect(await eventsAfter(before)).toEqual([]);
      await db.repos.usage.recordConsumptions([bill(1200)]); // → 800: crosses it
      await db.repos.usage.recordConsumptions([bill(300)]); // → 500: already below, no repeat
      await db.repos.usage.recordConsumptions([bill(500)]); // → 0: used up

      const events = await eventsAfter(before);
      const userData = { userId: user.id, username: user.username, threshold: 1000 };
      expect(events.map((n) => [n.event, n.data])).toEqual([
        ['quota.low', { ...userData, remainingQuota: 800 }],
        ['quota.exhausted', { ...userData, remainingQuota: 0 }],
      ]);
    },
  );

  it_(
    'retries a failed delivery with a doubling, capped wait, then gives up keeping the error',
    async () => {
      const { id } = await channel();
      await db.repos.channels.setStatus(id, ChannelStatus.autoDisabled, {
        cause: { reason: 'down', automatic: true },
      });
      const [event] = (await db.repos.notifications.list(1)).filter(
        (n) => n.event === 'channel.disabled',
      );
      const outbox = db.repos.notifications;
      const policy = { maxAttempts: 4, firstDelaySeconds: 10, maxDelaySeconds: 25 };
      const now = nowSeconds();
      const due = async (at: number) =>
        (await outbox.due({ now: at, limit: 1000 })).some((n) => n.id === event!.id);
      expect(await due(now)).toBe(true);

      const waits: number[] = [];
      for (let attempts = 1; attempts <= 3; attempts += 1) {
        const status = await outbox.markFailed({
          id: event!.id,
          attempts,
          error: `webhook: answered 500 (try ${attempts})`,
          delivered: ['email'],
          now,
          policy,
        });
        expect(status).toBe('pending');
        const row = (await outbox.get(event!.id))!;
        waits.push(row.nextAttemptAt - now);
        expect(await due(row.nextAttemptAt - 1)).toBe(false);
        expect(await due(row.nextAttemptAt)).toBe(true);
      }
      expect(waits).toEqual([10, 20, 25]);

      const last = await outbox.markFailed({
        id: event!.id,
        attempts: 4,
        error: 'webhook: answered 500 (try 4)',
        delivered: ['email'],
        now,
        policy,
      });
      expect(last).toBe('failed');
      expect(await outbox.get(event!.id)).toMatchObject({
        status: 'failed',
        attempts: 4,
        delivered: ['email'],
        lastError: 'webhook: answered 500 (try 4)',
        sentAt: now,
      });
      expect(await due(now + 10_000)).toBe(false);
    },
  );

  it_('prunes finished events past their keep, never pending ones', async () => {
    const { id } = await channel();
    const before = await lastId();
    await db.repos.channels.setStatus(id, ChannelStatus.autoDisabled, {
      cause: { reason: 'down', automatic: true },
    });
    await db.repos.channels.setStatus(id, ChannelStatus.enabled, {
      cause: { reason: 'up', automatic: true },
    });
    const [sent, pending] = await eventsAfter(before);
    const now = nowSeconds();
    await db.repos.notifications.markSent({
      id: sent!.id,
      attempts: 1,
      delivered: ['webhook'],
      now: now - 100,
    });
    expect(await db.repos.notifications.prune(now - 200, 1000)).toBe(0);
    expect(await db.repos.notifications.prune(now, 1000)).toBeGreaterThanOrEqual(1);
    expect(await db.repos.notifications.get(sent!.id)).toBeNull();
    expect(await db.repos.notifications.get(pending!.id)).toMatchObject({ status: 'pending' });
  });
});
