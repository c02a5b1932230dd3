import type { ClientRequest } from '../adapter.js';
import type { JsonObject } from '../json-values.js';
import { chatRequestOfResponses } from './responses-request.js';

// Hand-written samples in the exact shapes Responses clients send and OpenAI upstreams answer.

/** The weather function, as the OpenAI SDK sends a function tool. */
export const weatherTool: JsonObject = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the current weather in a given location',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' } },
    required: ['location'],
    additionalProperties: false,
  },
  strict: true,
};

export const PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/**
 * A second turn as an agent sends it with store: false: instructions, a developer message, an
 * easy input message with an image, the model's reasoning and text and two calls, their
 * outputs, and the next question.
 */
export const toolRoundTripRequest: JsonObject = {
  model: 'gpt-4.1',
  instructions: 'You are a weather assistant.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Use °C.' }] },
    {
      role: 'user',
      content: [
        { type: 'input_text', text: 'Weather in Paris and Lyon? This is my view:' },
        { type: 'input_image', image_url: PNG_DATA_URL, detail: 'low' },
      ],
    },
    {
      type: 'reasoning',
      id: 'rs_68af0c1b2e8c8190b5e0',
      summary: [{ type: 'summary_text', text: 'Two cities: two calls.' }],
      encrypted_content: 'gAAAAABor8Mb',
    },
    {
      type: 'message',
      id: 'msg_68af0c1c4a6c8190a1f2',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Let me check both.', annotations: [] }],
    },
    {
      type: 'function_call',
      id: 'fc_68af0c1d9e948190b7a3',
      call_id: 'call_Paris4kTq2',
      name: 'get_weather',
      arguments: '{"location":"Paris"}',
      status: 'completed',
    },
    {
      type: 'function_call',
      id: 'fc_68af0c1da1c08190c2d4',
      call_id: 'call_Lyon7mWx9',
      name: 'get_weather',
      arguments: '{"location":"Lyon"}',
      status: 'completed',
    },
    { type: 'function_call_output', call_id: 'call_Paris4kTq2', output: '15 °C, light rain' },
    {
      type: 'function_call_output',
      call_id: 'call_Lyon7mWx9',
      output: [
        { type: 'input_text', text: '18 °C' },
        { type: 'input_image', image_url: PNG_DATA_URL },
        { type: 'input_text', text: 'sunny' },
      ],
    },
    { role: 'user', content: 'Which is warmer?' },
  ],
  tools: [weatherTool],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  max_output_tokens: 800,
  temperature: 0.3,
  top_p: 0.9,
  store: false,
  metadata: { session: 'weather-7' },
  text: { format: { type: 'text' }, verbosity: 'medium' },
  stream: true,
};

/** gpt-4.1-mini's plain answer, with part of its prompt cached. */
export const textAnswer: JsonObject = {
  id: 'chatcmpl-Cq1TxtAns8Rv2',
  object: 'chat.completion',
  created: 1760000000,
  model: 'gpt-4.1-mini-2025-04-14',
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
};

/** Two calls at once, the second with arguments cut short. */
export const toolCallsAnswer: JsonObject = {
  id: 'chatcmpl-Cq1ToolAns3Kd',
  object: 'chat.completion',
  created: 1760000120,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_Paris4kTq2',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
          {
            id: 'call_Lyon7mWx9',
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
  created: 1760000240,
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

/** An answer cut off by the token limit, its content given as parts. */
export const lengthAnswer: JsonObject = {
  id: 'chatcmpl-Cq1LenAns5Hq',
  object: 'chat.completion',
  created: 1760000360,
  model: 'gpt-4.1-mini-2025-04-14',
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

/** A structured-outputs refusal. */
export const refusalAnswer: JsonObject = {
  id: 'chatcmpl-Cq1RefAns6Wm',
  object: 'chat.completion',
  created: 1760000480,
  model: 'gpt-4.1-2025-04-14',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: null, refusal: "I'm sorry, I can't help with that." },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 },
};

const head = (id: string, model: string) =>
  `{"id":"${id}","object":"chat.completion.chunk","created":1760000000,"model":"${model}","service_tier":"default","system_fingerprint":"fp_3f58d112f7","choices":`;

const mini = head('chatcmpl-Cq1TxtStr8Rv2', 'gpt-4.1-mini-2025-04-14');

/** OpenAI's chat stream with include_usage: role chunk, text, finish, usage chunk, [DONE]. */
export const textStream = [
  `data: ${mini}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":", wörld 👋"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":" !"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n`,
  `data: ${mini}[],"usage":{"prompt_tokens":2006,"completion_tokens":5,"total_tokens":2011,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const big = head('chatcmpl-Cq1ToolStr3Kd', 'gpt-4.1-2025-04-14');

/** Text, then one tool call whose arguments come in fragments. */
export const toolStream = [
  `data: ${big}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"content":"Let me check."},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_Tokyo2zXc8","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"location"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\":\\""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"東京"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${big}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n`,
  `data: ${big}[],"usage":{"prompt_tokens":1180,"completion_tokens":15,"total_tokens":1195,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const parallel = head('chatcmpl-Cq1ParStr4Ln', 'gpt-4.1-2025-04-14');

/** Two tool calls in one answer, each opened by its own index. */
export const parallelToolStream = [
  `data: ${parallel}[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Pa1sX8vR3m","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\": \\"Pa"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_Ly2oN7wQ4j","type":"function","function":{"name":"get_time","arguments":""}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"timezone\\": "}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\\"Europe/Paris\\"}"}}]},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${parallel}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n`,
  `data: ${parallel}[],"usage":{"prompt_tokens":96,"completion_tokens":40,"total_tokens":136,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}}}\n\n`,
  'data: [DONE]\n\n',
].join('');

const reasoner = (delta: string, finish = 'null', usage = '') =>
  `data: {"id":"9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47","object":"chat.completion.chunk","created":1760000240,"model":"deepseek-reasoner","system_fingerprint":"fp_7e0991cad4_prod0820","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]${usage}}\n\n`;

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

/** Text cut off by max_tokens. */
export const lengthStream = [
  `data: ${mini}[{"index":0,"delta":{"role":"assistant","content":"Once"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":" upon"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null}\n\n`,
  `data: ${mini}[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}\n\n`,
  'data: [DONE]\n\n',
].join('');

/** Text, then OpenAI's error event in place of the rest of the answer. */
export const errorStream = [
  `data: ${mini}[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  `data: ${mini}[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
  'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n',
].join('');

const RESPONSE =
  '"id":"resp_68af1a2b3c4d8190","object":"response","created_at":1760001000,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"model":"gpt-5-mini-2025-08-07","parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":"low","summary":"auto"},"store":true,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","user":null,"metadata":{}';

const named = (type: string, data: string) => `event: ${type}\ndata: ${data}\n\n`;

const upstreamEvents = [
  named(
    'response.created',
    `{"type":"response.created","sequence_number":0,"response":{${RESPONSE},"status":"in_progress","output":[],"usage":null}}`,
  ),
  named(
    'response.in_progress',
    `{"type":"response.in_progress","sequence_number":1,"response":{${RESPONSE},"status":"in_progress","output":[],"usage":null}}`,
  ),
  named(
    'response.output_item.added',
    '{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_68af1a2c","type":"reasoning","summary":[]}}',
  ),
  named(
    'response.reasoning_summary_part.added',
    '{"type":"response.reasoning_summary_part.added","sequence_number":3,"item_id":"rs_68af1a2c","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}',
  ),
  named(
    'response.reasoning_summary_text.delta',
    '{"type":"response.reasoning_summary_text.delta","sequence_number":4,"item_id":"rs_68af1a2c","output_index":0,"summary_index":0,"delta":"Greeting in French.","obfuscation":"x1"}',
  ),
  named(
    'response.reasoning_summary_text.done',
    '{"type":"response.reasoning_summary_text.done","sequence_number":5,"item_id":"rs_68af1a2c","output_index":0,"summary_index":0,"text":"Greeting in French."}',
  ),
  named(
    'response.reasoning_summary_part.done',
    '{"type":"response.reasoning_summary_part.done","sequence_number":6,"item_id":"rs_68af1a2c","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":"Greeting in French."}}',
  ),
  named(
    'response.output_item.done',
    '{"type":"response.output_item.done","sequence_number":7,"output_index":0,"item":{"id":"rs_68af1a2c","type":"reasoning","summary":[{"type":"summary_text","text":"Greeting in French."}]}}',
  ),
  named(
    'response.output_item.added',
    '{"type":"response.output_item.added","sequence_number":8,"output_index":1,"item":{"id":"msg_68af1a2d","type":"message","status":"in_progress","content":[],"role":"assistant"}}',
  ),
  named(
    'response.content_part.added',
    '{"type":"response.content_part.added","sequence_number":9,"item_id":"msg_68af1a2d","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}',
  ),
  named(
    'response.output_text.delta',
    '{"type":"response.output_text.delta","sequence_number":10,"item_id":"msg_68af1a2d","output_index":1,"content_index":0,"delta":"Bonjour","logprobs":[],"obfuscation":"ab"}',
  ),
  named(
    'response.output_text.delta',
    '{"type":"response.output_text.delta","sequence_number":11,"item_id":"msg_68af1a2d","output_index":1,"content_index":0,"delta":", wörld 👋","logprobs":[],"obfuscation":"c"}',
  ),
  named(
    'response.output_text.done',
    '{"type":"response.output_text.done","sequence_number":12,"item_id":"msg_68af1a2d","output_index":1,"content_index":0,"text":"Bonjour, wörld 👋","logprobs":[]}',
  ),
  named(
    'response.content_part.done',
    '{"type":"response.content_part.done","sequence_number":13,"item_id":"msg_68af1a2d","output_index":1,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Bonjour, wörld 👋"}}',
  ),
  named(
    'response.output_item.done',
    '{"type":"response.output_item.done","sequence_number":14,"output_index":1,"item":{"id":"msg_68af1a2d","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Bonjour, wörld 👋"}],"role":"assistant"}}',
  ),
  named(
    'response.completed',
    `{"type":"response.completed","sequence_number":15,"response":{${RESPONSE},"status":"completed","output":[{"id":"rs_68af1a2c","type":"reasoning","summary":[{"type":"summary_text","text":"Greeting in French."}]},{"id":"msg_68af1a2d","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Bonjour, wörld 👋"}],"role":"assistant"}],"usage":{"input_tokens":1290,"input_tokens_details":{"cached_tokens":1152},"output_tokens":86,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":1376}}}`,
  ),
];

/** OpenAI's own Responses stream: reasoning with a summary, then text, then the usage. */
export const upstreamResponsesStream = upstreamEvents.join('');

/** OpenAI's Responses stream ending in response.failed while it reasons. */
export const upstreamFailedStream = [
  ...upstreamEvents.slice(0, 5),
  named(
    'response.failed',
    `{"type":"response.failed","sequence_number":5,"response":{${RESPONSE},"status":"failed","error":{"code":"server_error","message":"The model failed to generate a response."},"output":[],"usage":{"input_tokens":1290,"input_tokens_details":{"cached_tokens":0},"output_tokens":12,"output_tokens_details":{"reasoning_tokens":12},"total_tokens":1302}}}`,
  ),
].join('');

/** OpenAI's Responses stream cut by its `error` event, in the nested form the API sends. */
export const upstreamErrorStream = [
  named(
    'response.created',
    `{"type":"response.created","sequence_number":0,"response":{${RESPONSE},"status":"in_progress","output":[],"usage":null}}`,
  ),
  named(
    'error',
    '{"type":"error","sequence_number":1,"error":{"type":"too_many_requests","code":"too_many_requests","message":"Too Many Requests","param":null}}',
  ),
].join('');

/** One Responses SSE event, parsed. */
export type ResponsesEvent = JsonObject & { type: string; sequence_number: number };

/**
 * Responses SSE text as its events' data. Each event must be `event: <type>` then its data line
 * holding `"type":<type>` first, and the sequence numbers must run on by one.
 */
export function responsesEvents(text: string): ResponsesEvent[] {
  if (text !== '' && !text.endsWith('\n\n')) throw new Error(`unterminated event: ${text}`);
  const events = text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const match = /^event: ([a-z_.]+)\ndata: (\{"type":"([a-z_.]+)".*\})$/s.exec(block);
      if (!match || match[1] !== match[3]) throw new Error(`not a Responses event: ${block}`);
      return JSON.parse(match[2] as string) as ResponsesEvent;
    });
  for (const [i, event] of events.entries()) {
    const previous = events[i - 1];
    if (previous && event.sequence_number !== previous.sequence_number + 1) {
      throw new Error(`sequence_number ${event.sequence_number} after ${previous.sequence_number}`);
    }
  }
  return events;
}

/** A Responses client's request as the relay hands it on: the hub's chat request, and its own. */
export function responsesClientRequest(body: JsonObject): ClientRequest {
  const chat = chatRequestOfResponses(body);
  return {
    path: '/v1/chat/completions',
    model: String(body.model),
    raw: Buffer.from(JSON.stringify(chat)),
    json: chat,
    contentType: 'application/json',
    stream: body.stream === true,
    clientWantsUsage: false,
    native: {
      format: 'responses',
      raw: Buffer.from(JSON.stringify(body)),
      json: body,
      headers: {},
    },
  };
}
