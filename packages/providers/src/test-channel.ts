import { upstreamModel, type UpstreamChannel } from './channel.js';
import { callUpstream, type UpstreamReply } from './http.js';
import { scrubSecret } from './scrub.js';
import { reasonFromJson, upstreamErrorMessage } from './upstream-error.js';
import { buildUpstreamRequest } from './upstream-request.js';

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

/** One minimal, non-streaming chat completion through the channel, timed. */
export async function testChannel({
  channel,
  model,
  timeoutMs,
}: ChannelTestOptions): Promise<ChannelTestResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const upstream = upstreamModel(channel, model);
    const { url, headers } = buildUpstreamRequest({
      channel,
      path: '/v1/chat/completions',
      model: upstream,
    });
    const reply = await callUpstream({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: upstream,
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 1,
      }),
      timeoutMs,
    });
    const latencyMs = elapsed();
    const failure = completionFailure(reply);
    return failure
      ? { ok: false, latencyMs, error: scrubSecret(failure, channel.key) }
      : { ok: true, latencyMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: elapsed(), error: scrubSecret(message, channel.key) };
  }
}

/** Why a reply is not a chat completion, or undefined when it is one. */
function completionFailure({ status, text }: UpstreamReply): string | undefined {
  if (status < 200 || status >= 300) return upstreamErrorMessage(status, text);
  let body: unknown;
  try {
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
