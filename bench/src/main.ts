import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CLAUDE_MODEL, BENCH_MODEL, prepareBenchDatabase } from './bench-database.js';
import { startChildService, type ChildService } from './child-service.js';
import { compare, mergeComparisons, type Comparison } from './compare.js';
import { measureFirstByte, type FirstByteResult } from './first-byte.js';
import { checkLedger } from './ledger-check.js';
import { chooseLoadTool } from './load.js';
import { LOAD_CPU, pinSelf, SERVER_CPU } from './pinning.js';
import { coreMeter, rssMb } from './process-stats.js';
import { startProxy, type ProxyProcess } from './proxy-process.js';
import {
  machineInfo,
  modeResult,
  pathOf,
  proxySummary,
  rounded,
  targets,
  type BenchResults,
  type Mode,
  type ProxyRun,
} from './results.js';
import { readBenchSettings } from './settings.js';
import { formatResults } from './table.js';
import { benchmarkTokenizer } from './tokenizer.js';

const RESULTS_FILE = fileURLToPath(new URL('../results/latest.json', import.meta.url));
const fixed = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(2));
const percent = (share: number | null | undefined) =>
  share === null || share === undefined ? '–' : `${(share * 100).toFixed(0)} %`;

const settings = readBenchSettings(process.env);
const tool = chooseLoadTool(settings.load);
const startedAt = new Date();
// The driver (and with it the load generator and the fake upstream it starts) leaves core 0
// to the server under test.
const pinned = pinSelf(LOAD_CPU);

console.log('tokenizer micro-benchmark…');
const tokenizer = benchmarkTokenizer();

const services: ChildService[] = [];
let proxy: ProxyProcess | undefined;
let baseline: ChildService | undefined;
const onSignal = () => process.exit(130);
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const upstream = await startChildService({ role: 'upstream' });
  services.push(upstream);
  const bench = await prepareBenchDatabase(upstream.url);
  console.log(
    `upstream ${upstream.url}, proxy database SQLite ${bench.sqlitePath}; ` +
      `${tool}, ${pinned ? 'pinned' : 'not pinned'}`,
  );

  // Other work on the machine skews every number: measure how busy the cores are at rest.
  const atRest = [coreMeter(SERVER_CPU), coreMeter(LOAD_CPU)];
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const busyAtRest = atRest.map((meter) => meter());
  if (busyAtRest.some((share) => share !== null && share > 0.1)) {
    console.warn(
      `warning: the machine is busy before the bench starts (CPU ${SERVER_CPU} ` +
        `${percent(busyAtRest[0])}, CPU ${LOAD_CPU} ${percent(busyAtRest[1])}): results will be noisy`,
    );
  }

  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${bench.apiKey}`,
  };
  // The baseline passes any body through to the same path, whatever the model.
  const bodyOf = (mode: Mode) =>
    JSON.stringify({
      model: mode === 'json' || mode === 'stream' ? BENCH_MODEL : BENCH_CLAUDE_MODEL,
      ...(mode.startsWith('messages') ? { max_tokens: 1024 } : {}),
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: mode.endsWith('stream'),
    });

  // Each round starts a fresh proxy and baseline: how fast a process turns out varies from
  // one start to the next, and the medians should not hang on one pair.
  const byRound = new Map<string, Comparison[]>();
  const proxyRuns: ProxyRun[] = [];
  let firstByte: FirstByteResult | undefined;
  for (let round = 0; round < settings.rounds; round += 1) {
    baseline = await startChildService({
      role: 'baseline',
      args: [upstream.url],
      cpu: SERVER_CPU,
    });
    proxy = await startProxy({
      sqlitePath: bench.sqlitePath,
      ...(settings.profile ? { profileDir: join(dirname(bench.sqlitePath), 'profile') } : {}),
    });
    console.log(`round ${round + 1}: baseline ${baseline.url}, proxy ${proxy.url}`);
    for (const mode of settings.modes) {
      const body = bodyOf(mode);
      for (const connections of settings.connections) {
        const comparison = await compare({
          tool,
          proxy: { name: 'proxy', url: proxy.url, pid: proxy.pid },
          baseline: { name: 'baseline', url: baseline.url, pid: baseline.pid },
          connections,
          path: pathOf(mode),
          headers,
          body,
          seconds: settings.seconds,
          warmupSeconds: settings.warmupSeconds,
          round,
          onRun: (server, label, result) =>
            console.log(
              `${mode} c${connections} ${server.padEnd(8)} ${label.padEnd(9)} ` +
                `${result.rps.toFixed(0).padStart(6)} rps  p50 ${fixed(result.p50Ms)} ms  ` +
                `p99 ${fixed(result.p99Ms)} ms  ${result.ok} 2xx` +
                (result.non2xx ? `  ${result.non2xx} non-2xx: ${result.errorSample}` : '') +
                (result.errors ? `  ${result.errors} errors` : ''),
            ),
        });
        const key = `${mode} ${connections}`;
        byRound.set(key, [...(byRound.get(key) ?? []), comparison]);
      }
      if (mode === 'stream' && round === settings.rounds - 1) {
        console.log(`stream time to first byte, ${settings.firstByteSamples} requests each…`);
        firstByte = await measureFirstByte({
          proxyUrl: `${proxy.url}/v1/chat/completions`,
          baselineUrl: `${baseline.url}/v1/chat/completions`,
          headers,
          body,
          samples: settings.firstByteSamples,
        });
      }
    }
    const rssAfterRunsMb = rssMb(proxy.pid);
    const output = proxy.output();
    console.log('stopping the proxy (SIGTERM: it writes the bills it holds)…');
    proxyRuns.push({ exit: await proxy.stop(), rssAfterRunsMb, output });
    proxy = undefined;
    await baseline.stop();
    baseline = undefined;
  }

  console.log('checking the ledger…');
  const comparisons = new Map<Mode, Comparison[]>(
    settings.modes.map((mode) => [
      mode,
      settings.connections.map((connections) =>
        mergeComparisons(byRound.get(`${mode} ${connections}`) ?? []),
      ),
    ]),
  );
  const modes: BenchResults['modes'] = Object.fromEntries(
    settings.modes.map((mode) => [
      mode,
      modeResult(comparisons.get(mode) ?? [], mode === 'stream' ? firstByte : undefined),
    ]),
  );
  const all = [...comparisons.values()].flat();
  const ledger = await checkLedger(bench, {
    proxy2xx: all.reduce((sum, run) => sum + run.proxy.ok, 0) + (firstByte?.proxyOk ?? 0),
    cutOffAllowance: all.reduce((sum, run) => sum + run.proxy.cutOff, 0),
  });
  // The SQLite file is kept only with a profile beside it (or after a failed run, above).
  if (!settings.profile) await rm(dirname(bench.sqlitePath), { recursive: true, force: true });

  const problems: string[] = [];
  for (const mode of settings.modes) {
    for (const run of modes[mode]?.byConnections ?? []) {
      for (const server of ['proxy', 'baseline'] as const) {
        const summary = run[server];
        if (summary.non2xx || summary.errors) {
          problems.push(
            `${mode} c${run.connections} ${server}: ${summary.non2xx} non-2xx ` +
              `(${JSON.stringify(summary.statusCodes)}), ${summary.errors} errors` +
              (summary.errorSample ? `; sample: ${summary.errorSample}` : ''),
          );
        }
      }
    }
  }
  if (firstByte?.non2xx) {
    problems.push(
      `first-byte requests: ${firstByte.non2xx} non-2xx; sample: ${firstByte.errorSample}`,
    );
  }
  for (const problem of ledger.problems) problems.push(`ledger: ${problem}`);
  for (const [index, { exit }] of proxyRuns.entries()) {
    if (exit.code !== 0) {
      problems.push(`round ${index + 1}: proxy exited with ${exit.signal ?? exit.code} on SIGTERM`);
    }
  }

  const results: BenchResults = rounded({
    ok: problems.length === 0,
    date: startedAt.toISOString(),
    machine: { ...machineInfo(), coresBusyAtRest: busyAtRest },
    settings: {
      loadTool: tool,
      pinned,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      rounds: settings.rounds,
      connections: settings.connections,
      modes: settings.modes,
      firstByteSamples: settings.firstByteSamples,
    },
    modes,
    targets: targets(modes),
    ledger,
    proxy: proxySummary(proxyRuns),
    tokenizer,
    problems,
  });
  await mkdir(dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${formatResults(results)}\n\nwritten to ${RESULTS_FILE}`);
  if (settings.profile) {
    console.log(`proxy CPU profile in ${join(dirname(bench.sqlitePath), 'profile')}`);
  }
  process.exitCode = results.ok ? 0 : 1;
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  if (proxy) console.error(`proxy output:\n${proxy.output().tail.join('\n')}`);
  process.exitCode = 1;
} finally {
  await proxy?.stop();
  await baseline?.stop();
  await Promise.all(services.map((service) => service.stop()));
}
