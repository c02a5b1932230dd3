import {
  CacheKeys,
  openDatabase,
  readStorageConfig,
  type Database,
  type Logger,
} from '@chat-api/db';
import { createTestDatabase, type DatabaseBackend } from '@chat-api/db/testing';
import type { FakeUpstream } from '@chat-api/providers/testing';
import { masterJobs, type MasterJobsOptions } from '../src/server/jobs/master-jobs.js';
import type { JobScheduler } from '../src/server/jobs/scheduler.js';

export const UPSTREAM_KEY = 'sk-upstream-Q7mZ2rT9vX4bN8cK1pL6hJ3d';

/** What a node's jobs logged, line by line. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (line: string) => void lines.push(line);
  return { lines, info: push, warn: push, error: push };
}

/**
 * Two master nodes (each with its own connections and cache) over one fresh database, and a
 * clock their jobs share, moved by the tests: a run is due one interval after the last.
 */
export async function startMasters(backend: DatabaseBackend) {
  const testDb = await createTestDatabase(backend);
  const quiet = recordingLogger();
  const open = () => openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
  const nodes: [Database, Database] = [await open(), await open()];
  const schedulers: JobScheduler[] = [];
  const logger = recordingLogger();
  const clock = { now: Date.now() };

  return {
    nodes,
    clock,
    logger,
    /** The node's channel jobs, every minute by the shared clock, no pause between channels. */
    jobs(node: Database, options: Partial<MasterJobsOptions> = {}): JobScheduler {
      const scheduler = masterJobs({
        db: node,
        logger,
        channelTestSeconds: 60,
        channelUpdateSeconds: 60,
        pollingIntervalSeconds: 0,
        now: () => clock.now,
        ...options,
      });
      schedulers.push(scheduler);
      return scheduler;
    },
    async close() {
      await Promise.all(schedulers.map((scheduler) => scheduler.stop()));
      await Promise.all(nodes.map((node) => node.close()));
      await testDb.drop();
    },
  };
}

export type Masters = Awaited<ReturnType<typeof startMasters>>;

/** An OpenAI channel on the fake upstream. */
export function openaiChannel(
  upstream: FakeUpstream,
  extra: { name?: string; models?: string[] } = {},
) {
  return {
    type: 'openai',
    name: extra.name ?? 'fake openai',
    key: UPSTREAM_KEY,
    baseUrl: upstream.url,
    models: extra.models ?? ['gpt-4o-mini'],
  };
}

/** Requests the upstream received at the chat endpoint (the channel test's). */
export const chatRequests = (upstream: FakeUpstream) =>
  upstream.requests.filter((request) => request.url.endsWith('/chat/completions'));

/** The channels a proxy node routes to, through its own cache as the proxy reads it. */
export async function routedChannelIds(node: Database): Promise<number[]> {
  const snapshot = await node.cache.getOrLoad(
    CacheKeys.channels,
    () => node.repos.channels.routingSnapshot(),
    { localOnly: true },
  );
  return snapshot.channels.map((channel) => channel.id);
}
