import { spawnSync } from 'node:child_process';
import { runAutocannon } from './load-autocannon.js';
import { runWrk } from './load-wrk.js';

export interface LoadOptions {
  url: string;
  connections: number;
  headers: Record<string, string>;
  body: string;
  /** How long the run should take. wrk runs exactly this long… */
  seconds: number;
  /**
   * …autocannon sends this many requests instead (rounded up to a whole number per
   * connection: the caller sizes it from the previous run's rate), so that it stops with
   * nothing in flight, or stops after maxSeconds, whichever comes first.
   */
  requests: number;
  maxSeconds: number;
}

export interface LoadResult {
  tool: 'autocannon' | 'wrk';
  /** Responses received, any status. */
  responses: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /**
   * Requests that were still in flight when the run stopped on its time limit: the server
   * may have served (and billed) them although no response was counted.
   */
  cutOff: number;
  elapsedMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  statusCodes: Record<string, number>;
  /** The first non-2xx body, so that the cause of failures is visible. */
  errorSample?: string;
}

export type LoadTool = LoadResult['tool'];

/** wrk when it is installed (unless BENCH_LOAD=autocannon), autocannon from npm otherwise. */
export function chooseLoadTool(preference: string | undefined): LoadTool {
  if (preference === 'autocannon' || preference === 'wrk') return preference;
  return spawnSync('wrk', ['--version']).error === undefined ? 'wrk' : 'autocannon';
}

/** One load run, bounded in time and in count. */
export function runLoad(tool: LoadTool, options: LoadOptions): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(options) : runAutocannon(options);
}
