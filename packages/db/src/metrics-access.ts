import { createHash, timingSafeEqual } from 'node:crypto';

/** A request for /metrics, as its access rule sees it. */
export interface MetricsRequest {
  /** The TCP peer's address: the socket's, never a forwarded one. */
  remoteAddress: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface MetricsRefusal {
  status: 401 | 403;
  message: string;
}

/** Headers a reverse proxy adds: a request carrying one came from elsewhere through it. */
const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

const digest = (text: string) => createHash('sha256').update(text).digest();

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * Who may read /metrics (DESIGN §5b), on the proxy and the console alike. With METRICS_TOKEN set,
 * every request needs `Authorization: Bearer <token>` (compared in constant time). Without it,
 * only loopback peers are served, and only requests no reverse proxy forwarded: a proxy on the
 * same host would otherwise hand the metrics to anyone. Undefined = served.
 */
export function metricsRefusal(token: string, request: MetricsRequest): MetricsRefusal | undefined {
  if (token !== '') {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(String(request.headers.authorization ?? ''))?.[1];
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (bearer !== undefined && timingSafeEqual(digest(bearer), digest(token))) return undefined;
    return {
      status: 401,
      message: 'metrics: send the METRICS_TOKEN as "Authorization: Bearer <token>".',
    };
  }
  const forwarded = FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined);
  if (isLoopback(request.remoteAddress) && !forwarded) return undefined;
  return {
    status: 403,
    message:
      'metrics: without METRICS_TOKEN only loopback clients are served, and not through a reverse proxy; set METRICS_TOKEN to scrape from elsewhere.',
  };
}
