import type { JsonObject } from '../json-values.js';

// Hand-written samples in the exact shapes Claude clients send and OpenAI upstreams answer.

/** A plain request: a system prompt in blocks with cache marks, sampling settings, a stream. */
export const plainRequest: JsonObject = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [
    { type: 'text', text: 'You are a terse assistant.' },
    {
      type: 'text',
      text: 'Answer in French.',
      cache_control: { type: 'ephemeral' },
    },
  ],
  messages: [{ role: 'user', content: 'Say hello.' }],
  temperature: 0.2,
  top_p: 0.9,
  top_k: 40,
  stop_sequences: ['\n\nHuman:', 'FIN'],
  metadata: { user_id: 'user-7f3a' },
  stream: true,
};

export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
export const PDF_BASE64 = 'JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK';

/** A user turn with images (inline and by URL) and documents (a PDF and plain text). */
export const mediaRequest: JsonObject = {
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  messages: [
    {
      role: 'user',
      content: [
        {
          type: 'image',
          source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 },
          cache_control: { type: 'ephemeral' },
        },
        {
          type: 'image',
          source: {
            type: 'url',
            url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
          },
        },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: PDF_BASE64 },
        },
        {
          type: 'document',
          source: { type: 'text', media_type: 'text/plain', data: 'The grass is green.' },
        },
        { type: 'text', text: 'What do these show?' },
      ],
    },
  ],
};

/** The weather tool, as the Anthropic SDK sends a client tool. */
export const weatherTool: JsonObject = {
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  input_schema: {
    type: 'object',
    properties: { location: { type: 'string', description: 'The city and state' } },
    required: ['location'],
  },
  cache_control: { type: 'ephemeral' },
};

/** A tool round trip: tool_use in the assistant's turn, its result in the user's next one. */
export const toolRoundTripRequest: JsonObject = {
  model: 'claude-sonnet-4-5',
  max_tokens: 2048,
  tools: [weatherTool, { type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  messages: [
    { role: 'user', content: 'What is the weather in Paris and in Lyon?' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Two cities: two calls.', signature: 'EqQBCgIYAhIM1gbcDa9' },
        { type: 'text', text: 'Let me check both cities.' },
        {
          type: 'tool_use',
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'get_weather',
          input: { location: 'Paris, France' },
        },
        {
          type: 'tool_use',
          id: 'toolu_01B7kZ3pQ8rT2vW5xY9aC4dE',
          name: 'get_weather',
          input: { location: 'Lyon, France' },
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01A09q90qw90lq917835lq9',
          content: [
            { type: 'text', text: '15 °C' },
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 },
            },
            { type: 'text', text: 'light rain' },
          ],
        },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01B7kZ3pQ8rT2vW5xY9aC4dE',
          content: 'Station offline',
          is_error: true,
        },
        { type: 'text', text: 'Answer in one line.', cache_control: { type: 'ephemeral' } },
      ],
    },
  ],
};

/** Extended thinking with a budget. */
export const thinkingRequest: JsonObject = {
  model: 'claude-sonnet-4-5',
  max_tokens: 16_000,
  thinking: { type: 'enabled', budget_tokens: 10_000 },
  messages: [{ role: 'user', content: 'What is the GCD of 1071 and 462?' }],
};

/** gpt-4o-mini's plain answer, with part of its prompt cached. */
export const textAnswer: JsonObject = {
  id: 'chatcmpl-C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
  object: 'chat.completion',
  created: 1754900000,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Bonjour !', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 2006,
    completion_tokens: 4,
    total_tokens: 2010,
    prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_560af6e559',
};

/** gpt-4o calling two tools at once, one with arguments that were cut short. */
export const toolCallsAnswer: JsonObject = {
  id: 'chatcmpl-C3wsT1nVb8Qm4kXr6ZpLh2Jd9WcYe',
  object: 'chat.completion',
  created: 1754900120,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_Qz8BvWmLk3TgR2xNpYc7Hs1D',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris, France"}' },
          },
          {
            id: 'call_Hn4KdP2sVx9LmQ7tRb3WcZ8e',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Ly' },
          },
        ],
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 85, completion_tokens: 42, total_tokens: 127 },
};

/** DeepSeek's reasoner: its reasoning beside the answer. */
export const reasoningAnswer: JsonObject = {
  id: '9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47',
  object: 'chat.completion',
  created: 1754900240,
  model: 'deepseek-reasoner',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'The GCD is 21.',
        reasoning_content: '1071 = 2 × 462 + 147; 462 = 3 × 147 + 21; 147 = 7 × 21.',
      },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 20,
    completion_tokens: 60,
    total_tokens: 80,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 45 },
  },
};

/** An answer cut off by max_tokens, its content given as parts. */
export const lengthAnswer: JsonObject = {
  id: 'chatcmpl-C3wuE6fHj2Kp8Lq1Mn5Rs7Tv0Wx',
  object: 'chat.completion',
  created: 1754900360,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: [{ type: 'text', text: 'Once upon a' }] },
      logprobs: null,
      finish_reason: 'length',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
};

const head = (id: string, model: string) =>
  `{"id":"${id}","object":"chat.completion.chunk","created":1754900000,"model":"${model}","service_tier":"default","system_fingerprint":"fp_560af6e559","choices":`;

const mini = head('chatcmpl-C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG', 'gpt-4o-mini-2024-07-18');

/** OpenAI's stream with include_usage: role chunk, text, finish chunk, usage chunk, [DONE]. */
export const textStream = [
  `data: ${mini}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":", wörld 👋"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":" !"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`,
  `data: ${mini}[],"usage":{"prompt_tokens":2006,"completion_tokens":5,"total_tokens":2011,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const gpt4o = head('chatcmpl-C3wsT1nVb8Qm4kXr6ZpLh2Jd9WcYe', 'gpt-4o-2024-08-06');

/** Text, then one tool call whose arguments come in fragments. */
export const toolStream = [
  `data: ${gpt4o}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"content":"Let me check."},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_Qz8BvWmLk3TgR2xNpYc7Hs1D","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"location"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\":\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"東京"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${gpt4o}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n`,
  `data: ${gpt4o}[],"usage":{"prompt_tokens":1180,"completion_tokens":15,"total_tokens":1195,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const parallel = head('chatcmpl-C3wvR8mNq3Lp5Kx7Jz2Hb4Gc6Fd', 'gpt-4o-2024-08-06');

/** Two tool calls in one answer, each opened by its own index. */
export const parallelToolStream = [
  `data: ${parallel}[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Pa1sX8vR3mK9tL2q","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\": \\"Pa"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_Ly2oN7wQ4jH8sD5e","type":"function","function":{"name":"get_time","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"timezone\\": "}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\\"Europe/Paris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n`,
  `data: ${parallel}[],"usage":{"prompt_tokens":96,"completion_tokens":40,"total_tokens":136,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const reasoner = (delta: string, finish = 'null', usage = '') =>
  `data: {"id":"9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47","object":"chat.completion.chunk","created":1754900240,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usage}}\n\n`;

/** DeepSeek's reasoner: reasoning deltas, then the answer; usage on the finish chunk. */
export const reasoningStream = [
  reasoner('{"role":"assistant","content":null,"reasoning_content":""}'),
  reasoner('{"content":null,"reasoning_content":"1071 = 2 × 462 + 147"}'),
  reasoner('{"content":null,"reasoning_content":"; 462 = 3 × 147 + 21"}'),
  reasoner('{"content":"The GCD","reasoning_content":null}'),
  reasoner('{"content":" is 21.","reasoning_content":null}'),
  reasoner(
    '{"content":"","reasoning_content":null}',
    '"stop"',
    ',"usage":{"prompt_tokens":20,"completion_tokens":60,"total_tokens":80,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":45},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":20}',
  ),
  'data: [DONE]\n\n',
].join('');

/** Text, then OpenAI's error event in place of the rest of the answer. */
export const errorStream = [
  `data: ${mini}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n',
].join('');

/** One Claude SSE event, parsed. */
export type ClaudeEvent = JsonObject & { type: string };

/**
 * Claude SSE text as its events' data. Each event must be `event: <type>` then its data line
 * holding `"type":<type>` first, as Anthropic writes them.
 */
export function claudeEvents(text: string): ClaudeEvent[] {
  if (text !== '' && !text.endsWith('\n\n')) throw new Error(`unterminated event: ${text}`);
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const match = /^event: ([a-z_]+)\ndata: (\{"type":"([a-z_]+)".*\})$/s.exec(block);
      if (!match || match[1] !== match[3]) throw new Error(`not a Claude event: ${block}`);
      return JSON.parse(match[2] as string) as ClaudeEvent;
    });
}
