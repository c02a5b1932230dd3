import { createServer, type Server } from 'node:http';

// A fixed answer, built once: the upstream must cost as little as possible so that the
// proxy and the baseline, not the fake, are what the load generator measures.
const MODEL = 'gpt-4o-mini';
const CREATED = 1_700_000_000;
const CHUNKS = 20;
const USAGE = { prompt_tokens: 9, completion_tokens: CHUNKS, total_tokens: 9 + CHUNKS };
const WORDS = Array.from({ length: CHUNKS }, (_, index) =>
  index === 0 ? 'Hello' : ` word${index}`,
);

const JSON_ANSWER = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: WORDS.join(''), refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: USAGE,
  }),
);

const chunk = (choices: object[], usage: object | null) =>
  Buffer.from(
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices, usage })}\n\n`,
  );

/** ~20 content chunks, the finish chunk, the usage chunk, then `[DONE]`, as OpenAI streams. */
const STREAM_EVENTS: Buffer[] = [
  ...WORDS.map((content, index) =>
    chunk([{ index: 0, delta: index === 0 ? { role: 'assistant', content } : { content } }], null),
  ),
  chunk([{ index: 0, delta: {}, finish_reason: 'stop' }], null),
  chunk([], USAGE),
  Buffer.from('data: [DONE]\n\n'),
];

function wantsStream(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

/**
 * An OpenAI-compatible upstream without logging or delays: POST /v1/chat/completions answers
 * a fixed chat.completion with usage, or the same answer as an event stream.
 */
export function createFastUpstream(): Server {
  return createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      if (!wantsStream(Buffer.concat(parts))) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': JSON_ANSWER.length,
        });
        res.end(JSON_ANSWER);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of STREAM_EVENTS) res.write(event);
      res.end();
    });
  });
}
