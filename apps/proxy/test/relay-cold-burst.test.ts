import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { addChannel, createKey, startGateway, type Gateway } from './harness.js';
import { chat, REPLY } from './priced-chat.js';

const redisUrl = process.env.TEST_REDIS_URL;
const serverDatabases = databaseBackends().filter((backend) => backend.name !== 'sqlite');

/**
 * A key nobody used for a while (or a node that just started) meets a burst: every request
 * misses the cache at once. Each used to load the key, its owner and their balances itself,
 * each on its own pooled connection, until the database refused more clients.
 */
describe.each(serverDatabases)(
  'a 400-request burst on an uncached key, on $name',
  ({ name, skip }) => {
    let gateway: Gateway;
    let upstream: FakeUpstream;

    beforeAll(async () => {
      if (skip) return;
      gateway = await startGateway({ backend: name, ...(redisUrl ? { redisUrl } : {}) });
      upstream = await startFakeUpstream({ reply: REPLY });
      await addChannel(gateway, { baseUrl: upstream.url, models: ['gpt-4o'] });
    });
    afterAll(async () => {
      await gateway?.close();
      await upstream?.close();
    });

    it.skipIf(skip)('answers every request and opens only a handful of connections', async () => {
      const { key } = await createKey(gateway, { quota: 100_000_000 });
      let connections = 0;
      gateway.db.sequelize.addHook('afterConnect', () => {
        connections++;
      });

      const results = await Promise.all(Array.from({ length: 400 }, () => chat(gateway, key)));
      const statuses = new Map<number, number>();
      for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(Object.fromEntries(statuses)).toEqual({ 200: 400 });
      expect(connections).toBeLessThanOrEqual(5);
    });
  },
);
