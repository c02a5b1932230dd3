import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig, type Database } from '@chat-api/db';
import { createTestDatabase, TcpGate, type TestDatabase } from '@chat-api/db/testing';
import { build } from '../src/app.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function start(db: Database, env: { frontendBaseUrl?: string } = {}) {
  const app = build({ db, env: { consolePort: 3001, ...env } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, base: `http://127.0.0.1:${port}` };
}

describe('proxy basics', () => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
    ({ app, base } = await start(db));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('answers /healthz with the database checked', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', cache: 'memory' });
  });

  it('sends browsers opening / to the console on the same host', async () => {
    const response = await fetch(`${base}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://127.0.0.1:3001/');
  });

  it('sends them to FRONTEND_BASE_URL when set', async () => {
    const other = await start(db, { frontendBaseUrl: 'https://console.example.com/' });
    try {
      const response = await fetch(`${other.base}/`, { redirect: 'manual' });
      expect(response.headers.get('location')).toBe('https://console.example.com/');
    } finally {
      await other.app.close();
    }
  });

  it('answers unknown URLs with an OpenAI-shaped 404', async () => {
    const response = await fetch(`${base}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'Unknown request URL: GET /v2/nothing',
        type: 'invalid_request_error',
        param: null,
        code: 'unknown_url',
      },
    });
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('proxy with Redis', () => {
  it('keeps answering when Redis goes away mid-run', async () => {
    const testDb = await createTestDatabase('sqlite');
    const target = new URL(process.env.TEST_REDIS_URL!);
    const gate = new TcpGate(target.hostname, Number(target.port || 6379));
    const port = await gate.open();
    const config = readStorageConfig({
      ...testDb.env,
      REDIS_CONN_STRING: `redis://127.0.0.1:${port}`,
    });
    const db = await openDatabase({ ...config, logger: quiet });
    const { app, base } = await start(db);
    try {
      expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({
        status: 'ok',
        cache: 'redis',
      });
      await gate.close();
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${base}/healthz`);
        expect(response.status).toBe(200);
      }
    } finally {
      await app.close();
      await db.close();
      await gate.close();
      await testDb.drop();
    }
  });
});
