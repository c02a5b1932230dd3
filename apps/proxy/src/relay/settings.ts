import { PriceBook } from '@chat-api/billing';
import { CacheKeys, type Database } from '@chat-api/db';

/** The options the relay acts on, compiled once per change of the options table. */
export interface RelaySettings {
  prices: PriceBook;
  /** Extra channels tried after the first fails (RetryTimes). */
  retryTimes: number;
  autoDisable: boolean;
  /** Lower-cased AutomaticDisableKeywords: an upstream error containing one disables the channel. */
  disableKeywords: string[];
  preConsumedQuota: number;
  /** QuotaRemindThreshold: owners crossing it get a system log. */
  quotaRemindThreshold: number;
  /** LogConsumeEnabled: answered requests are logged (they are billed either way). */
  logConsume: boolean;
}

export function loadRelaySettings(db: Database): Promise<RelaySettings> {
  return db.cache.getOrLoad(
    CacheKeys.options,
    async () => {
      const options = await db.repos.options.effective();
      return {
        prices: new PriceBook(options),
        retryTimes: Math.max(0, Number(options.RetryTimes) || 0),
        autoDisable: options.AutomaticDisableChannelEnabled === 'true',
        disableKeywords: options.AutomaticDisableKeywords.split('\n')
          .map((line) => line.trim().toLowerCase())
          .filter(Boolean),
        preConsumedQuota: quotaOption(options.PreConsumedQuota),
        quotaRemindThreshold: quotaOption(options.QuotaRemindThreshold),
        logConsume: options.LogConsumeEnabled !== 'false',
      };
    },
    { localOnly: true },
  );
}

/** An option that feeds quota arithmetic: a whole, non-negative number, else 0. */
function quotaOption(value: string): number {
  const number = Number(value);
  return Number.isSafeInteger(number) && number >= 0 ? number : 0;
}
