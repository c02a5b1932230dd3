import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Cache } from '@chat-api/db';
import type { BillWriter } from '../relay/bill-writer.js';
import type { InFlight } from '../relay/in-flight.js';
import { CellCounter, CellHistogram, type Buckets, type CountCell } from './cells.js';

/** Seconds: a short answer's first bytes to a long reasoning stream. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
/** Redis delivers in milliseconds; the database feed polls twice a second (whole seconds). */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** The channel label of a request no channel was called for. */
export const NO_CHANNEL = -1;
/** The status label of an answer that did not end: the client left, or a shutdown cut it. */
export const UNFINISHED = 499;

type RequestLabel = 'endpoint' | 'model' | 'channel' | 'status';
type TimingLabel = 'model' | 'channel';

interface Timings {
  duration: Buckets;
  firstToken: Buckets;
}

/** The map under `key`, made on first use. */
function branch<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let next = map.get(key);
  if (!next) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

const channelLabel = (channel: number) => (channel === NO_CHANNEL ? '' : String(channel));

export interface MetricSources {
  inFlight: InFlight;
  bills: BillWriter;
  cache: Cache;
}

/**
 * The proxy's series (README "Metrics"), one registry per app so that several proxies in one
 * process (tests) count apart. The relay reports each request once, through cells found in
 * nested maps by the numbers and strings it already has; what can be read when scraped
 * (requests in flight, holds, the bill queue) is read then, at no cost to requests.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  /** Quota holds the relay took that no bill has replaced and nothing gave back yet. */
  holdsInRelay = 0;

  private readonly requests: CellCounter<RequestLabel>;
  private readonly requestCells = new Map<
    string,
    Map<string, Map<number, Map<number, CountCell>>>
  >();
  private readonly duration: CellHistogram<TimingLabel>;
  private readonly firstToken: CellHistogram<TimingLabel>;
  private readonly timingCells = new Map<string, Map<number, Timings>>();
  private readonly stopLag: () => void;

  constructor({ inFlight, bills, cache }: MetricSources) {
    const registers = [this.registry];
    this.requests = new CellCounter({
      name: 'chat_api_requests_total',
      help: 'Relayed requests by endpoint, model, channel (last tried; empty when none) and HTTP status (499: the answer did not end).',
      labelNames: ['endpoint', 'model', 'channel', 'status'],
      registers,
    });
    this.duration = new CellHistogram({
      name: 'chat_api_upstream_duration_seconds',
      help: 'Answered requests: from the relay taking the request to the end of the upstream answer.',
      labelNames: ['model', 'channel'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.firstToken = new CellHistogram({
      name: 'chat_api_time_to_first_token_seconds',
      help: 'Streamed answers: from the relay taking the request to the first bytes sent to the client.',
      labelNames: ['model', 'channel'],
      buckets: FIRST_TOKEN_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'chat_api_in_flight_requests',
      help: 'Relayed requests running now.',
      registers,
      collect() {
        this.set(inFlight.running);
      },
    });
    new Gauge({
      name: 'chat_api_open_streams',
      help: 'Streamed answers being forwarded now.',
      registers,
      collect() {
        this.set(inFlight.openStreams);
      },
    });
    const holds = () => this.holdsInRelay + bills.queueDepth;
    new Gauge({
      name: 'chat_api_quota_holds',
      help: 'Quota holds open on this node: requests admitted and running, and bills not written yet.',
      registers,
      collect() {
        this.set(holds());
      },
    });
    new Gauge({
      name: 'chat_api_bill_queue_depth',
      help: 'Bills waiting to be written to the database, or being written.',
      registers,
      collect() {
        this.set(bills.queueDepth);
      },
    });
    new Counter({
      name: 'chat_api_bills_written_total',
      help: 'Bills written to the database.',
      registers,
      collect() {
        this.reset();
        this.inc(bills.written);
      },
    });
    new Counter({
      name: 'chat_api_bill_write_failures_total',
      help: 'Bill writes that failed (the database busy, unreachable or refusing a bill); their bills are kept and written again.',
      registers,
      collect() {
        this.reset();
        this.inc(bills.failedWrites);
      },
    });
    new Counter({
      name: 'chat_api_bills_refused_total',
      help: 'Bills the database refused: charged with a plain log row (plain_log) or not at all (dropped).',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        this.inc({ outcome: 'plain_log' }, bills.refusals.plain);
        this.inc({ outcome: 'dropped' }, bills.refusals.dropped);
      },
    });
    const lag = new Histogram({
      name: 'chat_api_cache_invalidation_lag_seconds',
      help: 'From a change being published to this node hearing of it, by bus (the database feed in whole seconds).',
      labelNames: ['bus'],
      buckets: LAG_BUCKETS,
      registers,
    });
    this.stopLag = cache.onInvalidationLag((bus, seconds) => lag.observe({ bus }, seconds));
  }

  /** A relayed request's answer ended (or never will: UNFINISHED). */
  requestEnded(endpoint: string, model: string, channel: number, status: number): void {
    const byStatus = branch(branch(branch(this.requestCells, endpoint), model), channel);
    let cell = byStatus.get(status);
    if (!cell) {
      cell = this.requests.cell({
        endpoint,
        model,
        channel: channelLabel(channel),
        status: String(status),
      });
      byStatus.set(status, cell);
    }
    cell.value++;
  }

  /**
   * An answer that will never be sent whole (the client left, a shutdown cut it): Fastify's
   * onResponse does not run for it, so the relay reports it.
   */
  unfinished(request: {
    metricEndpoint: string;
    metricModel: string;
    metricChannel: number;
  }): void {
    this.requestEnded(
      request.metricEndpoint,
      request.metricModel,
      request.metricChannel,
      UNFINISHED,
    );
  }

  /** An upstream answer reached the client: its duration, and when streamed its first bytes'. */
  answered(model: string, channel: number, durationMs: number, firstTokenMs: number): void {
    const byChannel = branch(this.timingCells, model);
    let timings = byChannel.get(channel);
    if (!timings) {
      const labels = { model, channel: channelLabel(channel) };
      timings = { duration: this.duration.cell(labels), firstToken: this.firstToken.cell(labels) };
      byChannel.set(channel, timings);
    }
    timings.duration.observe(durationMs / 1000);
    if (firstTokenMs > 0) timings.firstToken.observe(firstTokenMs / 1000);
  }

  close(): void {
    this.stopLag();
  }
}
