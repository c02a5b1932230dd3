import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, type TestDatabase } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { freePort } from './loopback.js';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function open(testDb: TestDatabase): Promise<Database> {
  return openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
}

describe('SIGTERM under load with BATCH_UPDATE_ENABLED', () => {
  let testDb: TestDatabase;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    upstream = await startFakeUpstream({ reply: 'one two three four five six seven eight' });
    upstream.streamDelayMs(40); // each answer streams for about half a second
  });
  afterAll(async () => {
    await upstream?.close();
    await testDb?.drop();
  });

  it('bills every answered request before the process exits, though no batch was due', async () => {
    const db = await open(testDb);
    const user = await db.repos.users.create({
      username: 'loaded',
      password: 'password-123',
      quota: 10_000_000,
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'load',
      unlimitedQuota: true,
    });
    await db.repos.channels.create({
      type: 'openai-compatible',
      name: 'fake',
      key: 'sk-upstream',
      baseUrl: upstream.url,
      models: ['gpt-4o-mini'],
    });
    await db.close();

    const port = await freePort();
    const proxy = spawn(process.execPath, [SERVER], {
      env: {
        PATH: process.env.PATH ?? '',
        ...testDb.env,
        PROXY_PORT: String(port),
        HOST: '127.0.0.1',
        BATCH_UPDATE_ENABLED: 'true',
        BATCH_UPDATE_INTERVAL: '3600',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => proxy.on('exit', resolve));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        if (i > 200) throw new Error('the proxy did not start');
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const stream = async (): Promise<boolean> => {
      try {
        const response = await fetch(`${base}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            stream: true,
            messages: [{ role: 'user', content: 'go' }],
          }),
        });
        return response.ok && (await response.text()).includes('data: [DONE]');
      } catch {
        return false; // refused once shutdown began
      }
    };
    const inFlight = Array.from({ length: 60 }, stream);
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.kill('SIGTERM');
    const late = Array.from({ length: 10 }, stream);
    const answered = (await Promise.all([...inFlight, ...late])).filter(Boolean).length;
    expect(await exited).toBe(0);
    expect(answered).toBeGreaterThanOrEqual(60);

    const after = await open(testDb);
    try {
      const logs = await after.repos.logs.stats({ userId: user.id, type: 2 });
      const tokenAfter = await after.repos.tokens.get(token.id);
      const userAfter = await after.repos.users.findById(user.id);
      expect(logs.requests).toBe(answered);
      expect(tokenAfter?.usedQuota).toBe(logs.quota);
      expect(userAfter?.usedQuota).toBe(logs.quota);
      expect(userAfter?.requestCount).toBe(answered);
    } finally {
      await after.close();
    }
  }, 60_000);
});
