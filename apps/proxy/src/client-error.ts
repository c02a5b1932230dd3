import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { openAIError } from './errors.js';

/**
 * Answers what Node refuses before a request reaches Fastify, in the OpenAI error shape, then
 * closes the connection: 408 for a request (headers and body) slower than REQUEST_BODY_TIMEOUT,
 * 431 for oversized headers, 400 for anything unparsable.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] = refusalOf(error.code);
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}

function refusalOf(code: string | undefined): [number, ReturnType<typeof openAIError>] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        openAIError(
          'The request did not arrive in time (REQUEST_BODY_TIMEOUT).',
          'invalid_request_error',
          'request_timeout',
        ),
      ];
    case 'HPE_HEADER_OVERFLOW':
      return [
        431,
        openAIError(
          'The request headers are too large.',
          'invalid_request_error',
          'headers_too_large',
        ),
      ];
    default:
      return [400, openAIError('The request is not valid HTTP.', 'invalid_request_error')];
  }
}
