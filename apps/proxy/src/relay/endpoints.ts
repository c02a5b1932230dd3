import type { NativeFormat } from '@chat-api/providers';

/** How each /v1 endpoint is relayed and billed. */
export interface Endpoint {
  /** The path clients call; for OpenAI's format also the path sent upstream. */
  path: string;
  /**
   * The client's format when it is not OpenAI's: its body is converted to the hub's OpenAI chat
   * request (or passed through to an upstream that speaks it) and its answers and errors are
   * written in its own shape.
   */
  format?: NativeFormat;
  body: 'json' | 'multipart';
  /** Honours `stream: true` with an OpenAI SSE stream (usage requested upstream). */
  streams: boolean;
  /** What the bill counts: tokens from usage, images × ModelPrice, input characters, or a call. */
  billing: 'tokens' | 'images' | 'characters' | 'call';
}

export const ENDPOINTS = {
  chatCompletions: { path: '/v1/chat/completions', body: 'json', streams: true, billing: 'tokens' },
  messages: {
    path: '/v1/messages',
    format: 'claude',
    body: 'json',
    streams: true,
    billing: 'tokens',
  },
  completions: { path: '/v1/completions', body: 'json', streams: true, billing: 'tokens' },
  embeddings: { path: '/v1/embeddings', body: 'json', streams: false, billing: 'tokens' },
  moderations: { path: '/v1/moderations', body: 'json', streams: false, billing: 'tokens' },
  images: { path: '/v1/images/generations', body: 'json', streams: false, billing: 'images' },
  speech: { path: '/v1/audio/speech', body: 'json', streams: false, billing: 'characters' },
  transcriptions: {
    path: '/v1/audio/transcriptions',
    body: 'multipart',
    streams: false,
    billing: 'call',
  },
  translations: {
    path: '/v1/audio/translations',
    body: 'multipart',
    streams: false,
    billing: 'call',
  },
} as const satisfies Record<string, Endpoint>;
