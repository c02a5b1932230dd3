import { describe, expect, it } from 'vitest';
import { sseErrorEvent } from './error-event.js';

describe('sseErrorEvent', () => {
  it('is a plain data event holding an OpenAI error, as the SDKs expect', () => {
    const event = sseErrorEvent({
      message: 'The upstream stream was interrupted: "socket hang up".',
      type: 'upstream_error',
      code: 'stream_interrupted',
    });
    expect(event.toString()).toBe(
      'data: {"error":{"message":"The upstream stream was interrupted: \\"socket hang up\\".",' +
        '"type":"upstream_error","param":null,"code":"stream_interrupted"}}\n\n',
    );
  });
});
