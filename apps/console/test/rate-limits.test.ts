import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, errorCode, startConsole, type TestConsole } from './helpers.js';

describe('rate limits', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsole({
      limits: { apiPer3Minutes: 30, webPer3Minutes: 3, authAttemptsPerMinute: 4 },
    });
  });
  afterAll(() => server?.close());

  it('slows down password guessing per username', async () => {
    const { api } = client(server.base);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        await errorCode(api.auth.login.mutate({ username: 'root', password: `guess${i}` })),
      );
    expect(codes).toEqual([
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
    // Even the right password waits out the window now.
    expect(await errorCode(api.auth.login.mutate({ username: 'root', password: '123456' }))).toBe(
      'TOO_MANY_REQUESTS',
    );
  });

  it('limits console API calls per address', async () => {
    const { api } = client(server.base);
    const codes = new Set<string | undefined>();
    for (let i = 0; i < 30; i++) codes.add(await errorCode(api.auth.me.query()));
    expect(codes).toContain('TOO_MANY_REQUESTS');
  });

  it('limits page loads per address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${server.base}/`);
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
