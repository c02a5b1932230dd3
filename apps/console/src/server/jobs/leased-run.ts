import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobLeasesRepository, JobSummary, Logger } from '@chat-api/db';
import type { ScheduledJob } from './job.js';

export interface LeasedRunOptions {
  leases: JobLeasesRepository;
  job: ScheduledJob;
  logger: Logger;
  now: () => number;
  /** How long the lease lasts unrenewed; renewed every third of it while the run goes on. */
  leaseMs: number;
  /** Aborted when the node shuts down. */
  shutdown: AbortSignal;
  /** After a shutdown, how long the run's current step may take before the run is abandoned. */
  abandonAfterMs: number;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Resolves `ms` after `signal` aborts; cancel() drops the wait. */
function graceAfter(signal: AbortSignal, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  let begin = () => {};
  const elapsed = new Promise<void>((resolve) => {
    begin = () => {
      timer = setTimeout(resolve, ms);
    };
  });
  if (signal.aborted) begin();
  else signal.addEventListener('abort', begin, { once: true });
  return {
    elapsed,
    cancel: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', begin);
    },
  };
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
}

/**
 * One run of the job, if it is due and this run wins the lease (false otherwise). The lease is
 * renewed while the run goes on; if another node took it meanwhile, the run stops at its next
 * step. On shutdown the run stops at its next step too, and is abandoned (recorded as
 * interrupted, lease freed) when that step takes longer than abandonAfterMs.
 */
export async function runLeased(options: LeasedRunOptions): Promise<boolean> {
  const { leases, job, logger, now, leaseMs } = options;
  const holder = `${hostname()}:${process.pid}:${randomUUID()}`;
  // The duration is measured apart from the lease clock, which may jump (or be moved by tests).
  const started = performance.now();
  const claim = { name: job.name, holder, now: now(), leaseMs };
  if (!(await leases.acquire({ ...claim, intervalSeconds: job.intervalSeconds }))) return false;

  const leaseLost = new AbortController();
  const signal = AbortSignal.any([options.shutdown, leaseLost.signal]);
  const counts = Object.fromEntries(job.countNames.map((name) => [name, 0]));
  let error: string | undefined;
  let done = false;
  const renew = async () => {
    try {
      const kept = await leases.renew({ ...claim, now: now() });
      if (!kept && !done) {
        logger.warn(`jobs: ${job.name}: another node took over the lease; stopping this run`);
        leaseLost.abort('lease lost');
      }
    } catch (renewError) {
      logger.warn(`jobs: ${job.name}: cannot renew the lease (${messageOf(renewError)})`);
    }
  };
  const renewal = setInterval(() => void renew(), leaseMs / 3);
  const grace = graceAfter(options.shutdown, options.abandonAfterMs);
  const work = job.run({ signal, counts }).catch((runError: unknown) => {
    error = messageOf(runError);
  });
  try {
    await Promise.race([work, grace.elapsed]);
  } finally {
    done = true;
    clearInterval(renewal);
    grace.cancel();
  }

  const durationMs = performance.now() - started;
  const summary: JobSummary = {
    counts: { ...counts },
    ...(signal.aborted ? { interrupted: String(signal.reason) } : {}),
    ...(error === undefined ? {} : { error }),
  };
  const recorded = await leases.finish({
    name: job.name,
    holder,
    now: now(),
    durationMs,
    summary,
  });
  const seconds = (durationMs / 1000).toFixed(1);
  const outcome = `${describeCounts(summary.counts)} in ${seconds} s`;
  if (!recorded) {
    logger.warn(`jobs: ${job.name}: lease lost; this run (${outcome}) was not recorded`);
  } else if (error !== undefined) {
    logger.warn(`jobs: ${job.name} failed after ${outcome}: ${error}`);
  } else {
    const cut = summary.interrupted ? ` (interrupted: ${summary.interrupted})` : '';
    logger.info(`jobs: ${job.name}: ${outcome}${cut}`);
  }
  return true;
}
