import { dueAtMs, type JobLeaseState, type JobLeasesRepository } from '@chat-api/db';
import { BALANCE_COUNTS, BALANCE_JOB } from './balance-job.js';
import { CHANNEL_TEST_COUNTS, CHANNEL_TEST_JOB } from './channel-test-job.js';

/** A job as the console shows it. Times in unix seconds (0 = never). */
export interface JobStatus<Count extends string> {
  /** How often the masters run it; 0 = not scheduled. */
  intervalSeconds: number;
  running: boolean;
  /** The current run's start while running, else the last run's. */
  lastStarted: number;
  lastFinished: number;
  /** How long the last finished run took. */
  durationMs: number;
  /** What the last finished run did; null before the first. */
  counts: Record<Count, number> | null;
  /** Why the last run stopped early ('shutdown', 'lease lost'), if it did. */
  interrupted: string | null;
  /** What made the last run fail, if anything did. */
  error: string | null;
  /** When the next run starts at the earliest (now when overdue); null when not scheduled or running. */
  nextDue: number | null;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

function jobStatus<Count extends string>(
  state: JobLeaseState | undefined,
  countNames: readonly Count[],
  now: number,
): JobStatus<Count> {
  if (!state) {
    return {
      intervalSeconds: 0,
      running: false,
      lastStarted: 0,
      lastFinished: 0,
      durationMs: 0,
      counts: null,
      interrupted: null,
      error: null,
      nextDue: null,
    };
  }
  const summary = state.lastSummary;
  const running = state.holder !== '' && state.leaseExpiresMs >= now;
  const scheduled = state.intervalSeconds > 0;
  return {
    intervalSeconds: state.intervalSeconds,
    running,
    lastStarted: seconds(state.lastStartedMs),
    lastFinished: seconds(state.lastFinishedMs),
    durationMs: state.lastDurationMs,
    counts: summary
      ? (Object.fromEntries(
          countNames.map((name) => [name, Number(summary.counts[name] ?? 0)]),
        ) as Record<Count, number>)
      : null,
    interrupted: summary?.interrupted ?? null,
    error: summary?.error ?? null,
    nextDue:
      scheduled && !running ? seconds(Math.max(dueAtMs(state, state.intervalSeconds), now)) : null,
  };
}

/** The channel jobs' last runs and next ones, for the channels page. */
export async function channelJobsStatus(leases: JobLeasesRepository, now = Date.now()) {
  const states = new Map((await leases.list()).map((state) => [state.name, state]));
  return {
    test: jobStatus(states.get(CHANNEL_TEST_JOB), CHANNEL_TEST_COUNTS, now),
    balance: jobStatus(states.get(BALANCE_JOB), BALANCE_COUNTS, now),
  };
}
