import { openAIError, type OpenAIErrorBody } from '../errors.js';

/** The client's own request is malformed: 400, never retried. */
export class RelayBadRequest extends Error {
  readonly statusCode = 400;

  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }

  toBody(): OpenAIErrorBody {
    return openAIError(this.message, 'invalid_request_error', this.code);
  }
}
