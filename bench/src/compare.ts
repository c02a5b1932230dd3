import { runLoad, type LoadResult, type LoadTool } from './load.js';
import { LOAD_CPU, pinningAvailable, SERVER_CPU } from './pinning.js';
import { coreMeter, cpuMs, peakRssMb, resetPeakRss } from './process-stats.js';
import { maxOf, median } from './stats.js';

export interface Server {
  name: 'proxy' | 'baseline';
  url: string;
  pid: number;
}

export interface ServerSummary {
  /** Medians over the measured rounds. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system) over the measured rounds, per response. */
  cpuMsPerRequest: number | null;
  /**
   * Median share of the measured rounds during which the server's core and the load core
   * (upstream + load generator) were busy: a load core near 1 means the load side, not the
   * server, set the pace.
   */
  serverCoreBusy: number | null;
  loadCoreBusy: number | null;
  /** Highest RSS during this comparison (warm-up included). */
  peakRssMb: number | null;
  roundsRps: number[];
  /** Every run, warm-ups included: what the ledger and the exit status count. */
  ok: number;
  non2xx: number;
  errors: number;
  cutOff: number;
  statusCodes: Record<string, number>;
  errorSample?: string;
}

export interface Comparison {
  connections: number;
  proxy: ServerSummary;
  baseline: ServerSummary;
  /** proxy rps / baseline rps (merged: the median of the rounds' ratios). */
  ratio: number;
  addedP50Ms: number;
  addedP99Ms: number;
  /** Merged comparisons: each round's ratio, in order. */
  roundRatios?: number[];
}

export interface CompareOptions {
  tool: LoadTool;
  proxy: Server;
  baseline: Server;
  connections: number;
  /** The endpoint called on both servers, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  body: string;
  seconds: number;
  warmupSeconds: number;
  /** Which round of the bench this is (from 0): even rounds measure the proxy first. */
  round: number;
  onRun?: (server: Server['name'], label: string, result: LoadResult) => void;
}

/**
 * One round: the proxy and the baseline under the same load, each warmed up, then measured
 * one after the other (proxy first in even rounds, baseline first in odd ones, so that drift
 * in the machine's state falls on both).
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  const servers = [options.proxy, options.baseline];
  const runs = new Map(servers.map((server) => [server.name, [] as LoadResult[]]));
  const measured = new Map(servers.map((server) => [server.name, [] as LoadResult[]]));
  const cpu = new Map(servers.map((server) => [server.name, 0]));
  const busy = new Map(
    servers.map((server) => [server.name, { server: [] as number[], load: [] as number[] }]),
  );
  const rate = new Map<string, number>();

  const run = async (server: Server, seconds: number, label: string, requests?: number) => {
    const estimate = rate.get(server.name);
    const result = await runLoad(options.tool, {
      url: `${server.url}${options.path}`,
      connections: options.connections,
      headers: options.headers,
      body: options.body,
      seconds,
      requests: requests ?? Math.max(options.connections, Math.round((estimate ?? 100) * seconds)),
      maxSeconds: seconds * 2 + 5,
    });
    if (result.responses > 0) rate.set(server.name, result.rps);
    runs.get(server.name)?.push(result);
    options.onRun?.(server.name, label, result);
    return result;
  };

  // A run sized from an earlier rate can end early once the server has warmed up: such a
  // run counts for the ledger but is measured again, at most twice, at the new rate.
  const measure = async (server: Server, label: string) => {
    for (let attempt = 0; ; attempt += 1) {
      const before = cpuMs(server.pid);
      const serverCore = coreMeter(SERVER_CPU);
      const loadCore = coreMeter(LOAD_CPU);
      const mayResize = attempt < 2 && options.tool === 'autocannon';
      const result = await run(server, options.seconds, mayResize && attempt ? 'resized' : label);
      if (mayResize && result.elapsedMs < options.seconds * 700) continue;
      const after = cpuMs(server.pid);
      const shares = busy.get(server.name);
      const [serverBusy, loadBusy] = [serverCore(), loadCore()];
      // Only a pinned run has a server core and a load core to tell apart.
      if (pinningAvailable && serverBusy !== null) shares?.server.push(serverBusy);
      if (pinningAvailable && loadBusy !== null) shares?.load.push(loadBusy);
      if (before !== null && after !== null) {
        cpu.set(server.name, (cpu.get(server.name) ?? 0) + after - before);
      }
      measured.get(server.name)?.push(result);
      return;
    }
  };

  for (const server of servers) {
    resetPeakRss(server.pid);
    // autocannon stops by count: a short run learns the rate that sizes the warm-up.
    if (options.tool === 'autocannon') {
      const requests = Math.max(100, options.connections * 20);
      await run(server, options.warmupSeconds, 'calibrate', requests);
    }
    await run(server, options.warmupSeconds, 'warm-up');
  }
  const order = options.round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) await measure(server, `round ${options.round + 1}`);

  const summarise = (server: Server): ServerSummary => {
    const all = runs.get(server.name) ?? [];
    const rounds = measured.get(server.name) ?? [];
    const shares = busy.get(server.name) ?? { server: [], load: [] };
    const responses = rounds.reduce((sum, result) => sum + result.responses, 0);
    return {
      rps: median(rounds.map((result) => result.rps)),
      p50Ms: median(rounds.map((result) => result.p50Ms)),
      p99Ms: median(rounds.map((result) => result.p99Ms)),
      cpuMsPerRequest:
        cpuMs(server.pid) === null || responses === 0
          ? null
          : (cpu.get(server.name) ?? 0) / responses,
      serverCoreBusy: shares.server.length ? median(shares.server) : null,
      loadCoreBusy: shares.load.length ? median(shares.load) : null,
      peakRssMb: peakRssMb(server.pid),
      roundsRps: rounds.map((result) => result.rps),
      ...countsOf(all),
    };
  };
  const proxy = summarise(options.proxy);
  const baseline = summarise(options.baseline);
  return {
    connections: options.connections,
    proxy,
    baseline,
    ratio: proxy.rps / baseline.rps,
    addedP50Ms: proxy.p50Ms - baseline.p50Ms,
    addedP99Ms: proxy.p99Ms - baseline.p99Ms,
  };
}

type Counts = Pick<
  ServerSummary,
  'ok' | 'non2xx' | 'errors' | 'cutOff' | 'statusCodes' | 'errorSample'
>;

/** What a set of runs (or of summaries) counted, summed, with the first error seen. */
function countsOf(parts: Counts[]): Counts {
  const sum = (field: 'ok' | 'non2xx' | 'errors' | 'cutOff') =>
    parts.reduce((total, part) => total + part[field], 0);
  const statusCodes: Record<string, number> = {};
  for (const part of parts) {
    for (const [code, count] of Object.entries(part.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
    }
  }
  const errorSample = parts.find((part) => part.errorSample !== undefined)?.errorSample;
  return {
    ok: sum('ok'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    cutOff: sum('cutOff'),
    statusCodes,
    ...(errorSample === undefined ? {} : { errorSample }),
  };
}

/**
 * The rounds of one mode and connection count, each measured on its own pair of processes, as
 * one comparison: medians of their numbers and of their ratios, sums of their counts, the
 * highest RSS. A process's speed varies by ±15 % from one start to the next on these machines,
 * so one pair alone says little.
 */
export function mergeComparisons(parts: Comparison[]): Comparison {
  const merge = (summaries: ServerSummary[]): ServerSummary => {
    const medianOf = (pick: (summary: ServerSummary) => number | null) => {
      const known = summaries.map(pick).filter((value): value is number => value !== null);
      return known.length ? median(known) : null;
    };
    const roundsRps = summaries.flatMap((summary) => summary.roundsRps);
    return {
      rps: median(roundsRps),
      p50Ms: median(summaries.map((summary) => summary.p50Ms)),
      p99Ms: median(summaries.map((summary) => summary.p99Ms)),
      cpuMsPerRequest: medianOf((summary) => summary.cpuMsPerRequest),
      serverCoreBusy: medianOf((summary) => summary.serverCoreBusy),
      loadCoreBusy: medianOf((summary) => summary.loadCoreBusy),
      peakRssMb: maxOf(summaries.map((summary) => summary.peakRssMb)),
      roundsRps,
      ...countsOf(summaries),
    };
  };
  // Ratios and added latencies pair each proxy with the baseline measured beside it.
  return {
    connections: parts[0]!.connections,
    proxy: merge(parts.map((part) => part.proxy)),
    baseline: merge(parts.map((part) => part.baseline)),
    ratio: median(parts.map((part) => part.ratio)),
    roundRatios: parts.map((part) => part.ratio),
    addedP50Ms: median(parts.map((part) => part.addedP50Ms)),
    addedP99Ms: median(parts.map((part) => part.addedP99Ms)),
  };
}
