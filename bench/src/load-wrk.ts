import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './load.js';

interface WrkSummary {
  requests: number;
  durationUs: number;
  non2xx: number;
  errors: number;
  p50Us: number;
  p99Us: number;
}

const MARK = 'BENCH_RESULT ';

// Long-bracket strings hold the body and headers verbatim, whatever quotes they contain
// (with a space inside an index: `t[[==[` would open a long string).
const luaString = (text: string) => `[==[${text}]==]`;

function script(options: LoadOptions): string {
  const headers = Object.entries(options.headers)
    .map(([name, value]) => `wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`)
    .join('\n');
  return `wrk.method = "POST"
wrk.body = ${luaString(options.body)}
${headers}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${MARK}{"requests":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;
}

/**
 * wrk (one thread: it has one core) for a fixed time. It cannot stop by count, so up to one
 * request per connection is cut off at the end; it keeps no bodies, so a non-2xx sample is
 * fetched separately after the run.
 */
export async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'chat-api-bench-wrk-'));
  try {
    const file = join(dir, 'post.lua');
    await writeFile(file, script(options));
    const seconds = Math.max(1, Math.round(Math.min(options.seconds, options.maxSeconds)));
    const args = ['-t1', `-c${options.connections}`, `-d${seconds}s`, '--timeout', '30s'];
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('wrk', [...args, '-s', file, options.url], (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    const line = stdout.split('\n').find((text) => text.startsWith(MARK));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const summary = JSON.parse(line.slice(MARK.length)) as WrkSummary;
    const sample = summary.non2xx > 0 ? await sampleError(options) : undefined;
    // The sample request is billed like any other when it succeeds: the ledger counts it.
    const ok = summary.requests - summary.non2xx + (sample?.ok ? 1 : 0);
    return {
      tool: 'wrk',
      responses: summary.requests,
      ok,
      non2xx: summary.non2xx,
      errors: summary.errors,
      cutOff: options.connections,
      elapsedMs: summary.durationUs / 1000,
      rps: summary.requests / (summary.durationUs / 1e6),
      p50Ms: summary.p50Us / 1000,
      p99Ms: summary.p99Us / 1000,
      statusCodes: summary.non2xx > 0 ? { '2xx': ok, other: summary.non2xx } : { '2xx': ok },
      ...(sample ? { errorSample: sample.text } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function sampleError(options: LoadOptions): Promise<{ text: string; ok: boolean }> {
  const prefix = '(one request after the run)';
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
    });
    const text = `${prefix} ${response.status} ${(await response.text()).slice(0, 600)}`;
    return { text, ok: response.ok };
  } catch (error) {
    return { text: `${prefix} ${(error as Error).message}`, ok: false };
  }
}
