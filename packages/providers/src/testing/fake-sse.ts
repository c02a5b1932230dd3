import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** How the fake frames and writes its event streams. */
export interface StreamFraming {
  lineEnding: '\n' | '\r\n';
  /**
   * Write each event in slices of this many bytes, one write per slice, so that readers
   * get events, line endings and UTF-8 characters cut across chunks.
   */
  splitEvery?: number;
  /** Send a `: keep-alive` comment before every event, as some relays do. */
  keepAliveComments?: boolean;
}

export interface SseWriteOptions {
  framing: StreamFraming;
  /** Pause between events: a slow stream. */
  eventDelayMs: number;
  /** Destroy the connection once this many events are out, instead of finishing. */
  dropAfterEvents?: number;
  /** Ends pauses when the server closes. */
  signal: AbortSignal;
  /** Breaks the connection: the fake's own doing, not a client abort. */
  drop: () => void;
}

/** An event with a name line (`event: message_start`), as Anthropic streams them. */
export class NamedEvent {
  constructor(
    readonly name: string,
    readonly data: object,
  ) {}
}

/**
 * Writes `data:` events (objects as JSON, strings such as `[DONE]` as they are, named events
 * with their `event:` line) the way the providers stream them, and says how the stream ended.
 */
export async function writeSse(
  res: ServerResponse,
  events: (object | string | NamedEvent)[],
  options: SseWriteOptions,
): Promise<'finished' | 'dropped' | 'closed'> {
  const { framing, eventDelayMs, dropAfterEvents, signal, drop } = options;
  const eol = framing.lineEnding;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  for (let index = 0; index <= events.length; index += 1) {
    if (index === dropAfterEvents) {
      drop();
      return 'dropped';
    }
    const event = events[index];
    if (event === undefined) break;
    if (index > 0 && eventDelayMs > 0) await sleep(eventDelayMs, undefined, { signal });
    const comment = framing.keepAliveComments ? `: keep-alive${eol}${eol}` : '';
    const bytes = Buffer.from(`${comment}${eventText(event, eol)}${eol}`);
    const step = Math.max(1, framing.splitEvery ?? bytes.length);
    for (let at = 0; at < bytes.length; at += step) {
      if (res.destroyed) return 'closed';
      await write(res, bytes.subarray(at, at + step));
      // Let the event loop poll between slices, or a reader in this process gets them as one.
      if (framing.splitEvery) await nextTurn();
    }
  }
  res.end();
  return 'finished';
}

function eventText(event: object | string | NamedEvent, eol: string): string {
  if (event instanceof NamedEvent) {
    return `event: ${event.name}${eol}data: ${JSON.stringify(event.data)}${eol}`;
  }
  return `data: ${typeof event === 'string' ? event : JSON.stringify(event)}${eol}`;
}

/** Resolves once the bytes are handed to the socket, or the connection is gone. */
export function write(res: ServerResponse, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(bytes, done);
  });
}
