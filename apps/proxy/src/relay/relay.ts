import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Price, Usage } from '@chat-api/billing';
import {
  CacheKeys,
  ChannelStatus,
  type ChannelWithKey,
  type HeldQuota,
  type Database,
  type Logger,
  type RequestLimiter,
} from '@chat-api/db';
import {
  adapterForClient,
  RequestNotSupportedError,
  requestUpstream,
  UpstreamError,
  UpstreamUnreachable,
  type AnswerReader,
  type ClientFailure,
  type ClientRequest,
  type UpstreamCallHandle,
  type UpstreamRequest,
  type UpstreamResponse,
} from '@chat-api/providers';
import { RelayError } from '../auth/relay-error.js';
import { errorInClientFormat, openAIError } from '../errors.js';
import type { ProxyMetrics } from '../metrics/proxy-metrics.js';
import { admit, holdEstimate, recentCosts, startClock, type HoldEstimate } from './admission.js';
import { billNote, consumptionOf, type BillMarks, quotaOfCharge, unitsOf } from './bill.js';
import type { BillWriter } from './bill-writer.js';
import { callerOf } from './authenticate-first.js';
import { assertAllowed, type Caller } from './caller.js';
import { countedUsage } from './counted-usage.js';
import type { Endpoint } from './endpoints.js';
import { forwardStream, pipeToClient } from './forward-stream.js';
import type { InFlight } from './in-flight.js';
import { countKeyTokens, enforceKeyLimits, hasKeyLimits } from './key-limits.js';
import { readClientRequest } from './request-body.js';
import { loadRouting, type Callable, type Routing } from './routing.js';
import { loadRelaySettings, type RelaySettings } from './settings.js';
import { disableReason, isRetryableStatus, shouldAutoDisable } from './upstream-failure.js';

export interface RelayServices {
  db: Database;
  logger: Logger;
  /** Upstream header timeout; 0 = none (RELAY_TIMEOUT). */
  timeoutMs: number;
  /** Writes bills off the response path; shutdown waits for it (DESIGN §6: nothing lost). */
  bills: BillWriter;
  /** What shutdown waits for, and the streams it cuts when SHUTDOWN_TIMEOUT passes. */
  inFlight: InFlight;
  /** What GET /metrics reports. */
  metrics: ProxyMetrics;
  /** Per-key requests and tokens per minute, and requests in flight (DESIGN §5b). */
  limiter: RequestLimiter;
}

/** A stream that stalls is cut even when RELAY_TIMEOUT sets no limit. */
const STREAM_IDLE_TIMEOUT_MS = 300_000;

/** A request past authentication, pricing and its quota hold. */
interface Admitted {
  services: RelayServices;
  endpoint: Endpoint;
  caller: Caller;
  client: ClientRequest;
  routing: Routing;
  settings: RelaySettings;
  price: Price;
  started: number;
  request: FastifyRequest;
  reply: FastifyReply;
  estimate: HoldEstimate;
  /** The quota held at admission; `settled` once the bill (which replaces it) is on its way. */
  hold: { held: HeldQuota; settled: boolean };
}

/** An answered request: what its forwarding and its bill need. */
interface Answer {
  admitted: Admitted;
  channel: ChannelWithKey;
  reader: AnswerReader;
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
  pathModel?: string,
): Promise<void> {
  const started = performance.now();
  const { db } = services;
  request.metricEndpoint = endpoint.path;
  const caller = callerOf(request);
  const client = readClientRequest(request.body, endpoint, request.headers, pathModel);
  try {
    assertAllowed(caller, request, client.model);
  } catch (error) {
    if (error instanceof RelayError && error.code === 'token_expired') {
      db.repos.usage.markExpired(caller.payer).catch((failure: Error) => {
        services.logger.warn(
          `relay: cannot mark key ${caller.token.id} expired (${failure.message})`,
        );
      });
    }
    throw error;
  }

  const settings = await loadRelaySettings(db);
  const price = settings.prices.priceFor(client.model, caller.group);
  if (!price) throw new RelayError('model_price_not_set', { model: client.model });

  const routing = await loadRouting(db);
  if (caller.pinnedChannelId === undefined && !routing.index.hasModel(caller.group, client.model)) {
    throw new RelayError('model_not_available', { model: client.model, group: caller.group });
  }
  // Labelled by model only once it is known to be served: any other name would add a series.
  request.metricModel = client.model;

  if (services.bills.backlogged) throw new RelayError('bills_backlogged').retryAfter(1);
  // Before the hold: a refused request costs the key nothing but its place in the minute. Keys
  // without limits (most) pay no await for it.
  const slot = hasKeyLimits(caller) ? await enforceKeyLimits(services.limiter, caller) : undefined;
  const tokenId = caller.token.id;
  let estimate = holdEstimate({ endpoint, client, price, settings, tokenId });
  // Open-ended, and no cost on record yet: the first such request teaches the others theirs.
  let learned: (() => void) | undefined;
  let hold;
  try {
    if (!estimate.bounded && recentCosts.get(tokenId, client.model) === undefined) {
      learned = await recentCosts.learnFirst(tokenId, client.model);
      if (!learned) estimate = holdEstimate({ endpoint, client, price, settings, tokenId });
    }
    hold = { held: await admit(db, caller, estimate.amount), settled: false };
    services.metrics.holdsInRelay++;
  } catch (error) {
    learned?.();
    void slot?.release();
    throw error;
  }
  try {
    await startClock(db, caller);
    await callChannels({
      services,
      endpoint,
      caller,
      client,
      routing,
      settings,
      price,
      started,
      request,
      reply,
      estimate,
      hold,
    });
    // The client left (or a shutdown cut the answer): Fastify's onResponse will not count it.
    if (!reply.raw.writableEnded) services.metrics.unfinished(request);
  } finally {
    learned?.();
    services.metrics.holdsInRelay--;
    void slot?.release();
    // Nothing was billed (every channel failed, or the client left first): give the hold back.
    if (!hold.settled) {
      db.repos.usage.release(caller.payer, hold.held).catch((error: Error) => {
        services.logger.error(`relay: cannot release a hold (${error.message})`);
      });
    }
  }
}

/** Tries channels until one answers (or none is left) and forwards that answer. */
async function callChannels(admitted: Admitted): Promise<void> {
  const { services, caller, client, routing, settings, reply } = admitted;
  // A client that hangs up cuts the upstream call at once.
  let call: UpstreamCallHandle | undefined;
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) call?.abort();
  });

  const tried = new Set<number>();
  // Why the last channel failed, answered to the client when no channel is left to try.
  let failure: ClientFailure | undefined;
  // Only a continuation waits for the note (a Redis read): every other request goes on at once.
  const continues = client.native?.continues;
  const continued =
    continues === undefined ? undefined : await continuedChannel(services, continues);
  for (let attempt = 0; attempt <= settings.retryTimes; attempt++) {
    const callable = nextChannel(routing, caller, client.model, tried, continued);
    if (!callable) break;
    const { channel } = callable;
    const adapter = adapterForClient(client, channel.type, callable.adapter);
    tried.add(channel.id);
    admitted.request.metricChannel = channel.id;

    let upstream: UpstreamRequest;
    try {
      const built = adapter.buildRequest(channel, client);
      // Only channels that fetch or sign credentials first pay for a promise.
      upstream = built instanceof Promise ? await built : built;
    } catch (error) {
      if (error instanceof RequestNotSupportedError) {
        // This provider has no such endpoint; a channel of another type may serve the model.
        // Passing it over is no retry: the channel was never called.
        failure = channelFailure(400, error.message, 'unsupported_endpoint');
        attempt -= 1;
        continue;
      }
      if (error instanceof UpstreamError && error.status !== undefined) {
        // The provider refused the channel's credentials before the call (Vertex AI's token
        // service): judged as that status from the upstream itself would be.
        failure = channelFailure(error.status, error.message, 'upstream_credentials');
        if (shouldAutoDisable(failure.status, failure.body, settings)) {
          disableChannel(services, channel, failure);
        }
        continue;
      }
      // A channel whose settings cannot make a request (e.g. Azure without an api-version):
      // the operator's to fix; the client is served by the next channel.
      services.logger.error(
        `relay: channel ${channel.id} cannot be called (${(error as Error).message})`,
      );
      failure = channelFailure(500, 'The channel is misconfigured.', 'channel_misconfigured');
      continue;
    }
    let response: UpstreamResponse;
    let whole: Buffer | undefined;
    try {
      if (reply.raw.destroyed) return;
      call = requestUpstream({
        url: upstream.url,
        headers: upstream.headers,
        body: upstream.body,
        timeoutMs: services.timeoutMs,
        idleTimeoutMs: services.timeoutMs || STREAM_IDLE_TIMEOUT_MS,
      });
      response = await call.response;
      // Nothing reaches the client before the upstream's first body bytes (a whole answer is
      // read first), so a connection that breaks before them is a failure another channel
      // can still answer.
      if (response.status < 400) {
        if (readsWhole(admitted, response)) whole = await response.bytes();
        else await response.bodyStarted();
      }
    } catch (error) {
      if (!(error instanceof UpstreamUnreachable)) throw error;
      if (error.reason === 'aborted') return;
      const code = `upstream_${error.reason}`;
      failure = channelFailure(error.reason === 'timeout' ? 504 : 502, error.message, code);
      continue;
    }

    if (response.status >= 400) {
      const text = await response.text().catch(() => '');
      // Judged as OpenAI would put it: each adapter maps its provider's errors to that.
      failure = (upstream.reader ?? adapter).clientError(channel, response.status, text);
      if (shouldAutoDisable(failure.status, failure.body, settings)) {
        disableChannel(services, channel, failure);
      }
      if (isRetryableStatus(failure.status) && caller.pinnedChannelId === undefined) continue;
      break;
    }

    // Built field by field: V8 copies a spread object slowly, and this runs on every request.
    const answered: Answer = { admitted, channel, reader: upstream.reader ?? adapter };
    if (whole) relayWhole(answered, response, whole);
    else if (client.stream) await relayStream(answered, response, upstream.injectedUsage);
    else await relayBinary(answered, response);
    return;
  }

  if (!failure) {
    throw new RelayError('model_not_available', { model: client.model, group: caller.group });
  }
  await reply
    .code(failure.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorInClientFormat(admitted.endpoint.format, failure.status, failure.body));
}

function channelFailure(status: number, message: string, code: string): ClientFailure {
  return { status, body: JSON.stringify(openAIError(message, 'upstream_error', code)) };
}

/** Whether the answer is read whole before the client gets it: all but streams and audio. */
function readsWhole({ client, endpoint }: Admitted, response: UpstreamResponse): boolean {
  if (client.stream) return false;
  const type = String(response.headers['content-type'] ?? 'application/json');
  return type.includes('json') || endpoint.billing !== 'characters';
}

/**
 * A pinned key (sk-KEY-<id>) gets its channel once; others the next by priority and weight,
 * after the channel whose answer the request continues, while it still serves the model.
 */
function nextChannel(
  routing: Routing,
  caller: Caller,
  model: string,
  tried: ReadonlySet<number>,
  continued: number | undefined,
): Callable | undefined {
  const pinned = caller.pinnedChannelId;
  if (pinned !== undefined) return tried.has(pinned) ? undefined : routing.channels.get(pinned);
  if (continued !== undefined && !tried.has(continued)) {
    const channel = routing.index.find(caller.group, model, continued);
    if (channel) return channel;
  }
  return routing.index.pick({ group: caller.group, model, exclude: tried });
}

/** Stored answers are kept upstream for 30 days (OpenAI's default): as long as the note. */
const CONTINUATION_TTL_SECONDS = 30 * 24 * 3600;

/** The channel that gave the answer with this id, when a node noted it. */
async function continuedChannel(services: RelayServices, id: string): Promise<number | undefined> {
  const channelId = await services.db.cache.recall(CacheKeys.continuation(id));
  return typeof channelId === 'number' ? channelId : undefined;
}

/** Notes which channel gave an answer a later request may continue (a stored Response). */
function rememberContinuation(answer: Answer, id: string | undefined): void {
  if (id === undefined) return;
  const { services } = answer.admitted;
  services.db.cache
    .remember(CacheKeys.continuation(id), answer.channel.id, CONTINUATION_TTL_SECONDS)
    .catch((error: Error) => {
      services.logger.warn(`relay: cannot note the channel of ${id} (${error.message})`);
    });
}

/** Speech audio: streamed through as it arrives, billed by the input's characters. */
async function relayBinary(answer: Answer, response: UpstreamResponse): Promise<void> {
  const { reply, started } = answer.admitted;
  const type = String(response.headers['content-type']);
  const res = hijack(reply, response.status, type);
  await pipeToClient(res, response).then(
    () => res.end(),
    () => res.destroy(),
  );
  bill(answer, NO_USAGE, performance.now() - started, undefined);
}

/**
 * Answers read whole (usage is in them): the upstream's bytes go to the client unchanged, or as
 * the adapter converts them to OpenAI's format.
 */
function relayWhole(answer: Answer, response: UpstreamResponse, bytes: Buffer): void {
  const { reply, client, started } = answer.admitted;
  const ttft = performance.now() - started;
  const sent = answer.reader.clientAnswer(bytes, client);
  const type =
    sent === bytes ? String(response.headers['content-type'] ?? 'application/json') : JSON_TYPE;
  hijack(reply, response.status, type, sent.length).end(sent);
  const text = bytes.toString('utf8');
  rememberContinuation(answer, answer.reader.continuationIdOf?.(text, client));
  const reported = answer.reader.usageOf(text);
  if (reported) {
    bill(answer, reported, ttft, undefined, text);
    return;
  }
  const counted = countedUsage(client, answer.reader.completionTextOf(text));
  bill(answer, counted, ttft, { usageCounted: true }, text);
}

/** Takes the response from Fastify to write the upstream's answer straight to the socket. */
function hijack(
  reply: FastifyReply,
  status: number,
  contentType: string,
  contentLength?: number,
): ServerResponse {
  reply.hijack();
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'x-request-id': reply.request.id,
  };
  if (contentLength !== undefined) headers['content-length'] = contentLength;
  reply.raw.writeHead(status, headers);
  return reply.raw;
}

async function relayStream(
  answer: Answer,
  response: UpstreamResponse,
  injectedUsage: boolean,
): Promise<void> {
  const { reply, request, client, started } = answer.admitted;
  const tap = answer.reader.streamTap({
    stripUsageChunk: injectedUsage,
    collectText: true,
    request: client,
  });
  const { inFlight } = answer.admitted.services;
  const outcome = await forwardStream({
    reply,
    response,
    requestId: request.id,
    tap,
    inFlight,
    onContinuation: (id) => rememberContinuation(answer, id),
  });
  // An error the upstream reported inside its stream cut the answer short as a broken one would.
  if (tap.failed && outcome.end === 'complete') outcome.end = 'upstream_error';
  // A stream that ended before its first byte has no time to first token.
  const ttft = outcome.firstByteAt > 0 ? outcome.firstByteAt - started : 0;
  if (outcome.usage && outcome.end === 'complete') {
    bill(answer, outcome.usage, ttft, undefined);
    return;
  }
  // An aborted or broken stream never gets its usage chunk: count what was delivered.
  const marks: BillMarks = {};
  if (!outcome.usage) marks.usageCounted = true;
  if (outcome.end !== 'complete') marks.streamEnd = outcome.end;
  const usage = outcome.usage ?? countedUsage(client, tap.completionText ?? '');
  bill(answer, usage, ttft, marks);
}

const JSON_TYPE = 'application/json';

const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0 };

function bill(
  answer: Answer,
  usage: Usage,
  ttftMs: number,
  marks: BillMarks | undefined,
  answerText?: string,
): void {
  const { services, endpoint, caller, client, price, settings, estimate, hold, started, request } =
    answer.admitted;
  const quota = quotaOfCharge({
    endpoint,
    price,
    quotaPerUnit: settings.prices.quotaPerUnit,
    usage,
    units: unitsOf(endpoint, client, answerText),
  });
  hold.settled = true;
  if (!estimate.bounded) recentCosts.remember(caller.token.id, client.model, quota);
  countKeyTokens(services.limiter, caller, usage.promptTokens + usage.completionTokens, (error) =>
    services.logger.warn(
      `relay: cannot count the tokens of key ${caller.token.id} (${error.message})`,
    ),
  );
  const durationMs = performance.now() - started;
  services.metrics.answered(
    client.model,
    answer.channel.id,
    durationMs,
    client.stream ? ttftMs : 0,
  );
  services.bills.add(
    consumptionOf({
      payer: caller.payer,
      held: services.db.repos.usage.replaceHold(caller.payer, hold.held, quota),
      remindBelow: settings.quotaRemindThreshold,
      keepLog: settings.logConsume,
      token: caller.token,
      owner: caller.owner,
      channelId: answer.channel.id,
      model: client.model,
      quota,
      usage,
      isStream: client.stream,
      ttftMs,
      durationMs,
      requestId: request.id,
      other: billNote(
        price,
        usage,
        endpoint.format ? Object.assign({}, marks, { clientFormat: endpoint.format }) : marks,
      ),
    }),
  );
}

function disableChannel(
  services: RelayServices,
  channel: ChannelWithKey,
  { status, body }: ClientFailure,
): void {
  services.db.repos.channels
    .setStatus(channel.id, ChannelStatus.autoDisabled, {
      onlyIf: ChannelStatus.enabled,
      cause: { reason: disableReason(status, body), automatic: true },
    })
    .then((changed) => {
      if (changed) {
        services.logger.warn(
          `relay: channel ${channel.id} (${channel.name}) disabled after upstream ${status}`,
        );
      }
    })
    .catch((error: Error) => {
      services.logger.error(`relay: cannot disable channel ${channel.id} (${error.message})`);
    });
}
