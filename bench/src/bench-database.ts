import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, readStorageConfig, Role, type Logger } from '@chat-api/db';

export const BENCH_MODEL = 'gpt-4o-mini';
/** Served by an Anthropic channel: the relay converts the request and the answer. */
export const BENCH_CLAUDE_MODEL = 'claude-sonnet-4-20250514';

export interface BenchDatabase {
  sqlitePath: string;
  /** `sk-…`, shown once at creation like the console does. */
  apiKey: string;
  userId: number;
  tokenId: number;
}

export const quietLogger: Logger = {
  info: () => undefined,
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

/**
 * A fresh SQLite file, migrated and with root as `npm start` leaves it, plus what a bench
 * needs: a user with ample quota, an unlimited API key, and an OpenAI and an Anthropic channel
 * to the fake upstream, each serving a model the shipped default prices cover (so billing runs
 * in full).
 */
export async function prepareBenchDatabase(upstreamUrl: string): Promise<BenchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'chat-api-bench-'));
  const sqlitePath = join(dir, 'bench.db');
  const db = await openDatabase({
    ...readStorageConfig({ SQLITE_PATH: sqlitePath }),
    logger: quietLogger,
  });
  try {
    const user = await db.repos.users.create({
      username: 'bench',
      password: 'bench-password-123',
      role: Role.common,
      quota: 1_000_000_000_000,
    });
    const { token, key } = await db.repos.tokens.create(user.id, {
      name: 'bench key',
      unlimitedQuota: true,
      remainQuota: 0,
      expiredTime: -1,
    });
    await db.repos.channels.create({
      type: 'openai',
      name: 'fast fake upstream',
      key: 'sk-bench-upstream-key-0123456789',
      baseUrl: upstreamUrl,
      models: [BENCH_MODEL],
    });
    await db.repos.channels.create({
      type: 'anthropic',
      name: 'fast fake Anthropic upstream',
      key: 'sk-ant-bench-upstream-key-0123456789',
      baseUrl: upstreamUrl,
      models: [BENCH_CLAUDE_MODEL],
    });
    return { sqlitePath, apiKey: key, userId: user.id, tokenId: token.id };
  } finally {
    await db.close();
  }
}
