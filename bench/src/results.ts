import { cpus } from 'node:os';
import type { Comparison } from './compare.js';
import type { FirstByteResult } from './first-byte.js';
import type { LedgerCheck } from './ledger-check.js';
import type { LoadTool } from './load.js';
import type { TokenizerResult } from './tokenizer.js';
import { maxOf, round } from './stats.js';

/**
 * json and stream: OpenAI client, OpenAI upstream. The anthropic modes: OpenAI client, Anthropic
 * upstream, converted both ways by the proxy; the baseline still passes OpenAI bytes through.
 * messages-stream: a Claude client streaming `POST /v1/messages` (as Claude Code does) through an
 * Anthropic channel, passed through; the baseline pipes the same bytes to the same path.
 */
export type Mode = 'json' | 'stream' | 'anthropic-json' | 'anthropic-stream' | 'messages-stream';

export const MODES: Mode[] = [
  'json',
  'stream',
  'anthropic-json',
  'anthropic-stream',
  'messages-stream',
];

/** The path a mode's client calls, on the proxy and on the baseline. */
export function pathOf(mode: Mode): string {
  return mode.startsWith('messages') ? '/v1/messages' : '/v1/chat/completions';
}

/** The headline numbers of one mode, as the targets name them. */
export interface ModeResult {
  /** At the most connections measured. */
  proxyRps: number;
  baselineRps: number;
  ratio: number;
  /** At 1 connection. */
  addedP50Ms: number | null;
  addedP99Ms: number | null;
  addedFirstByteMs?: number;
  /** At the most connections measured. */
  proxyCpuMsPerRequest: number | null;
  baselineCpuMsPerRequest: number | null;
  /** Highest over the mode's runs. */
  peakRssMb: number | null;
  non2xx: { proxy: number; baseline: number };
  errors: { proxy: number; baseline: number };
  byConnections: Comparison[];
  firstByte?: FirstByteResult;
}

export interface BenchResults {
  ok: boolean;
  date: string;
  machine: {
    cpuModel: string;
    cpus: number;
    node: string;
    platform: string;
    /** Share of CPU 0 and CPU 1 busy with other work for 1 s before the runs. */
    coresBusyAtRest?: (number | null)[];
  };
  settings: {
    loadTool: LoadTool;
    pinned: boolean;
    seconds: number;
    warmupSeconds: number;
    rounds: number;
    connections: number[];
    modes: Mode[];
    firstByteSamples: number;
  };
  /** The modes that ran. */
  modes: Partial<Record<Mode, ModeResult>>;
  targets: Record<string, { target: string; value: number | null; met: boolean }>;
  ledger: LedgerCheck;
  proxy: {
    exit: { code: number | null; signal: string | null };
    rssAfterRunsMb: number | null;
    logLines: number;
    logTail: string[];
  };
  tokenizer: TokenizerResult[];
  /** Why a run failed, in a few lines. */
  problems: string[];
}

export function machineInfo(): BenchResults['machine'] {
  const all = cpus();
  return {
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    cpus: all.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** One proxy process of the bench (one per round): how it ended and what it printed. */
export interface ProxyRun {
  exit: { code: number | null; signal: string | null };
  rssAfterRunsMb: number | null;
  output: { lines: number; tail: string[] };
}

/** Every round's proxy: the first bad exit (else the last exit), the most RSS, all output. */
export function proxySummary(runs: ProxyRun[]): BenchResults['proxy'] {
  const failed = runs.find((run) => run.exit.code !== 0);
  return {
    exit: (failed ?? runs.at(-1))?.exit ?? { code: null, signal: null },
    rssAfterRunsMb: maxOf(runs.map((run) => run.rssAfterRunsMb)),
    logLines: runs.reduce((sum, run) => sum + run.output.lines, 0),
    logTail: runs.flatMap((run) => run.output.tail).slice(-40),
  };
}

/** Folds the comparisons of one mode into its headline numbers. */
export function modeResult(byConnections: Comparison[], firstByte?: FirstByteResult): ModeResult {
  const busiest = byConnections.reduce((a, b) => (b.connections > a.connections ? b : a));
  const single = byConnections.find((comparison) => comparison.connections === 1);
  const sum = (pick: (comparison: Comparison) => number) =>
    byConnections.reduce((total, comparison) => total + pick(comparison), 0);
  return {
    proxyRps: busiest.proxy.rps,
    baselineRps: busiest.baseline.rps,
    ratio: busiest.ratio,
    addedP50Ms: single ? single.addedP50Ms : null,
    addedP99Ms: single ? single.addedP99Ms : null,
    ...(firstByte ? { addedFirstByteMs: firstByte.addedMedianMs } : {}),
    proxyCpuMsPerRequest: busiest.proxy.cpuMsPerRequest,
    baselineCpuMsPerRequest: busiest.baseline.cpuMsPerRequest,
    peakRssMb: maxOf(byConnections.map((comparison) => comparison.proxy.peakRssMb)),
    non2xx: {
      proxy: sum((c) => c.proxy.non2xx) + (firstByte?.non2xx ?? 0),
      baseline: sum((c) => c.baseline.non2xx),
    },
    errors: { proxy: sum((c) => c.proxy.errors), baseline: sum((c) => c.baseline.errors) },
    byConnections,
    ...(firstByte ? { firstByte } : {}),
  };
}

/** Where the proxy stands against the goals it will be optimised to (not a pass/fail). */
export function targets(modes: BenchResults['modes']): BenchResults['targets'] {
  const atLeast = (value: number | null, target: number) => ({
    target: `≥ ${target}`,
    value,
    met: value !== null && value >= target,
  });
  const atMost = (value: number | null, target: number, unit: string) => ({
    target: `≤ ${target} ${unit}`,
    value,
    met: value !== null && value <= target,
  });
  const all: BenchResults['targets'] = {};
  const { json, stream } = modes;
  if (json) all.jsonRatio = atLeast(json.ratio, 0.75);
  if (stream) all.streamRatio = atLeast(stream.ratio, 0.75);
  // Converting both ways costs more than passing bytes through.
  if (modes['anthropic-json']) all.anthropicJsonRatio = atLeast(modes['anthropic-json'].ratio, 0.6);
  if (modes['anthropic-stream']) {
    all.anthropicStreamRatio = atLeast(modes['anthropic-stream'].ratio, 0.6);
  }
  if (json) all.jsonAddedP50 = atMost(json.addedP50Ms, 0.5, 'ms');
  if (stream) all.streamAddedP50 = atMost(stream.addedP50Ms, 0.5, 'ms');
  const peaks = Object.values(modes).map((mode) => mode.peakRssMb);
  all.peakRss = atMost(maxOf(peaks), 150, 'MB');
  return all;
}

/** Numbers rounded for reading; the structure is unchanged. */
export function rounded<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, field: unknown) =>
      typeof field === 'number' && !Number.isInteger(field) ? round(field, 3) : field,
    ),
  ) as T;
}
