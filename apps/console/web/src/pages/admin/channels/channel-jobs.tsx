import { createResource, Show } from 'solid-js';
import { formatDuration } from '../../../lib/format.ts';
import { api } from '../../../lib/trpc.ts';
import type { ChannelJobs } from '../components/api-types.ts';
import { formatWhen } from '../components/format.ts';
import { channelText } from './messages.ts';

type Job = ChannelJobs['test'] | ChannelJobs['balance'];

/** One job in a line: how often, its last run and what it did, and the next run. */
function describe(job: Job, title: string, variable: string, counts: string): string {
  const t = channelText();
  if (job.intervalSeconds === 0) return t.jobOff(title, variable);
  const parts = [t.jobEvery(title, formatDuration(job.intervalSeconds))];
  if (job.running) parts.push(t.jobRunning(formatWhen(job.lastStarted)));
  if (job.lastFinished > 0) {
    const seconds = (job.durationMs / 1000).toFixed(1);
    const outcome = job.error
      ? t.jobFailed(job.error)
      : job.interrupted
        ? t.jobInterrupted(counts)
        : counts;
    parts.push(t.jobLastRun(formatWhen(job.lastFinished), seconds, outcome));
  } else if (!job.running) {
    parts.push(t.jobNever);
  }
  if (job.nextDue !== null) parts.push(t.jobNext(formatWhen(job.nextDue)));
  return parts.join(' · ');
}

/** The master's scheduled tests and balance updates, above the channel table. */
export function ChannelJobsStatus() {
  const t = channelText;
  // Only informative: the page works the same when it cannot be read.
  const [jobs] = createResource(() => api.channel.jobs.query().catch(() => undefined));
  const testLine = ({ test }: ChannelJobs) =>
    describe(
      test,
      t().jobTest,
      'CHANNEL_TEST_FREQUENCY',
      test.counts ? t().testCounts(test.counts) : '',
    );
  const balanceLine = ({ balance }: ChannelJobs) =>
    describe(
      balance,
      t().jobBalance,
      'CHANNEL_UPDATE_FREQUENCY',
      balance.counts ? t().balanceCounts(balance.counts) : '',
    );
  return (
    <Show when={jobs.latest}>
      {(status) => (
        <section data-testid="channel-jobs" aria-label={t().jobsLabel}>
          <p class="hint" data-testid="channel-job-test">
            {testLine(status())}
          </p>
          <p class="hint" data-testid="channel-job-balance">
            {balanceLine(status())}
          </p>
        </section>
      )}
    </Show>
  );
}
