import type { Consumption } from '@chat-api/db';

/** Longest reason kept in a plain log row: a database's message can quote a whole value. */
const MAX_REASON = 500;

/** Printable ASCII: what any database, whatever its character set, stores. */
const plain = (text: string | undefined) => (text ?? '').replace(/[^\x20-\x7e]/g, '?');

/**
 * A bill the database refused, reduced to what cannot be refused: the same charge (quota is
 * money: the key, its owner and the channel still pay), and a log row of ids, plain names and
 * the reason, for an operator to find. Counts and durations are left out.
 */
export function plainBill(bill: Consumption, reason: string): Consumption {
  const { log } = bill;
  return {
    ...bill,
    log: {
      userId: log.userId,
      type: log.type,
      createdAt: log.createdAt,
      username: plain(log.username),
      tokenName: plain(log.tokenName),
      tokenId: log.tokenId,
      model: plain(log.model),
      channelId: log.channelId,
      quota: log.quota,
      isStream: log.isStream,
      requestId: plain(log.requestId),
      other: JSON.stringify({ refused: reason.slice(0, MAX_REASON) }),
    },
  };
}

/**
 * The bill for the error log: every field (a key's hash, never a key), with numbers JSON has
 * no word for (NaN, Infinity) spelled out.
 */
export function billJson(bill: Consumption): string {
  return JSON.stringify(bill, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}
