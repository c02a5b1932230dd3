import type { FastifyRequest } from 'fastify';
import { callerOf } from './authenticate-first.js';
import { assertAllowed } from './caller.js';
import { countedUsage } from './counted-usage.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { readClientRequest } from './request-body.js';

/**
 * The token-count endpoints of the Claude and Gemini formats: the prompt's tokens as the
 * gateway's tokenizer counts them (an estimate for the vendor's own tokenizer), answered at
 * once, free and without an upstream. Claude Code and Gemini CLI ask before long requests.
 */
function promptTokens(
  request: FastifyRequest,
  body: unknown,
  endpoint: Endpoint,
  pathModel?: string,
): number {
  const caller = callerOf(request);
  const client = readClientRequest(body, endpoint, request.headers, pathModel);
  assertAllowed(caller, request, client.model);
  return countedUsage(client, '').promptTokens;
}

/** `POST /v1/messages/count_tokens`. */
export function countClaudeTokens(request: FastifyRequest): { input_tokens: number } {
  // A count asks without max_tokens, which a Messages request must have: any will do.
  const body = withFields(request.body, (json) => ({ ...json, max_tokens: 1 }));
  return { input_tokens: promptTokens(request, body, ENDPOINTS.messages) };
}

/** `POST /v1beta/models/{model}:countTokens`: `contents`, or a whole `generateContentRequest`. */
export function countGeminiTokens(request: FastifyRequest, model: string): { totalTokens: number } {
  const body = withFields(request.body, (json) => {
    const whole = json.generateContentRequest;
    return typeof whole === 'object' && whole !== null && !Array.isArray(whole)
      ? (whole as Record<string, unknown>)
      : json;
  });
  return { totalTokens: promptTokens(request, body, ENDPOINTS.geminiGenerate, model) };
}

/** The body with `change` applied when it is a JSON object; else as it came, refused later. */
function withFields(
  body: unknown,
  change: (json: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  if (!Buffer.isBuffer(body)) return body;
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return body;
    return Buffer.from(JSON.stringify(change(json as Record<string, unknown>)));
  } catch {
    return body; // read again, and refused with the parser's message
  }
}
