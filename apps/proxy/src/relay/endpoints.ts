import type { NativeFormat } from '@chat-api/providers';
import { checkRerankRequest } from './rerank-request.js';

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
  /**
   * Honours `stream: true` with an OpenAI SSE stream (usage requested upstream); for Gemini,
   * whose path says whether to stream, the path's method streams.
   */
  streams: boolean;
  /** What the bill counts: tokens from usage, images × ModelPrice, input characters, or a call. */
  billing: 'tokens' | 'images' | 'characters' | 'call';
  /** Checks of the endpoint's own fields, before any hold: a 400 naming the field. */
  checkBody?: (body: Readonly<Record<string, unknown>>) => void;
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
  responses: {
    path: '/v1/responses',
    format: 'responses',
    body: 'json',
    streams: true,
    billing: 'tokens',
  },
  // Gemini names the model and the method in the path: /v1beta/models/{model}:{method}.
  geminiGenerate: {
    path: '/v1beta/models/{model}:generateContent',
    format: 'gemini',
    body: 'json',
    streams: false,
    billing: 'tokens',
  },
  geminiStream: {
    path: '/v1beta/models/{model}:streamGenerateContent',
    format: 'gemini',
    body: 'json',
    streams: true,
    billing: 'tokens',
  },
  completions: { path: '/v1/completions', body: 'json', streams: true, billing: 'tokens' },
  embeddings: { path: '/v1/embeddings', body: 'json', streams: false, billing: 'tokens' },
  moderations: { path: '/v1/moderations', body: 'json', streams: false, billing: 'tokens' },
  images: { path: '/v1/images/generations', body: 'json', streams: false, billing: 'images' },
  imageEdits: { path: '/v1/images/edits', body: 'multipart', streams: false, billing: 'images' },
  // Cohere's and Jina's rerank, as vLLM, SiliconFlow and Xinference serve it.
  rerank: {
    path: '/v1/rerank',
    body: 'json',
    streams: false,
    billing: 'tokens',
    checkBody: checkRerankRequest,
  },
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
