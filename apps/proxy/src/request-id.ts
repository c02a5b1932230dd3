import { randomUUID } from 'node:crypto';

/** The id's time part for the millisecond last asked for: requests of one millisecond share it. */
let lastMillisecond = -1;
let timePart = '';

/**
 * A UUIDv7 (RFC 9562): the millisecond clock first, then randomness. Request ids are indexed
 * in the logs table; ids that rise with time are appended to that index, where random ones
 * land all over it, which made writing a log several times dearer.
 */
export function newRequestId(now = Date.now()): string {
  if (now !== lastMillisecond) {
    const time = now.toString(16).padStart(12, '0');
    timePart = `${time.slice(0, 8)}-${time.slice(8)}-7`;
    lastMillisecond = now;
  }
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep what follows the version digit.
  return timePart + randomUUID().slice(15);
}
