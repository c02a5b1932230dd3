import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Usage } from '@chat-api/billing';
import { ChannelStatus, type ChannelWithKey, type Database, type Logger } from '@chat-api/db';
import {
  buildUpstreamRequest,
  requestUpstream,
  scrubSecret,
  upstreamModel,
  UpstreamUnreachable,
  type UpstreamResponse,
} from '@chat-api/providers';
import { RelayError } from '../auth/relay-error.js';
import { openAIError } from '../errors.js';
import { quotaOfCharge, recordRequest } from './bill.js';
import { assertAllowed, identifyCaller, type Caller } from './caller.js';
import type { Endpoint } from './endpoints.js';
import { forwardStream } from './forward-stream.js';
import { readRequestBody, replaceMultipartField, type RequestBody } from './request-body.js';
import { loadRouting } from './routing.js';
import { loadRelaySettings, type RelaySettings } from './settings.js';
import { isRetryableStatus, shouldAutoDisable } from './upstream-failure.js';
import { usageFromJson } from './usage-json.js';

export interface RelayServices {
  db: Database;
  logger: Logger;
  /** Upstream header and idle timeout; 0 = none (RELAY_TIMEOUT). */
  timeoutMs: number;
  /** Billing writes still running; shutdown waits for them (DESIGN §6: nothing lost). */
  pendingBills: Set<Promise<void>>;
}

const STREAM_IDLE_TIMEOUT_MS = 300_000;

/** Why the last channel failed, answered to the client when no channel is left to try. */
interface Failure {
  status: number;
  body: string;
}

/**
 * One /v1 request: authenticate, route, call upstream with failover until bytes reach the
 * client, forward the answer as it arrives, then bill it off the response path.
 */
export async function relay(
  services: RelayServices,
  endpoint: Endpoint,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const started = performance.now();
  const { db } = services;
  const caller = await identifyCaller(db, request);
  const body = readRequestBody(request.body, endpoint);
  assertAllowed(caller, request.ip, body.model);

  const settings = await loadRelaySettings(db);
  const price = settings.prices.priceFor(body.model, caller.group);
  if (!price) throw new RelayError('model_price_not_set', { model: body.model });

  const routing = await loadRouting(db);
  const pinned = caller.pinnedChannelId;
  if (pinned === undefined && !routing.index.hasModel(caller.group, body.model)) {
    throw new RelayError('model_not_available', { model: body.model, group: caller.group });
  }

  // A client that hangs up aborts the upstream request at once.
  const abort = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });

  const tried = new Set<number>();
  let failure: Failure | undefined;
  for (let attempt = 0; attempt <= settings.retryTimes; attempt++) {
    const channel =
      pinned !== undefined
        ? tried.has(pinned)
          ? undefined
          : routing.channels.get(pinned)
        : routing.index.pick({ group: caller.group, model: body.model, exclude: tried });
    if (!channel) break;
    tried.add(channel.id);

    const injectUsage = body.stream && !body.clientWantsUsage;
    const mapped = upstreamModel(channel, body.model);
    const target = buildUpstreamRequest({ channel, path: endpoint.path, model: mapped });
    let response: UpstreamResponse;
    try {
      response = await requestUpstream({
        url: target.url,
        headers: { ...target.headers, 'content-type': contentType(request, endpoint) },
        body: payload(body, mapped, injectUsage),
        signal: abort.signal,
        timeoutMs: services.timeoutMs,
        // A stream that stalls is cut even when RELAY_TIMEOUT sets no limit.
        idleTimeoutMs: services.timeoutMs || STREAM_IDLE_TIMEOUT_MS,
      });
    } catch (error) {
      if (!(error instanceof UpstreamUnreachable)) throw error;
      if (error.reason === 'aborted') return;
      failure = {
        status: error.reason === 'timeout' ? 504 : 502,
        body: JSON.stringify(
          openAIError(error.message, 'upstream_error', `upstream_${error.reason}`),
        ),
      };
      continue;
    }

    if (response.status >= 400) {
      const text = await response.body.text();
      failure = { status: response.status, body: scrubUpstream(text, channel) };
      if (shouldAutoDisable(response.status, text, settings))
        disableChannel(services, channel, response.status);
      if (isRetryableStatus(response.status) && pinned === undefined) continue;
      break;
    }

    const context = {
      services,
      endpoint,
      caller,
      body,
      channel,
      settings,
      price,
      started,
      request,
      reply,
    };
    await (body.stream
      ? relayStream(context, response, injectUsage)
      : relayWhole(context, response));
    return;
  }

  if (!failure) {
    throw new RelayError('model_not_available', { model: body.model, group: caller.group });
  }
  await reply
    .code(failure.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(failure.body);
}

interface AnswerContext {
  services: RelayServices;
  endpoint: Endpoint;
  caller: Caller;
  body: RequestBody;
  channel: ChannelWithKey;
  settings: RelaySettings;
  price: NonNullable<ReturnType<RelaySettings['prices']['priceFor']>>;
  started: number;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** Non-streaming answers: JSON read whole (usage is in it), binary audio streamed through. */
async function relayWhole(context: AnswerContext, response: UpstreamResponse): Promise<void> {
  const { reply, endpoint } = context;
  const type = String(response.headers['content-type'] ?? 'application/json');
  reply.code(response.status).header('content-type', type);
  if (!type.includes('json') && endpoint.billing === 'characters') {
    await reply.send(response.body);
    bill(
      context,
      { promptTokens: 0, completionTokens: 0 },
      performance.now() - context.started,
      {},
    );
    return;
  }
  const text = await response.body.text();
  const ttft = performance.now() - context.started;
  await reply.send(text);
  const usage = usageFromJson(text);
  bill(
    context,
    usage ?? { promptTokens: 0, completionTokens: 0 },
    ttft,
    usage ? {} : { usageMissing: true },
  );
}

async function relayStream(
  context: AnswerContext,
  response: UpstreamResponse,
  injectedUsage: boolean,
): Promise<void> {
  const outcome = await forwardStream({
    reply: context.reply,
    response,
    requestId: context.request.id,
    stripUsageChunk: injectedUsage,
  });
  const usage = outcome.usage ?? { promptTokens: 0, completionTokens: 0 };
  bill(context, usage, outcome.firstByteAt - context.started, {
    ...(outcome.usage ? {} : { usageMissing: true }),
    ...(outcome.end === 'complete' ? {} : { streamEnd: outcome.end }),
  });
}

function bill(
  context: AnswerContext,
  usage: Usage,
  ttftMs: number,
  marks: Record<string, unknown>,
): void {
  const { services, endpoint, caller, body, channel, settings, price } = context;
  const quota = quotaOfCharge({
    endpoint,
    price,
    quotaPerUnit: settings.prices.quotaPerUnit,
    usage,
    units: unitsOf(endpoint, body),
  });
  const written = recordRequest(services.db, services.logger, {
    token: caller.token,
    owner: caller.owner,
    channelId: channel.id,
    model: body.model,
    quota,
    usage,
    isStream: body.stream,
    ttftMs,
    durationMs: performance.now() - context.started,
    requestId: context.request.id,
    other: { ...price, ...marks },
  });
  services.pendingBills.add(written);
  void written.finally(() => services.pendingBills.delete(written));
}

/** images: how many were asked for; speech: input characters; everything else: one call. */
function unitsOf(endpoint: Endpoint, body: RequestBody): number {
  if (endpoint.billing === 'images') return typeof body.json?.n === 'number' ? body.json.n : 1;
  if (endpoint.billing === 'characters') {
    return typeof body.json?.input === 'string' ? body.json.input.length : 0;
  }
  return 1;
}

/** The client's bytes, unless the model is mapped or usage must be requested upstream. */
function payload(body: RequestBody, mappedModel: string, injectUsage: boolean): Buffer | string {
  if (mappedModel === body.model && !injectUsage) return body.raw;
  if (!body.json) return replaceMultipartField(body.raw, 'model', mappedModel);
  const json: Record<string, unknown> = { ...body.json, model: mappedModel };
  if (injectUsage) {
    json.stream_options = {
      ...(body.json.stream_options as object | undefined),
      include_usage: true,
    };
  }
  return JSON.stringify(json);
}

function contentType(request: FastifyRequest, endpoint: Endpoint): string {
  return endpoint.body === 'multipart'
    ? String(request.headers['content-type'])
    : 'application/json';
}

/** An upstream error body as the client may see it: no upstream key, no internal address. */
function scrubUpstream(text: string, channel: ChannelWithKey): string {
  let scrubbed = scrubSecret(text, channel.key);
  if (channel.baseUrl) scrubbed = scrubbed.split(channel.baseUrl).join('(upstream)');
  try {
    JSON.parse(scrubbed);
    return scrubbed;
  } catch {
    return JSON.stringify(
      openAIError(scrubbed.slice(0, 1000) || 'upstream error', 'upstream_error', null),
    );
  }
}

function disableChannel(services: RelayServices, channel: ChannelWithKey, status: number): void {
  services.db.repos.channels
    .setStatus(channel.id, ChannelStatus.autoDisabled, { onlyIf: ChannelStatus.enabled })
    .then((changed) => {
      if (changed)
        services.logger.warn(
          `relay: channel ${channel.id} (${channel.name}) disabled after upstream ${status}`,
        );
    })
    .catch((error: Error) =>
      services.logger.error(`relay: cannot disable channel ${channel.id} (${error.message})`),
    );
}
