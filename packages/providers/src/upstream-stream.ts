import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import { upstreamAgent } from './http.js';

export interface UpstreamStreamCall {
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** Aborted when the client hangs up. */
  signal: AbortSignal;
  /** Time allowed for the upstream's response headers; 0 = none. */
  timeoutMs: number;
  /** Time allowed between two body chunks (a stalled stream); 0 = none. */
  idleTimeoutMs: number;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Read it as it arrives (`for await`), or whole (`.text()`). */
  body: Dispatcher.ResponseData['body'];
}

/** A failure to get any answer from the upstream: never reached, too slow, or cut off. */
export class UpstreamUnreachable extends Error {
  constructor(
    readonly reason: 'connect' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/** The relay's call: POSTs through the shared keep-alive pool; the answer's body streams back. */
export async function requestUpstream(call: UpstreamStreamCall): Promise<UpstreamResponse> {
  try {
    const response = await upstreamAgent.request({
      ...originAndPath(call.url),
      method: 'POST',
      headers: call.headers,
      body: call.body,
      signal: call.signal,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.idleTimeoutMs,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw toUnreachable(error, call.signal);
  }
}

/** Splits an absolute URL without parsing it whole: undici's own parse costs every request. */
function originAndPath(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1
    ? { origin: url, path: '/' }
    : { origin: url.slice(0, slash), path: url.slice(slash) };
}

function toUnreachable(error: unknown, signal: AbortSignal): UpstreamUnreachable {
  if (signal.aborted) return new UpstreamUnreachable('aborted', 'the client closed the connection');
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new UpstreamUnreachable('timeout', 'the upstream did not answer in time');
  }
  if (error instanceof errors.ConnectTimeoutError) {
    return new UpstreamUnreachable('timeout', 'connecting to the upstream timed out');
  }
  const code =
    (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return new UpstreamUnreachable('connect', `cannot reach the upstream${code ? ` (${code})` : ''}`);
}
