import { setTimeout as sleep } from 'node:timers/promises';

/** One run of a job: it tallies what it did in `counts` as it goes. */
export interface JobRun<Count extends string> {
  /**
   * Aborted when the node shuts down or the lease was lost: the run then returns at its next
   * step and writes nothing more (another node may be running the job by now).
   */
  signal: AbortSignal;
  counts: Record<Count, number>;
}

/** A periodic job of the master nodes (NODE_TYPE=master), run under a lease (job-leases.ts). */
export interface ScheduledJob<Count extends string = string> {
  /** The lease's name, shared by every master. */
  name: string;
  /** Rest between the end of one run and the start of the next (One API's); 0 = off. */
  intervalSeconds: number;
  /** The tallies a run keeps, all starting at 0. */
  countNames: readonly Count[];
  run(run: JobRun<Count>): Promise<void>;
}

/** The pause between two channels (POLLING_INTERVAL); false when the run was stopped in it. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
