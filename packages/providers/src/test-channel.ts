import type { AnswerReader, ClientRequest } from './adapter.js';
import { adapterFor } from './adapter-for.js';
import type { UpstreamChannel } from './channel.js';
import { callUpstream } from './http.js';
import { scrubSecret } from './scrub.js';
import { reasonFromJson, upstreamErrorMessage } from './upstream-error.js';

export interface ChannelTestOptions {
  channel: UpstreamChannel;
  /** The requested model; the channel's mapping applies. */
  model: string;
  timeoutMs: number;
}

export interface ChannelTestResult {
  ok: boolean;
  latencyMs: number;
  /** Why it failed, in the upstream's words where it gave any; never holds the key. */
  error?: string;
}

/**
 * One minimal, non-streaming chat completion through the channel, timed: asked and read through
 * the channel type's adapter, as the relay would.
 */
export async function testChannel({
  channel,
  model,
  timeoutMs,
}: ChannelTestOptions): Promise<ChannelTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const adapter = adapterFor(channel.type);
    const request = testRequest(model);
    const upstream = await adapter.buildRequest(channel, request);
    const reply = await callUpstream({
      method: 'POST',
      url: upstream.url,
      headers: upstream.headers,
      body: upstream.body.toString(),
      timeoutMs,
    });
    const latencyMs = elapsed();
    const reader = upstream.reader ?? adapter;
    const failure = completionFailure(reader, channel, request, reply.status, reply.text);
    return failure
      ? { ok: false, latencyMs, error: scrubSecret(failure, channel.key) }
      : { ok: true, latencyMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: elapsed(), error: scrubSecret(message, channel.key) };
  }
}

function testRequest(model: string): ClientRequest {
  const json = { model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 };
  return {
    path: '/v1/chat/completions',
    model,
    raw: Buffer.from(JSON.stringify(json)),
    json,
    contentType: 'application/json',
    stream: false,
    clientWantsUsage: false,
  };
}

/** Why a reply is not a chat completion, or undefined when it is one. */
function completionFailure(
  reader: AnswerReader,
  channel: UpstreamChannel,
  request: ClientRequest,
  status: number,
  upstreamText: string,
): string | undefined {
  if (status < 200 || status >= 300) {
    return upstreamErrorMessage(status, reader.clientError(channel, status, upstreamText).body);
  }
  let body: unknown;
  let text: string;
  try {
    text = reader.clientAnswer(Buffer.from(upstreamText), request).toString('utf8');
    body = JSON.parse(text);
  } catch {
    return `upstream answered ${status} with a body that is not JSON`;
  }
  if (Array.isArray((body as { choices?: unknown } | null)?.choices)) return undefined;
  const reason = reasonFromJson(text);
  return reason
    ? `upstream answered ${status}: ${reason}`
    : `upstream answered ${status} without choices`;
}
