import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load.js';
import { percentile } from './stats.js';

const ERROR_SAMPLE_LENGTH = 600;

/**
 * autocannon in this process. Each connection stops after its share of the requests, so a
 * run normally ends with nothing in flight and every response counted; latencies are kept
 * here at full resolution (autocannon's histogram rounds them to whole milliseconds).
 */
export function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const perConnection = Math.max(1, Math.ceil(options.requests / options.connections));
  const latencies = new Float64Array(perConnection * options.connections);
  let recorded = 0;
  let responses = 0;
  let lastResponseAt = 0;
  let errorSample: string | undefined;
  const request = {
    method: 'POST',
    path: new URL(options.url).pathname,
    headers: options.headers,
    body: options.body,
    onResponse: (status: number, body: string) => {
      if ((status < 200 || status >= 300) && errorSample === undefined) {
        errorSample = `${status} ${body.slice(0, ERROR_SAMPLE_LENGTH)}`;
      }
    },
  };
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        maxConnectionRequests: perConnection,
        duration: options.maxSeconds,
        timeout: 30,
        // Ends the run promptly once every connection is done (it is checked per sample).
        sampleInt: 50,
        method: request.method,
        headers: request.headers,
        body: request.body,
        requests: [request],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, recorded).sort();
        const elapsedMs = (lastResponseAt || performance.now()) - startedAt;
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
        );
        resolve({
          tool: 'autocannon',
          responses,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          cutOff: Math.max(0, result.requests.sent - responses - result.errors),
          elapsedMs,
          rps: (responses * 1000) / elapsedMs,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          statusCodes,
          ...(errorSample === undefined ? {} : { errorSample }),
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      responses += 1;
      lastResponseAt = performance.now();
      if (status >= 200 && status < 300 && recorded < latencies.length) latencies[recorded++] = ms;
    });
  });
}
