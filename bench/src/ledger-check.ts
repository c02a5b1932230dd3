import { LogType, openDatabase, readStorageConfig } from '@chat-api/db';
import { quietLogger, type BenchDatabase } from './bench-database.js';

export interface LedgerCheck {
  ok: boolean;
  /** 2xx responses the proxy sent to the bench's clients. */
  proxy2xx: number;
  /** Requests cut off at the end of timed runs: each may or may not have been billed. */
  cutOffAllowance: number;
  consumeLogs: number;
  errorLogs: number;
  logQuota: number;
  tokenUsedQuota: number;
  userUsedQuota: number;
  problems: string[];
}

/**
 * DESIGN §6 after the run, once the proxy has exited (its billing writes flushed): one consume
 * log per successful request, and the logs' quota adds up to what the key and its owner used.
 */
export async function checkLedger(
  bench: BenchDatabase,
  served: { proxy2xx: number; cutOffAllowance: number },
): Promise<LedgerCheck> {
  const db = await openDatabase({
    ...readStorageConfig({ SQLITE_PATH: bench.sqlitePath }),
    logger: quietLogger,
  });
  try {
    const consume = await db.repos.logs.stats({ type: LogType.consume, userId: bench.userId });
    const errors = await db.repos.logs.stats({ type: LogType.error, userId: bench.userId });
    const token = await db.repos.tokens.get(bench.tokenId);
    const user = await db.repos.users.findById(bench.userId);
    const tokenUsedQuota = token?.usedQuota ?? Number.NaN;
    const userUsedQuota = user?.usedQuota ?? Number.NaN;
    const problems: string[] = [];
    const extra = consume.requests - served.proxy2xx;
    if (extra < 0 || extra > served.cutOffAllowance) {
      const allowance = served.cutOffAllowance
        ? ` (+ up to ${served.cutOffAllowance} cut off)`
        : '';
      problems.push(
        `${consume.requests} consume logs for ${served.proxy2xx} 2xx responses${allowance}`,
      );
    }
    if (consume.quota !== tokenUsedQuota) {
      problems.push(`Σ log quota ${consume.quota} ≠ token used quota ${tokenUsedQuota}`);
    }
    if (consume.quota !== userUsedQuota) {
      problems.push(`Σ log quota ${consume.quota} ≠ user used quota ${userUsedQuota}`);
    }
    if (consume.quota <= 0) problems.push('nothing was billed (Σ log quota is 0)');
    return {
      ok: problems.length === 0,
      ...served,
      consumeLogs: consume.requests,
      errorLogs: errors.requests,
      logQuota: consume.quota,
      tokenUsedQuota,
      userUsedQuota,
      problems,
    };
  } finally {
    await db.close();
  }
}
