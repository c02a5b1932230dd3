import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Database } from '@chat-api/db';
import { identifyCaller, type Caller } from './caller.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls a relay route: found before its body is read. */
    caller: Caller | null;
  }
}

/**
 * The relay routes' onRequest hook: finds the API key's caller before Fastify reads the body, so
 * an anonymous client cannot make the proxy take in (up to MAX_REQUEST_BODY_MB of) a body only
 * to refuse it. A refusal closes the connection rather than draining the unread body.
 */
export function authenticateFirst(db: Database): onRequestHookHandler {
  return (request, reply, done) => {
    identifyCaller(db, request).then(
      (caller) => {
        request.caller = caller;
        done();
      },
      (error: Error) => {
        reply.header('connection', 'close');
        done(error);
      },
    );
  };
}

/** The caller authenticateFirst found for this request. */
export function callerOf(request: FastifyRequest): Caller {
  const caller = request.caller;
  if (!caller) throw new Error('a relay route was reached without authenticateFirst');
  return caller;
}
