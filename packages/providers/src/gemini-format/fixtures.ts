import type { ClientRequest } from '../adapter.js';
import type { JsonObject } from '../json-values.js';
import { chatRequestOfGemini } from './gemini-client-request.js';

// Hand-written samples in the shapes Gemini clients (@google/genai, @ai-sdk/google, Gemini CLI)
// send and OpenAI upstreams answer.

export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
export const PDF_BASE64 = 'JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9UeXBlL0NhdGFsb2c+PgplbmRvYmoK';

/**
 * A plain request as @google/genai sends `config: {systemInstruction: '…', …}`: the instruction
 * as a user Content, the settings in generationConfig, safety settings beside them.
 */
export const plainRequest: JsonObject = {
  contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }],
  systemInstruction: {
    role: 'user',
    parts: [{ text: 'You are terse.' }, { text: 'Answer in French.' }],
  },
  generationConfig: {
    temperature: 0.2,
    topP: 0.9,
    topK: 40,
    maxOutputTokens: 1024,
    stopSequences: ['FIN'],
    seed: 7,
    presencePenalty: 0.5,
    frequencyPenalty: -0.5,
    candidateCount: 1,
    thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
  },
  safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_LOW_AND_ABOVE' }],
};

/** The weather function in Gemini's Schema: upper-case types, nullable, counts as strings. */
export const weatherDeclaration: JsonObject = {
  name: 'get_weather',
  description: 'The current weather at a place',
  parameters: {
    type: 'OBJECT',
    properties: {
      location: { type: 'STRING', description: 'City and country' },
      unit: { type: 'STRING', enum: ['celsius', 'fahrenheit'], nullable: true },
      days: { type: 'ARRAY', items: { type: 'INTEGER' }, minItems: '1', maxItems: '7' },
    },
    required: ['location'],
    propertyOrdering: ['location', 'unit', 'days'],
  },
};

/**
 * A function-calling round trip as the Gemini CLI sends it: the model's turn (a thought summary,
 * text, two calls, one with an id and one without, the first signed), the user's turn with both
 * responses (the second paired by name) and a question; tools, and toolConfig forcing one name.
 */
export const toolRoundTripRequest: JsonObject = {
  contents: [
    { role: 'user', parts: [{ text: 'Weather in Paris and Lyon?' }] },
    {
      role: 'model',
      parts: [
        { text: 'Two cities: two calls.', thought: true },
        { text: 'Let me check both.' },
        {
          functionCall: { id: 'call_paris', name: 'get_weather', args: { location: 'Paris' } },
          thoughtSignature: 'CpwCAdHtim9+Q1sNfW3u',
        },
        { functionCall: { name: 'get_weather', args: { location: 'Lyon' } } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { id: 'call_paris', name: 'get_weather', response: { celsius: 15 } } },
        { functionResponse: { name: 'get_weather', response: { error: 'Station offline' } } },
        { text: 'Answer in one line.' },
      ],
    },
  ],
  tools: [
    {
      functionDeclarations: [
        weatherDeclaration,
        {
          name: 'get_time',
          parametersJsonSchema: {
            type: 'object',
            properties: { timezone: { type: 'string' } },
            additionalProperties: false,
          },
        },
      ],
    },
  ],
  toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
};

/** Media in a user turn: an inline image, an image by URL, an inline PDF. */
export const mediaRequest: JsonObject = {
  contents: [
    {
      parts: [
        { inlineData: { mimeType: 'image/png', data: PNG_BASE64 } },
        {
          fileData: {
            mimeType: 'image/jpeg',
            fileUri:
              'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
          },
        },
        { inlineData: { mimeType: 'application/pdf', data: PDF_BASE64 } },
        { text: 'What do these show?' },
      ],
    },
  ],
};

/** Structured output as the AI SDK asks for it: JSON, shaped by a schema in Gemini's Schema. */
export const jsonRequest: JsonObject = {
  contents: [{ role: 'user', parts: [{ text: 'A recipe, please.' }] }],
  generationConfig: {
    responseMimeType: 'application/json',
    responseSchema: {
      type: 'object',
      properties: { name: { type: 'string' }, steps: { type: 'array', items: { type: 'string' } } },
      required: ['name', 'steps'],
    },
  },
};

/** A Gemini client's request as the relay hands it to a reader: the hub's chat beside its own. */
export function geminiClientRequest(
  body: JsonObject,
  options: { model?: string; stream?: boolean } = {},
): ClientRequest {
  const { model = 'gemini-2.5-flash', stream = false } = options;
  const chat = chatRequestOfGemini(body, model, stream);
  const raw = Buffer.from(JSON.stringify(body));
  return {
    path: '/v1/chat/completions',
    model,
    raw: Buffer.from(JSON.stringify(chat)),
    json: chat,
    contentType: 'application/json',
    stream,
    clientWantsUsage: true,
    native: { format: 'gemini', raw, json: body, headers: {} },
  };
}

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

/** gpt-4o calling two tools at once, the second with arguments that were cut short. */
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

/** A reasoner cut off by max_tokens: reasoning beside the text, its tokens in the completion. */
export const reasoningAnswer: JsonObject = {
  id: 'chatcmpl-9a1c0d4e5b2f4e7a8c3d6f1b2a9e0c47',
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
      finish_reason: 'length',
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

const chunk = (id: string, choices: string, usage = '"usage":null') =>
  `data: {"id":"${id}","object":"chat.completion.chunk","created":1754900000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_560af6e559","choices":${choices},${usage}}\n\n`;
const delta = (id: string, body: string, finish = 'null') =>
  chunk(id, `[{"index":0,"delta":${body},"logprobs":null,"finish_reason":${finish}}]`);

const TEXT = 'chatcmpl-C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG';

/** OpenAI's stream with include_usage: role chunk, text, finish chunk, usage chunk, [DONE]. */
export const textStream = [
  delta(TEXT, '{"role":"assistant","content":"","refusal":null}'),
  delta(TEXT, '{"content":"Bonjour"}'),
  delta(TEXT, '{"content":", wörld 👋"}'),
  delta(TEXT, '{"content":" !"}'),
  delta(TEXT, '{}', '"stop"'),
  chunk(
    TEXT,
    '[]',
    '"usage":{"prompt_tokens":2006,"completion_tokens":5,"total_tokens":2011,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}}',
  ),
  'data: [DONE]\n\n',
].join('');

const TOOL = 'chatcmpl-C3wsT1nVb8Qm4kXr6ZpLh2Jd9WcYe';

/** Text, then one tool call whose arguments come in fragments (one splits a character). */
export const toolStream = [
  delta(TOOL, '{"role":"assistant","content":"","refusal":null}'),
  delta(TOOL, '{"content":"Let me check."}'),
  delta(
    TOOL,
    '{"tool_calls":[{"index":0,"id":"call_Qz8BvWmLk3TgR2xNpYc7Hs1D","type":"function","function":{"name":"get_weather","arguments":""}}]}',
  ),
  delta(TOOL, '{"tool_calls":[{"index":0,"function":{"arguments":"{\\"loc"}}]}'),
  delta(TOOL, '{"tool_calls":[{"index":0,"function":{"arguments":"ation\\":\\"東京"}}]}'),
  delta(TOOL, '{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]}'),
  delta(TOOL, '{}', '"tool_calls"'),
  chunk(
    TOOL,
    '[]',
    '"usage":{"prompt_tokens":1180,"completion_tokens":15,"total_tokens":1195,"prompt_tokens_details":{"cached_tokens":1024}}',
  ),
  'data: [DONE]\n\n',
].join('');

const PARALLEL = 'chatcmpl-C3wvR8mNq3Lp5Kx7Jz2Hb4Gc6Fd';

/** Two tool calls in one answer, each opened by its own index. */
export const parallelToolStream = [
  delta(
    PARALLEL,
    '{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_Pa1sX8vR3mK9tL2q","type":"function","function":{"name":"get_weather","arguments":""}}]}',
  ),
  delta(PARALLEL, '{"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\": \\"Pa"}}]}'),
  delta(PARALLEL, '{"tool_calls":[{"index":0,"function":{"arguments":"ris\\"}"}}]}'),
  delta(
    PARALLEL,
    '{"tool_calls":[{"index":1,"id":"call_Ly2oN7wQ4jH8sD5e","type":"function","function":{"name":"get_time","arguments":""}}]}',
  ),
  delta(PARALLEL, '{"tool_calls":[{"index":1,"function":{"arguments":"{\\"timezone\\": "}}]}'),
  delta(PARALLEL, '{"tool_calls":[{"index":1,"function":{"arguments":"\\"Europe/Paris\\"}"}}]}'),
  delta(PARALLEL, '{}', '"tool_calls"'),
  chunk(PARALLEL, '[]', '"usage":{"prompt_tokens":96,"completion_tokens":40,"total_tokens":136}'),
  'data: [DONE]\n\n',
].join('');

const REASONER = 'chatcmpl-9a1c0d4e5b2f4e7a8c3d6f1b2a9e0c47';

/** A reasoner: reasoning deltas, then the answer; usage on the finish chunk, as DeepSeek does. */
export const reasoningStream = [
  delta(REASONER, '{"role":"assistant","content":null,"reasoning_content":""}'),
  delta(REASONER, '{"content":null,"reasoning_content":"1071 = 2 × 462 + 147"}'),
  delta(REASONER, '{"content":null,"reasoning_content":"; 462 = 3 × 147 + 21"}'),
  delta(REASONER, '{"content":"The GCD","reasoning_content":null}'),
  delta(REASONER, '{"content":" is 21.","reasoning_content":null}'),
  chunk(
    REASONER,
    '[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop"}]',
    '"usage":{"prompt_tokens":20,"completion_tokens":60,"total_tokens":80,"completion_tokens_details":{"reasoning_tokens":45}}',
  ),
  'data: [DONE]\n\n',
].join('');

/** Text, then OpenAI's error event in place of the rest of the answer. */
export const errorStream = [
  delta(TEXT, '{"role":"assistant","content":"","refusal":null}'),
  delta(TEXT, '{"content":"Bonjour"}'),
  'data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n',
].join('');

const gemini = (body: string) =>
  `data: {"candidates": [${body}],"modelVersion": "gemini-2.5-flash","responseId": "X9sxaO2aAYKm1dkPn_TCoAk"}\r\n\r\n`;

/**
 * Gemini's stream cut off by Google's failure mid-stream: two events of text, then the error
 * JSON bare and pretty-printed (no `data:`), as @google/genai expects it.
 */
export const upstreamBareErrorStream = [
  gemini('{"content": {"parts": [{"text": "Once"}],"role": "model"},"index": 0}'),
  gemini('{"content": {"parts": [{"text": " upon a time"}],"role": "model"},"index": 0}'),
  '{\n  "error": {\n    "code": 500,\n    "message": "An internal error has occurred.",\n    "status": "INTERNAL"\n  }\n}\n',
].join('');

/** A Gemini SSE stream as the client reads it: its events, and the bare error JSON after them. */
export interface GeminiStream {
  events: JsonObject[];
  bare?: JsonObject;
}

/**
 * Gemini SSE text, checked strictly: each event a single `data:` line framed with `\r\n\r\n`,
 * then at most a bare JSON error with no framing after it.
 */
export function geminiStream(text: string): GeminiStream {
  const pieces = text.split('\r\n\r\n');
  const last = pieces.pop() ?? '';
  const events = pieces.map((piece) => {
    const match = /^data: (\{.*\})$/s.exec(piece);
    if (!match || match[1]?.includes('\n')) throw new Error(`not a Gemini event: ${piece}`);
    return JSON.parse(match[1] as string) as JsonObject;
  });
  return last === '' ? { events } : { events, bare: JSON.parse(last) as JsonObject };
}
