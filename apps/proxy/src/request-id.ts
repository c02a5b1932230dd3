import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): the millisecond clock first, then randomness. Request ids are indexed
 * in the logs table; ids that rise with time are appended to that index, where random ones
 * land all over it, which made writing a log several times dearer.
 */
export function newRequestId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, '0');
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep what follows the version digit.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}
