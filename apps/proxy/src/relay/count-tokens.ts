import type { FastifyRequest } from 'fastify';
import { callerOf } from './authenticate-first.js';
import { assertAllowed } from './caller.js';
import { countedUsage } from './counted-usage.js';
import { ENDPOINTS } from './endpoints.js';
import { readClientRequest } from './request-body.js';

/**
 * `POST /v1/messages/count_tokens`: the prompt's tokens as the gateway's tokenizer counts them
 * (an estimate for Claude's own tokenizer), answered at once, free and without an upstream.
 * Claude Code asks this before long requests.
 */
export function countClaudeTokens(request: FastifyRequest): { input_tokens: number } {
  const caller = callerOf(request);
  const client = readClientRequest(
    withMaxTokens(request.body),
    ENDPOINTS.messages,
    request.headers,
  );
  assertAllowed(caller, request, client.model);
  return { input_tokens: countedUsage(client, '').promptTokens };
}

/** A count asks without max_tokens, which a Messages request must have: any will do. */
function withMaxTokens(body: unknown): unknown {
  if (!Buffer.isBuffer(body)) return body;
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return body;
    return Buffer.from(JSON.stringify({ ...json, max_tokens: 1 }));
  } catch {
    return body; // read again, and refused with the parser's message
  }
}
