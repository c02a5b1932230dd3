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

// The same answer as Anthropic's Messages API gives it, for the mode that converts both ways.
const MESSAGE_ID = 'msg_bench';
const ANTHROPIC_USAGE = { input_tokens: USAGE.prompt_tokens, output_tokens: CHUNKS };

const MESSAGE_ANSWER = Buffer.from(
  JSON.stringify({
    id: MESSAGE_ID,
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: [{ type: 'text', text: WORDS.join('') }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: ANTHROPIC_USAGE,
  }),
);

const event = (name: string, data: object) =>
  Buffer.from(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);

/** message_start, a text block of ~20 deltas, message_delta with usage, message_stop. */
const MESSAGE_EVENTS: Buffer[] = [
  event('message_start', {
    message: {
      id: MESSAGE_ID,
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: USAGE.prompt_tokens, output_tokens: 1 },
    },
  }),
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  event('ping', {}),
  ...WORDS.map((text) =>
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  ),
  event('content_block_stop', { index: 0 }),
  event('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: CHUNKS },
  }),
  event('message_stop', {}),
];

function wantsStream(body: Buffer): boolean {
  try {
    return (JSON.parse(body.toString('utf8')) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

/** The fixed answers of one wire format: whole, and as the events of a stream. */
interface Answers {
  whole: Buffer;
  events: Buffer[];
}

const OPENAI: Answers = { whole: JSON_ANSWER, events: STREAM_EVENTS };
const ANTHROPIC: Answers = { whole: MESSAGE_ANSWER, events: MESSAGE_EVENTS };

/**
 * An upstream without logging or delays: POST /v1/chat/completions answers a fixed
 * chat.completion with usage, or the same answer as an event stream; POST /v1/messages the
 * same in Anthropic's format.
 */
export function createFastUpstream(): Server {
  return createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const answers =
        req.method !== 'POST'
          ? undefined
          : req.url?.startsWith('/v1/chat/completions')
            ? OPENAI
            : req.url?.startsWith('/v1/messages')
              ? ANTHROPIC
              : undefined;
      if (!answers) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      if (!wantsStream(Buffer.concat(parts))) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': answers.whole.length,
        });
        res.end(answers.whole);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of answers.events) res.write(event);
      res.end();
    });
  });
}
