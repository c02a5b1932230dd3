import { describe, expect, it } from 'vitest';
import { bedrockClientError } from './bedrock-error.js';

const channel = {
  type: 'aws-bedrock',
  key: 'AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  baseUrl: 'https://vpce-0123.bedrock-runtime.us-east-1.vpce.amazonaws.com',
  config: { region: 'us-east-1' },
};

const mapped = (status: number, message: string) => {
  const failure = bedrockClientError(channel, status, JSON.stringify({ message }));
  const { error } = JSON.parse(failure.body) as {
    error: { message: string; type: string; code: string | null; param: null };
  };
  return { status: failure.status, ...error };
};

describe('bedrockClientError', () => {
  it.each([
    'The security token included in the request is invalid.',
    'The security token included in the request is expired',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  ])('makes refused credentials a 401 invalid_api_key (the channel is disabled): %s', (message) => {
    expect(mapped(403, message)).toMatchObject({ status: 401, code: 'invalid_api_key', message });
  });

  it('keeps a model whose access is not granted a 403 without an account code', () => {
    const message = "You don't have access to the model with the specified model ID.";
    expect(mapped(403, message)).toMatchObject({ status: 403, code: 'model_access_denied' });
  });

  it.each([
    [400, 'Malformed input request: #: required key [messages] not found', 400, null],
    [404, 'The provided model identifier is invalid.', 404, 'model_not_found'],
    [
      404,
      'Model use case details have not been submitted for this account. Fill out the Anthropic use case details form before using the model.',
      403,
      'model_access_denied',
    ],
    [
      400,
      'Your request exceeds the service quota for your account. You can view your quotas at Viewing service quotas.',
      429,
      'rate_limit_exceeded',
    ],
    [429, 'Too many requests, please wait before trying again.', 429, 'rate_limit_exceeded'],
    [424, 'Received an error from the model.', 502, 'model_error'],
    [408, 'Model has timed out in processing the request.', 504, 'model_timeout'],
    [500, 'An internal server error occurred. Retry your request.', 500, null],
    [503, 'Bedrock is unable to process your request.', 503, null],
  ])('maps %i to %i', (status, message, clientStatus, code) => {
    expect(mapped(status, message)).toMatchObject({
      status: clientStatus,
      code,
      message,
      param: null,
    });
  });

  it('keeps a validation error that only quotes the quota wording a 400 for the client', () => {
    const message =
      "messages.0.content.0.type: Input tag 'Your request exceeds the service quota' found using 'type' does not match any of the expected tags";
    expect(mapped(400, message)).toMatchObject({ status: 400, code: null });
  });

  it('keeps the key and the address out of the message', () => {
    const failure = bedrockClientError(
      channel,
      400,
      JSON.stringify({
        message: `Bad request to ${channel.baseUrl} with wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
      }),
    );
    expect(failure.body).not.toContain('vpce-0123');
    expect(failure.body).not.toContain('K7MDENG');
    expect(failure.body).toContain('(upstream)');
  });

  it('answers a body that is not JSON with a short piece of its text', () => {
    const failure = bedrockClientError(channel, 502, '<html>Bad Gateway</html>');
    expect(failure.status).toBe(502);
    expect(JSON.parse(failure.body).error.message).toBe('<html>Bad Gateway</html>');
  });
});
