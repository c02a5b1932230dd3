import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Usage } from '@chat-api/billing';
import type { StreamTap, UpstreamResponse } from '@chat-api/providers';

export interface StreamOutcome {
  /** complete; client_abort: the client hung up; upstream_error: the upstream broke off. */
  end: 'complete' | 'client_abort' | 'upstream_error';
  usage: Usage | undefined;
  /** performance.now() when the first byte reached the client. */
  firstByteAt: number;
}

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
}): Promise<StreamOutcome> {
  const { reply, response, tap } = options;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(response.status, {
    'content-type': String(response.headers['content-type'] ?? 'text/event-stream'),
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': options.requestId,
  });
  res.flushHeaders();
  let firstByteAt = 0;
  const send = async (bytes: Buffer) => {
    if (bytes.length === 0 || res.destroyed) return;
    if (firstByteAt === 0) firstByteAt = performance.now();
    if (!res.write(bytes)) await drained(res);
  };
  try {
    for await (const chunk of response.body) await send(tap.push(chunk as Buffer));
    await send(tap.end());
    res.end();
    return { end: 'complete', usage: tap.usage, firstByteAt };
  } catch {
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
  }
}

/** Resolves when the client can take more bytes, or has gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
