import { dueAtMs, type JobLeasesRepository, type Logger } from '@chat-api/db';
import type { ScheduledJob } from './job.js';
import { runLeased } from './leased-run.js';
import type { ConsoleMetrics } from '../metrics/console-metrics.js';
import { observedJob } from '../metrics/observed-job.js';

/** Waking a little after the due time, so the lease's `<=` test passes on every master. */
const DUE_MARGIN_MS = 20;
/** Never spin: at least this between two tries. */
const MIN_WAIT_MS = 100;
/** After an error (the database unreachable), try again this soon, or at the interval if shorter. */
const RETRY_MS = 30_000;

export interface JobSchedulerOptions {
  leases: JobLeasesRepository;
  jobs: ScheduledJob[];
  logger: Logger;
  /** A lease unrenewed this long lapses (a dead node's run is taken over then); 60 s. */
  leaseMs?: number;
  /** On shutdown, how long a run's current step may take before the run is abandoned; 5 s. */
  abandonAfterMs?: number;
  /** The clock leases are compared with (unix ms); tests move it. */
  now?: () => number;
  /** Where each run is reported (GET /metrics). */
  metrics?: ConsoleMetrics;
}

export interface JobScheduler {
  /** Shows each job's interval in the console, then runs each enabled job whenever it is due. */
  start(): Promise<void>;
  /** Runs the job now if it is due and this node wins its lease; false when it did not run. */
  runDue(name: string): Promise<boolean>;
  /** No more runs; one in progress stops at its next step (abandoned after abandonAfterMs). */
  stop(): Promise<void>;
}

/**
 * Runs the master node's periodic jobs. Every master may run one: the lease in the database
 * admits a single run per interval, whichever master wakes first, and a master that does not get
 * it waits for the next due time.
 */
export function createJobScheduler(options: JobSchedulerOptions): JobScheduler {
  const { leases, logger } = options;
  const now = options.now ?? Date.now;
  const jobs = new Map(options.jobs.map((job) => [job.name, observedJob(job, options.metrics)]));
  const shutdown = new AbortController();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  function runDue(name: string): Promise<boolean> {
    const job = jobs.get(name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    if (shutdown.signal.aborted || job.intervalSeconds <= 0) return Promise.resolve(false);
    return track(
      runLeased({
        leases,
        job,
        logger,
        now,
        leaseMs: options.leaseMs ?? 60_000,
        shutdown: shutdown.signal,
        abandonAfterMs: options.abandonAfterMs ?? 5_000,
      }),
    );
  }

  /** Tries the job, then sleeps until it is due again (as this node sees it). */
  async function cycle(job: ScheduledJob): Promise<void> {
    const intervalMs = job.intervalSeconds * 1000;
    let waitMs = Math.min(intervalMs, RETRY_MS);
    try {
      await runDue(job.name);
      if (shutdown.signal.aborted) return;
      const state = await leases.get(job.name);
      if (state) {
        const untilDue = dueAtMs(state, job.intervalSeconds) - now() + DUE_MARGIN_MS;
        waitMs = Math.min(Math.max(untilDue, MIN_WAIT_MS), intervalMs);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`jobs: ${job.name}: ${message} (trying again in ${waitMs / 1000} s)`);
    }
    if (shutdown.signal.aborted) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void track(cycle(job));
    }, waitMs);
    timer.unref();
    timers.add(timer);
  }

  return {
    async start() {
      for (const job of jobs.values()) {
        try {
          await leases.register(job.name, job.intervalSeconds);
        } catch (error) {
          logger.warn(`jobs: cannot note ${job.name}'s interval (${(error as Error).message})`);
        }
        if (job.intervalSeconds > 0) void track(cycle(job));
      }
    },
    runDue,
    async stop() {
      shutdown.abort('shutdown');
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
