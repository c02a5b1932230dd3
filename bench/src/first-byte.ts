import { Agent, request } from 'node:http';
import { median } from './stats.js';

export interface FirstByteResult {
  samples: number;
  proxyMedianMs: number;
  baselineMedianMs: number;
  addedMedianMs: number;
  /** Streams the proxy answered with 2xx (each is billed). */
  proxyOk: number;
  non2xx: number;
  errorSample?: string;
}

interface Target {
  url: string;
  agent: Agent;
}

/** ms from sending a streaming request to its first body byte; the rest is read and dropped. */
function timeFirstByte(
  target: Target,
  headers: Record<string, string>,
  body: string,
): Promise<{ ms: number; status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let firstByteAt = 0;
    let text = '';
    const req = request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('data', (chunk: Buffer) => {
          if (firstByteAt === 0) firstByteAt = performance.now();
          if (status >= 300 && text.length < 600) text += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ ms: firstByteAt - startedAt, status, text }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Time to the first streamed byte, one request at a time over one kept-alive connection to
 * each, alternating proxy and baseline so that both see the same machine state.
 */
export async function measureFirstByte(options: {
  proxyUrl: string;
  baselineUrl: string;
  headers: Record<string, string>;
  body: string;
  samples: number;
}): Promise<FirstByteResult> {
  const proxy = { url: options.proxyUrl, agent: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const baseline = {
    url: options.baselineUrl,
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  };
  const proxyMs: number[] = [];
  const baselineMs: number[] = [];
  let proxyOk = 0;
  let non2xx = 0;
  let errorSample: string | undefined;
  try {
    for (let index = 0; index < options.samples; index += 1) {
      for (const [target, times] of [
        [proxy, proxyMs],
        [baseline, baselineMs],
      ] as const) {
        const { ms, status, text } = await timeFirstByte(target, options.headers, options.body);
        if (status >= 200 && status < 300) {
          times.push(ms);
          if (target === proxy) proxyOk += 1;
        } else {
          non2xx += 1;
          errorSample ??= `${status} ${text}`;
        }
      }
    }
  } finally {
    proxy.agent.destroy();
    baseline.agent.destroy();
  }
  const proxyMedianMs = median(proxyMs);
  const baselineMedianMs = median(baselineMs);
  return {
    samples: options.samples,
    proxyMedianMs,
    baselineMedianMs,
    addedMedianMs: proxyMedianMs - baselineMedianMs,
    proxyOk,
    non2xx,
    ...(errorSample === undefined ? {} : { errorSample }),
  };
}
