import type { Env } from '@chat-api/db';
import { MODES, type Mode } from './results.js';

export interface BenchSettings {
  /** Length of each measured run. */
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number[];
  /** BENCH_MODES: which modes run (all by default). */
  modes: Mode[];
  firstByteSamples: number;
  /** BENCH_LOAD: `wrk` or `autocannon`; unset → wrk when installed. */
  load: string | undefined;
  /** BENCH_PROFILE=1: the proxy writes a V8 CPU profile next to the bench's SQLite file. */
  profile: boolean;
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number`);
  return value;
}

/**
 * The bench's knobs (all optional): BENCH_SECONDS (4) per measured run, BENCH_ROUNDS (5, each
 * on a fresh proxy and baseline), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS ("1,50"),
 * BENCH_MODES (all of json, stream, anthropic-json, anthropic-stream, messages-stream,
 * comma-separated), BENCH_FIRST_BYTE_SAMPLES (200), BENCH_LOAD, BENCH_PROFILE. The defaults take
 * about 12 minutes.
 */
export function readBenchSettings(env: Env): BenchSettings {
  const seconds = positive(env, 'BENCH_SECONDS', 4);
  const connections = (env.BENCH_CONNECTIONS ?? '1,50').split(',').map(Number);
  if (connections.some((count) => !Number.isInteger(count) || count < 1)) {
    throw new Error('BENCH_CONNECTIONS: expected positive integers separated by commas');
  }
  const modes = (env.BENCH_MODES ?? MODES.join(',')).split(',') as Mode[];
  if (modes.some((mode) => !MODES.includes(mode))) {
    throw new Error(`BENCH_MODES: expected some of ${MODES.join(', ')}`);
  }
  return {
    seconds,
    modes,
    warmupSeconds: positive(env, 'BENCH_WARMUP_SECONDS', Math.min(2, seconds)),
    rounds: Math.round(positive(env, 'BENCH_ROUNDS', 5)),
    connections,
    firstByteSamples: Math.round(positive(env, 'BENCH_FIRST_BYTE_SAMPLES', 200)),
    load: env.BENCH_LOAD,
    profile: env.BENCH_PROFILE === '1',
  };
}
