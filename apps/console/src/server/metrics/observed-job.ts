import type { ScheduledJob } from '../jobs/job.js';
import type { ConsoleMetrics } from './console-metrics.js';

/** The job, its runs reported to /metrics (only runs this node won the lease for). */
export function observedJob<Count extends string>(
  job: ScheduledJob<Count>,
  metrics: ConsoleMetrics | undefined,
): ScheduledJob<Count> {
  if (!metrics) return job;
  return {
    ...job,
    async run(run) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        await job.run(run);
      } catch (error) {
        metrics.jobRan(job.name, 'failed', seconds());
        throw error;
      }
      metrics.jobRan(job.name, run.signal.aborted ? 'interrupted' : 'ok', seconds());
    },
  };
}
