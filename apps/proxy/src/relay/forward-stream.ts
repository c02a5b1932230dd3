import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Usage } from '@chat-api/billing';
import type { StreamTap, UpstreamResponse } from '@chat-api/providers';
import type { InFlight } from './in-flight.js';

export interface StreamOutcome {
  /**
   * complete; client_abort: the client hung up; upstream_error: the upstream broke off;
   * shutdown: still running when the shutdown's limit passed.
   */
  end: 'complete' | 'client_abort' | 'upstream_error' | 'shutdown';
  usage: Usage | undefined;
  /** performance.now() when the first byte reached the client. */
  firstByteAt: number;
}

const SHUTDOWN_ERROR = {
  message: 'The gateway is shutting down; the answer was cut short.',
  type: 'server_error',
  code: 'server_shutting_down',
};

const NOTHING = Buffer.alloc(0);

/**
 * Forwards an upstream SSE stream chunk by chunk as it arrives, reading no faster than the client
 * takes it; a mid-stream upstream failure ends the client's stream with an error event.
 */
export async function forwardStream(options: {
  reply: FastifyReply;
  response: UpstreamResponse;
  requestId: string;
  /** The adapter's watcher: it may rewrite what the client sees and reads the usage. */
  tap: StreamTap;
  /** Where shutdown finds the stream to cut it. */
  inFlight: InFlight;
  /**
   * Told the tap's continuation id (a stored Response's) with the first bytes, before the client
   * can have read the whole answer and sent its follow-up.
   */
  onContinuation?: (id: string) => void;
}): Promise<StreamOutcome> {
  const { reply, response, tap } = options;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(response.status, {
    'content-type':
      tap.contentType ?? String(response.headers['content-type'] ?? 'text/event-stream'),
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': options.requestId,
  });
  let firstByteAt = 0;
  let cut = false;
  const forwarding = pipeToClient(res, response, (chunk) => {
    // Nothing reaches the client after a cut, so the tap (and the bill) sees nothing more.
    if (cut) return NOTHING;
    const bytes = tap.push(chunk);
    if (bytes.length > 0 && firstByteAt === 0) {
      firstByteAt = performance.now();
      const id = tap.continuationId;
      if (id !== undefined) options.onContinuation?.(id);
    }
    return bytes;
  });
  // The headers leave with the first chunk, in one write, when the upstream sent one with its
  // headers (the usual case); otherwise now, so that the client knows the stream started.
  if (firstByteAt === 0) res.flushHeaders();
  // The client reads why its answer stops, then the connection closes: the relay takes that as
  // the client leaving, cuts the upstream call and bills what was delivered.
  const untrack = options.inFlight.trackStream(() => {
    cut = true;
    if (res.destroyed || res.writableEnded) return;
    // Closed once the event is on its way: Node holds a chunk back until the next tick.
    res.write(tap.endWithError(SHUTDOWN_ERROR), () => res.destroy());
  });
  try {
    await forwarding;
    if (cut) return { end: 'shutdown', usage: tap.usage, firstByteAt };
    const last = tap.end();
    res.end(last.length > 0 ? last : undefined);
    return { end: 'complete', usage: tap.usage, firstByteAt };
  } catch {
    if (cut) return { end: 'shutdown', usage: tap.usage, firstByteAt };
    if (res.destroyed || res.writableEnded) {
      return { end: 'client_abort', usage: tap.usage, firstByteAt };
    }
    res.end(
      tap.endWithError({
        message: 'The upstream stream was interrupted before it finished.',
        type: 'upstream_error',
        code: 'stream_interrupted',
      }),
    );
    return { end: 'upstream_error', usage: tap.usage, firstByteAt };
  } finally {
    untrack();
  }
}

/**
 * Writes the upstream's body to the client chunk by chunk (through `rewrite`), pausing the
 * upstream while the client's socket is full. Settles when the upstream's body ends.
 */
export function pipeToClient(
  res: ServerResponse,
  response: UpstreamResponse,
  rewrite: (chunk: Buffer) => Buffer = (chunk) => chunk,
): Promise<void> {
  const resume = () => response.resume();
  res.on('drain', resume);
  // undici hands over each HTTP chunk on its own, though many arrive in one read: the chunks
  // of one read leave in one write instead of a system call each.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  return response
    .forward((chunk) => {
      const bytes = rewrite(chunk);
      // A client that left is noticed by the relay, which cuts the upstream call.
      if (bytes.length === 0 || res.destroyed) return true;
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(uncork);
      }
      return res.write(bytes);
    })
    .finally(() => res.off('drain', resume));
}
