import { Counter, Gauge, Registry } from 'prom-client';

/** How a master's job run ended. */
export type JobOutcome = 'ok' | 'failed' | 'interrupted';

/**
 * The console's series (README "Metrics"), one registry per app so that several consoles in one
 * process (tests) count apart: tRPC calls by procedure and outcome, and the master's job runs.
 */
export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'procedure' | 'type' | 'code'>;
  private readonly runs: Counter<'job' | 'outcome'>;
  private readonly lastSuccess: Gauge<'job'>;
  private readonly lastDuration: Gauge<'job'>;

  constructor() {
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'chat_api_console_trpc_calls_total',
      help: 'Console API (tRPC) calls by procedure, query or mutation, and outcome: OK or the tRPC error code.',
      labelNames: ['procedure', 'type', 'code'],
      registers,
    });
    this.runs = new Counter({
      name: 'chat_api_job_runs_total',
      help: "Runs of the master's periodic jobs on this node, by job and outcome (ok, failed, interrupted).",
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'chat_api_job_last_success_timestamp_seconds',
      help: 'When a run of the job last ended well on this node (unix seconds).',
      labelNames: ['job'],
      registers,
    });
    this.lastDuration = new Gauge({
      name: 'chat_api_job_last_duration_seconds',
      help: 'How long the last run of the job on this node took.',
      labelNames: ['job'],
      registers,
    });
  }

  /** A procedure that exists was called (unknown paths never reach one: no label per typo). */
  procedureCalled(procedure: string, type: string, code: string): void {
    this.calls.inc({ procedure, type, code });
  }

  jobRan(job: string, outcome: JobOutcome, durationSeconds: number): void {
    this.runs.inc({ job, outcome });
    this.lastDuration.set({ job }, durationSeconds);
    if (outcome === 'ok') this.lastSuccess.set({ job }, Date.now() / 1000);
  }
}
