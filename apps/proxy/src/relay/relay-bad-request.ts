import { openAIError, type OpenAIErrorBody } from '../errors.js';

/** The client's own request is malformed: 400, never retried. */
export class RelayBadRequest extends Error {
  readonly statusCode = 400;

  constructor(
    message: string,
    readonly code: string,
    /** The request field at fault, when one is. */
    readonly param: string | null = null,
  ) {
    super(message);
  }

  toBody(): OpenAIErrorBody {
    const body = openAIError(this.message, 'invalid_request_error', this.code);
    body.error.param = this.param;
    return body;
  }
}
