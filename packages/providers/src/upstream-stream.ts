import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import { upstreamAgent } from './http.js';

export interface UpstreamStreamCall {
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  /** Time allowed for the upstream's response headers; 0 = none. */
  timeoutMs: number;
  /** Time allowed between two body chunks (a stalled stream); 0 = none. */
  idleTimeoutMs: number;
}

/** The upstream's answer once its headers arrived. Its body is read once: whole, or forwarded. */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  /**
   * Hands each chunk to `sink` as it arrives; a sink that returns false pauses the upstream
   * until `resume()`. Settles when the body ends, or rejects (UpstreamUnreachable) when it
   * breaks off.
   */
  forward(sink: (chunk: Buffer) => boolean): Promise<void>;
  resume(): void;
  /**
   * Settles once the body's first chunk arrived (or the body ended empty); rejects
   * (UpstreamUnreachable) when it broke off before: a stream that failed before any byte could
   * reach the client is still the channel's failure, for another channel to answer.
   */
  bodyStarted(): Promise<void>;
}

/** A call in flight: its answer, and a way to cut it (the client hung up). */
export interface UpstreamCallHandle {
  response: Promise<UpstreamResponse>;
  abort(): void;
}

/** A failure to get any answer from the upstream: never reached, too slow, or cut off. */
export class UpstreamUnreachable extends Error {
  constructor(
    readonly reason: 'connect' | 'timeout' | 'aborted',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The relay's call: POSTs through the shared keep-alive pool. It speaks undici's dispatch
 * interface directly: no body stream, async iterator or AbortSignal per request, as these
 * cost more than the gateway's own work on a small answer.
 */
export function requestUpstream(call: UpstreamStreamCall): UpstreamCallHandle {
  const handler = new UpstreamCall();
  const { origin, path } = originAndPath(call.url);
  upstreamAgent.dispatch(
    {
      origin,
      path,
      method: 'POST',
      headers: call.headers,
      body: call.body,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.idleTimeoutMs,
    },
    handler,
  );
  return { response: handler.response, abort: () => handler.abort() };
}

/** Splits an absolute URL without parsing it whole: undici's own parse costs every request. */
function originAndPath(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1
    ? { origin: url, path: '/' }
    : { origin: url.slice(0, slash), path: url.slice(slash) };
}

type Sink = (chunk: Buffer) => boolean;

const CLIENT_LEFT = 'the client closed the connection';

/** One upstream exchange as undici reports it; once its headers arrive, it is the response. */
class UpstreamCall implements Dispatcher.DispatchHandler, UpstreamResponse {
  readonly response: Promise<UpstreamResponse>;
  /** 0 until the headers arrive. */
  status = 0;
  headers: IncomingHttpHeaders = {};
  private answer!: { resolve(response: UpstreamResponse): void; reject(error: Error): void };
  private controller: Dispatcher.DispatchController | undefined;
  private aborted = false;
  /** Chunks that arrived before a reader attached. */
  private early: Buffer[] = [];
  private sink: Sink | undefined;
  private ended = false;
  private failure: UpstreamUnreachable | undefined;
  private reader: { resolve(): void; reject(error: Error): void } | undefined;
  private starting: { resolve(): void; reject(error: Error): void } | undefined;

  constructor() {
    this.response = new Promise((resolve, reject) => {
      this.answer = { resolve, reject };
    });
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort(new Error(CLIENT_LEFT));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(new Error(CLIENT_LEFT));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.status = status;
    this.headers = headers;
    this.answer.resolve(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.sink) {
      this.early.push(chunk);
      this.starting?.resolve();
      return;
    }
    if (!this.sink(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.starting?.resolve();
    this.reader?.resolve();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    const failure = toUnreachable(error, this.aborted);
    if (this.status === 0) {
      this.answer.reject(failure);
      return;
    }
    this.failure = failure;
    this.starting?.reject(failure);
    this.reader?.reject(failure);
  }

  forward(sink: Sink): Promise<void> {
    if (this.sink) throw new Error('the upstream body is read once');
    this.sink = sink;
    let more = true;
    for (const chunk of this.early) more = sink(chunk) && more;
    this.early = [];
    if (!more) this.controller?.pause();
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject };
    });
  }

  resume(): void {
    this.controller?.resume();
  }

  bodyStarted(): Promise<void> {
    if (this.early.length > 0 || this.ended) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.starting = { resolve, reject };
    });
  }

  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.forward((chunk) => {
      chunks.push(chunk);
      return true;
    });
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }
}

function toUnreachable(error: unknown, aborted: boolean): UpstreamUnreachable {
  if (aborted) return new UpstreamUnreachable('aborted', CLIENT_LEFT);
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    return new UpstreamUnreachable('timeout', 'the upstream did not answer in time');
  }
  if (error instanceof errors.ConnectTimeoutError) {
    return new UpstreamUnreachable('timeout', 'connecting to the upstream timed out');
  }
  const code =
    (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  return new UpstreamUnreachable('connect', `cannot reach the upstream${code ? ` (${code})` : ''}`);
}
