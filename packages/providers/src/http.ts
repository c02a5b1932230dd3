import { Agent, errors, request } from 'undici';
import { UpstreamError } from './errors.js';

/** One keep-alive connection pool per process, shared by every upstream call. */
export const upstreamAgent = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 10 * 60_000,
  connect: { timeout: 10_000 },
});

export interface UpstreamCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface UpstreamReply {
  status: number;
  text: string;
}

/** A whole request and response body within the timeout; network failures become UpstreamError. */
export async function callUpstream(call: UpstreamCall): Promise<UpstreamReply> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body,
      signal,
      dispatcher: upstreamAgent,
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch (error) {
    if (signal.aborted) throw new UpstreamError(`upstream timed out after ${call.timeoutMs} ms`);
    throw new UpstreamError(`cannot reach upstream: ${networkReason(error)}`);
  }
}

function networkReason(error: unknown): string {
  if (error instanceof errors.SocketError) return 'connection closed by upstream';
  if (error instanceof AggregateError) return networkReason(error.errors[0]);
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code);
  return String(error);
}
