import { ChannelStatus, type Database, type Logger } from '@chat-api/db';
import { testChannel } from '@chat-api/providers';
import { UPSTREAM_TIMEOUT_MS } from '../upstream-timeout.js';
import { pause, type ScheduledJob } from './job.js';

export const CHANNEL_TEST_JOB = 'channel-test';
export const CHANNEL_TEST_COUNTS = ['tested', 'passed', 'disabled', 'reenabled'] as const;
export type ChannelTestCount = (typeof CHANNEL_TEST_COUNTS)[number];

export interface ChannelTestJobOptions {
  db: Database;
  logger: Logger;
  intervalSeconds: number;
  /** POLLING_INTERVAL: the pause between two channels. */
  pollingIntervalSeconds: number;
}

/** The options a run follows, read once at its start. */
async function readSettings(db: Database) {
  const options = await db.repos.options.effective();
  return {
    autoDisable: options.AutomaticDisableChannelEnabled === 'true',
    autoEnable: options.AutomaticEnableChannelEnabled === 'true',
    /** ChannelDisableThreshold seconds; 0 = no limit. */
    slowestMs: Number(options.ChannelDisableThreshold) * 1000,
  };
}

/**
 * Tests every enabled and auto-disabled channel with its first model, as the console's Test
 * button does (manually disabled ones are left alone: their operator stopped them). A failing or
 * too slow test auto-disables an enabled channel (AutomaticDisableChannelEnabled); a passing one
 * re-enables an auto-disabled channel (AutomaticEnableChannelEnabled). Each change is
 * conditional on the status the channel was tested in, so an administrator's change meanwhile
 * wins, and reaches the proxies as any channel change does.
 */
export function channelTestJob(options: ChannelTestJobOptions): ScheduledJob<ChannelTestCount> {
  const { db, logger } = options;
  const channels = db.repos.channels;
  return {
    name: CHANNEL_TEST_JOB,
    intervalSeconds: options.intervalSeconds,
    countNames: CHANNEL_TEST_COUNTS,
    async run({ signal, counts }) {
      const settings = await readSettings(db);
      const ids = (await channels.list())
        .filter((channel) => channel.status !== ChannelStatus.manuallyDisabled)
        .map((channel) => channel.id);
      let pauseOwed = false;
      for (const id of ids) {
        if (pauseOwed && !(await pause(options.pollingIntervalSeconds * 1000, signal))) return;
        pauseOwed = false;
        if (signal.aborted) return;
        // Read now, not at the start: it may have been edited, disabled or deleted since.
        const channel = await channels.getWithKey(id);
        const model = channel?.models[0];
        if (!channel || !model || channel.status === ChannelStatus.manuallyDisabled) continue;
        const result = await testChannel({ channel, model, timeoutMs: UPSTREAM_TIMEOUT_MS });
        pauseOwed = true;
        if (signal.aborted) return;
        counts.tested += 1;
        await channels.recordTestTime(id, result.latencyMs);
        const tooSlow = settings.slowestMs > 0 && result.latencyMs > settings.slowestMs;
        const passed = result.ok && !tooSlow;
        if (passed) counts.passed += 1;
        const label = `channel #${id} (${channel.name})`;
        if (!passed && settings.autoDisable && channel.status === ChannelStatus.enabled) {
          const why = result.ok
            ? `answered in ${result.latencyMs} ms, over ChannelDisableThreshold`
            : (result.error ?? 'test failed');
          const changed = await channels.setStatus(id, ChannelStatus.autoDisabled, {
            onlyIf: ChannelStatus.enabled,
            cause: { reason: `scheduled test: ${why}`, automatic: true },
          });
          if (changed) {
            counts.disabled += 1;
            logger.warn(`jobs: ${label} auto-disabled: ${why}`);
          }
        }
        if (passed && settings.autoEnable && channel.status === ChannelStatus.autoDisabled) {
          const why = `its test passed in ${result.latencyMs} ms`;
          const changed = await channels.setStatus(id, ChannelStatus.enabled, {
            onlyIf: ChannelStatus.autoDisabled,
            cause: { reason: `scheduled test: ${why}`, automatic: true },
          });
          if (changed) {
            counts.reenabled += 1;
            logger.info(`jobs: ${label} re-enabled: ${why}`);
          }
        }
      }
    },
  };
}
