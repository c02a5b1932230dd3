import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@chat-api/console';
import { openDatabase, readStorageConfig, Role } from '@chat-api/db';
import { freePort, launchGateway, waitForHttp } from './gateway-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function rootCount(sqlitePath: string): Promise<number> {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const db = await openDatabase({
    ...readStorageConfig({ SQLITE_PATH: sqlitePath }),
    logger: quiet,
  });
  try {
    return await db.models.User.count({ where: { role: Role.root } });
  } finally {
    await db.close();
  }
}

describe('npm start', () => {
  const sqlitePath = join(dataDir, 'chat-api.db');

  it('runs the proxy and the console, lets root sign in, and stops on Ctrl-C within 10 s', async () => {
    const [proxyPort, consolePort] = [await freePort(), await freePort()];
    const gateway = launchGateway({
      SQLITE_PATH: sqlitePath,
      PROXY_PORT: `${proxyPort}`,
      CONSOLE_PORT: `${consolePort}`,
    });
    try {
      const health = await waitForHttp(`http://127.0.0.1:${proxyPort}/healthz`);
      expect(health.status).toBe(200);

      const home = await fetch(`http://127.0.0.1:${proxyPort}/`, { redirect: 'manual' });
      expect(home.status).toBe(302);
      expect(home.headers.get('location')).toBe(`http://127.0.0.1:${consolePort}/`);

      const page = await waitForHttp(`http://127.0.0.1:${consolePort}/`);
      expect(page.headers.get('content-type')).toContain('text/html');

      let cookie = '';
      const api = createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `http://127.0.0.1:${consolePort}/trpc`,
            headers: () => (cookie ? { cookie } : {}),
            fetch: async (url, init) => {
              const response = await fetch(url, init);
              cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie;
              return response;
            },
          }),
        ],
      });
      await api.auth.login.mutate({ username: 'root', password: '123456' });
      expect(await api.auth.me.query()).toMatchObject({
        username: 'root',
        role: 100,
        mustChangePassword: true,
      });
    } finally {
      const stoppedAt = Date.now();
      gateway.child.kill('SIGINT');
      expect(await gateway.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    }
  });

  it('keeps the data on a second start and still has exactly one root', async () => {
    const [proxyPort, consolePort] = [await freePort(), await freePort()];
    const gateway = launchGateway({
      SQLITE_PATH: sqlitePath,
      PROXY_PORT: `${proxyPort}`,
      CONSOLE_PORT: `${consolePort}`,
    });
    try {
      expect((await waitForHttp(`http://127.0.0.1:${proxyPort}/healthz`)).status).toBe(200);
    } finally {
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
    }
    expect(gateway.output()).not.toContain('created user root');
    expect(await rootCount(sqlitePath)).toBe(1);
  });

  it('ends with one line naming SQL_DSN when it cannot be parsed', async () => {
    const gateway = launchGateway({ SQL_DSN: 'garbage' });
    expect(await gateway.exited).not.toBe(0);
    const lines = gateway.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^SQL_DSN: /);
  });

  it('names the database server it cannot reach', async () => {
    const port = await freePort();
    const gateway = launchGateway({ SQL_DSN: `postgres://chat:secret@127.0.0.1:${port}/chat` });
    expect(await gateway.exited).not.toBe(0);
    const output = gateway.output().trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(
      new RegExp(`^SQL_DSN: cannot connect to postgres at 127.0.0.1:${port}/chat`),
    );
    expect(output).not.toContain('secret');
  });
});
