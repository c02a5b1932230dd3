import { MODES, type BenchResults } from './results.js';

const fixed = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);

const percent = (share: number | null): string => (share === null ? '–' : (share * 100).toFixed(0));

function grid(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths?.[column] ?? 0) : cell.padStart(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

/** The run as a person reads it: one row per mode and connection count, then the verdicts. */
export function formatResults(results: BenchResults): string {
  const { settings, machine } = results;
  const lines: string[] = [
    `Chat API bench — ${machine.cpuModel} × ${machine.cpus}, Node ${machine.node}, ${results.date}`,
    `${settings.loadTool}, medians of ${settings.rounds} rounds (each a fresh proxy and baseline), ` +
      `${settings.seconds} s per server after ${settings.warmupSeconds} s warm-up; ` +
      (settings.pinned
        ? 'proxy and baseline on CPU 0, upstream and load on CPU 1'
        : 'not pinned (no taskset or fewer than 2 CPUs)'),
  ];
  const atRest = machine.coresBusyAtRest;
  if (atRest?.some((share) => share !== null && share > 0.1)) {
    lines.push(
      `other work kept the cores busy before the runs (${atRest.map(percent).join(' / ')} %): noisy results`,
    );
  }
  lines.push('');
  const rows = [
    [
      'mode',
      'conns',
      'proxy rps',
      'baseline rps',
      'ratio',
      'p50 ms proxy/base',
      'p99 ms proxy/base',
      '+p50 ms',
      '+p99 ms',
      'CPU ms/req proxy/base',
      'busy % srv/load proxy | base',
      'peak RSS MB',
      'non-2xx',
    ],
  ];
  for (const mode of MODES) {
    for (const run of results.modes[mode]?.byConnections ?? []) {
      rows.push([
        mode,
        String(run.connections),
        fixed(run.proxy.rps, 0),
        fixed(run.baseline.rps, 0),
        fixed(run.ratio),
        `${fixed(run.proxy.p50Ms)} / ${fixed(run.baseline.p50Ms)}`,
        `${fixed(run.proxy.p99Ms)} / ${fixed(run.baseline.p99Ms)}`,
        fixed(run.addedP50Ms),
        fixed(run.addedP99Ms),
        `${fixed(run.proxy.cpuMsPerRequest, 3)} / ${fixed(run.baseline.cpuMsPerRequest, 3)}`,
        `${percent(run.proxy.serverCoreBusy)}/${percent(run.proxy.loadCoreBusy)} | ` +
          `${percent(run.baseline.serverCoreBusy)}/${percent(run.baseline.loadCoreBusy)}`,
        fixed(run.proxy.peakRssMb, 0),
        `${run.proxy.non2xx} / ${run.baseline.non2xx}`,
      ]);
    }
  }
  lines.push(grid(rows), '');

  const firstByte = results.modes.stream?.firstByte;
  if (firstByte) {
    lines.push(
      `stream, time to first byte (median of ${firstByte.samples} sequential requests): proxy ${fixed(firstByte.proxyMedianMs)} ms, ` +
        `baseline ${fixed(firstByte.baselineMedianMs)} ms, added ${fixed(firstByte.addedMedianMs)} ms`,
    );
  }
  lines.push(
    'targets: ' +
      Object.entries(results.targets)
        .map(
          ([name, { target, value, met }]) =>
            `${name} ${fixed(value)} (${target} ${met ? 'met' : 'not met'})`,
        )
        .join(', '),
  );

  const { ledger } = results;
  lines.push(
    `ledger: ${ledger.ok ? 'OK' : 'FAILED'} — ${ledger.consumeLogs} consume logs for ${ledger.proxy2xx} proxy 2xx` +
      (ledger.cutOffAllowance ? ` (+ up to ${ledger.cutOffAllowance} cut off)` : '') +
      `; Σ log quota ${ledger.logQuota}, token used ${ledger.tokenUsedQuota}, user used ${ledger.userUsedQuota}` +
      (ledger.errorLogs ? `; ${ledger.errorLogs} error logs` : ''),
  );
  for (const result of results.tokenizer) {
    lines.push(
      `tokenizer ${result.encoding}: ${result.tokens} tokens of chat, first call ${fixed(result.firstCallMs, 0)} ms ` +
        `(+${fixed(result.firstCallRssMb, 0)} MB RSS), then ${fixed(result.msPer10kTokens)} ms per 10k tokens`,
    );
  }
  lines.push(
    `proxy: ${results.proxy.logLines} log lines, RSS after the runs ${fixed(results.proxy.rssAfterRunsMb, 0)} MB, ` +
      `exit ${results.proxy.exit.signal ?? results.proxy.exit.code}`,
  );
  for (const problem of results.problems) lines.push(`PROBLEM: ${problem}`);
  return lines.join('\n');
}
