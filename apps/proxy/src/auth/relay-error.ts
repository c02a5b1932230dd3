/**
 * The refusals the relay answers itself (DESIGN §5), in one table: HTTP status, OpenAI error
 * type and message. Messages may name the model, IP or group, never the API key.
 */
import { openAIError, type OpenAIErrorBody } from '../errors.js';

interface Refusal {
  statusCode: number;
  type: string;
  message: (details: never) => string;
}

const REFUSALS = {
  invalid_api_key: {
    statusCode: 401,
    type: 'invalid_request_error',
    message: () => 'Incorrect API key provided. Check the key, or create a new one in the console.',
  },
  token_expired: {
    statusCode: 401,
    type: 'invalid_request_error',
    message: () => 'This API key has expired. Extend it or create a new one in the console.',
  },
  // OpenAI reports running out of quota with type insufficient_quota.
  token_exhausted: {
    statusCode: 401,
    type: 'insufficient_quota',
    message: () => 'This API key has used up its quota. Raise its quota in the console.',
  },
  token_disabled: {
    statusCode: 401,
    type: 'invalid_request_error',
    message: () => 'This API key is disabled. Enable it in the console.',
  },
  insufficient_user_quota: {
    statusCode: 403,
    type: 'insufficient_quota',
    message: () => 'The account that owns this API key has no quota left. Top it up to continue.',
  },
  user_disabled: {
    statusCode: 403,
    type: 'invalid_request_error',
    message: () => 'The account that owns this API key is disabled.',
  },
  ip_not_allowed: {
    statusCode: 403,
    type: 'invalid_request_error',
    message: ({ ip }: { ip: string }) =>
      `This API key may not be used from the IP address ${ip || '(unknown)'}.`,
  },
  model_not_allowed: {
    statusCode: 403,
    type: 'invalid_request_error',
    message: ({ model }: { model: string }) =>
      `This API key is not allowed to use the model \`${model}\`.`,
  },
  model_price_not_set: {
    statusCode: 403,
    type: 'invalid_request_error',
    message: ({ model }: { model: string }) =>
      `The model \`${model}\` has no price set, so it cannot be billed. Ask an administrator to set its price.`,
  },
  channel_pin_not_allowed: {
    statusCode: 403,
    type: 'invalid_request_error',
    message: () =>
      'Only administrators may choose a channel by adding -<channelId> to the API key.',
  },
  // Not a quota error: SDKs retry 429 after `retry-after`, as they should for these.
  rate_limit_exceeded: {
    statusCode: 429,
    type: 'rate_limit_error',
    message: ({ limit, retryAfter }: { limit: string; retryAfter: number }) =>
      `This API key has reached its limit of ${limit}. Try again in ${retryAfter} s.`,
  },
  // A request that reached a node after SIGTERM, on a connection kept alive from before.
  server_shutting_down: {
    statusCode: 503,
    type: 'server_error',
    message: () => 'This gateway node is shutting down; send the request again.',
  },
  bills_backlogged: {
    statusCode: 503,
    type: 'server_error',
    message: () => 'The gateway cannot write bills to its database right now; try again shortly.',
  },
  model_not_available: {
    statusCode: 503,
    type: 'server_error',
    message: ({ model, group }: { model: string; group: string }) =>
      `No channel is available for the model \`${model}\` in the group \`${group}\`.`,
  },
} as const satisfies Record<string, Refusal>;

export type RelayErrorCode = keyof typeof REFUSALS;

/** What the code's message names: nothing, or e.g. `{ model }`. */
type DetailsOf<C extends RelayErrorCode> = Parameters<(typeof REFUSALS)[C]['message']>;

/** A refusal with its status and OpenAI body; `statusCode` is what Fastify's handlers read. */
export class RelayError<C extends RelayErrorCode = RelayErrorCode> extends Error {
  override readonly name = 'RelayError';
  readonly statusCode: number;
  readonly type: string;
  /** Seconds a client should wait before trying again: the `retry-after` header. */
  retryAfterSeconds: number | undefined;

  constructor(
    readonly code: C,
    ...details: DetailsOf<C>
  ) {
    const refusal = REFUSALS[code];
    // TypeScript cannot tie `details` to this code's message; DetailsOf does it for callers.
    const message = (refusal.message as (...args: DetailsOf<C>) => string)(...details);
    super(message);
    this.statusCode = refusal.statusCode;
    this.type = refusal.type;
  }

  /** Answered with `retry-after: seconds` (a limit that lifts, a backlog that drains). */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }

  toBody(): OpenAIErrorBody {
    return openAIError(this.message, this.type, this.code);
  }
}
