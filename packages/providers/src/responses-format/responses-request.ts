import { isRecord, numberOf, stringOf, type JsonObject } from '../json-values.js';
import { chatMessagesOfInput } from './responses-input.js';
import { absent, invalid, nativeOnly, quoted, requiredString } from './responses-request-error.js';

export { ResponsesRequestError } from './responses-request-error.js';

/** The proxy's own bound for output limits (DESIGN §5a): larger is a mistake or an attack. */
const MAX_OUTPUT_TOKENS = 10_000_000;

const TOOL_CHOICES = new Set(['auto', 'none', 'required']);

/**
 * A Responses API request body as the hub's OpenAI chat completions body, for an upstream that
 * does not speak the Responses API. The body is the client's and untrusted: what cannot be read
 * throws ResponsesRequestError. What needs OpenAI's stored state (previous_response_id,
 * conversation, stored prompts, item references) is refused; `store`, `metadata`, `include`
 * and other settings chat has no counterpart for are left out.
 */
export function chatRequestOfResponses(body: JsonObject): JsonObject {
  const model = body.model;
  if (typeof model !== 'string' || model.trim() === '') invalid('model', 'must be a model name');
  refuseStoredState(body);
  const messages = [...instructionMessages(body.instructions), ...chatMessagesOfInput(body.input)];
  if (messages.length === 0) invalid('input', 'must hold at least one message');
  const chat: JsonObject = { model, messages };
  const maxTokens = maxOutputTokens(body.max_output_tokens);
  if (maxTokens !== undefined) chat.max_tokens = maxTokens;
  const temperature = inRange(body.temperature, 'temperature', 2);
  if (temperature !== undefined) chat.temperature = temperature;
  const topP = inRange(body.top_p, 'top_p', 1);
  if (topP !== undefined) chat.top_p = topP;
  if (!absent(body.user)) chat.user = requiredString(body.user, 'user');
  Object.assign(chat, toolSettings(body));
  const format = responseFormat(body.text);
  if (format !== undefined) chat.response_format = format;
  const effort = reasoningEffort(body.reasoning);
  if (effort !== undefined) chat.reasoning_effort = effort;
  if (!absent(body.stream)) {
    if (typeof body.stream !== 'boolean') invalid('stream', 'must be true or false');
    chat.stream = body.stream;
    // The stream ends with response.completed and its usage, which chat streams report on request.
    if (body.stream) chat.stream_options = { include_usage: true };
  }
  return chat;
}

function refuseStoredState(body: JsonObject): void {
  if (!absent(body.previous_response_id)) {
    nativeOnly(
      'previous_response_id',
      'the gateway keeps no responses for this model: only upstreams that keep responses ' +
        '(OpenAI) can continue a stored response',
    );
  }
  if (!absent(body.conversation)) {
    nativeOnly('conversation', 'only upstreams that keep conversations (OpenAI) can continue one');
  }
  if (!absent(body.prompt)) {
    nativeOnly('prompt', 'stored prompt templates can only be used with OpenAI upstreams');
  }
}

function instructionMessages(instructions: unknown): JsonObject[] {
  if (absent(instructions)) return [];
  const text = requiredString(instructions, 'instructions');
  return text === '' ? [] : [{ role: 'system', content: text }];
}

function maxOutputTokens(value: unknown): number | undefined {
  if (absent(value)) return undefined;
  const n = numberOf(value);
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > MAX_OUTPUT_TOKENS) {
    invalid('max_output_tokens', `must be a whole number from 1 to ${MAX_OUTPUT_TOKENS}`);
  }
  return n;
}

function inRange(value: unknown, field: string, max: number): number | undefined {
  if (absent(value)) return undefined;
  const n = numberOf(value);
  if (n === undefined || n < 0 || n > max) invalid(field, `must be a number from 0 to ${max}`);
  return n;
}

/** tools, tool_choice and parallel_tool_calls; none of them without a tool to offer. */
function toolSettings(body: JsonObject): JsonObject {
  const tools = chatTools(body.tools);
  // Chat refuses a tool choice or parallel_tool_calls without tools.
  if (tools.length === 0) return {};
  const settings: JsonObject = { tools };
  const choice = body.tool_choice;
  if (!absent(choice)) settings.tool_choice = toolChoice(choice);
  const parallel = body.parallel_tool_calls;
  if (!absent(parallel)) {
    if (typeof parallel !== 'boolean') invalid('parallel_tool_calls', 'must be true or false');
    settings.parallel_tool_calls = parallel;
  }
  return settings;
}

function chatTools(tools: unknown): JsonObject[] {
  if (absent(tools)) return [];
  if (!Array.isArray(tools)) invalid('tools', 'must be an array');
  const functions: JsonObject[] = [];
  tools.forEach((tool, i) => {
    const field = `tools[${i}]`;
    if (!isRecord(tool)) invalid(field, 'must be an object');
    if (typeof tool.type !== 'string') invalid(`${field}.type`, 'must name the tool type');
    // Built-in tools (web search, file search, code interpreter …) run at OpenAI, not upstreams
    // reached through the hub: agents offer them beside their functions, and the model does
    // without.
    if (tool.type === 'function') functions.push(chatFunction(tool, field));
    if (tool.type === 'custom') functions.push(customToolFunction(tool, field));
  });
  return functions;
}

function chatFunction(tool: JsonObject, field: string): JsonObject {
  const name = requiredString(tool.name, `${field}.name`);
  if (name === '') invalid(`${field}.name`, 'must name the function');
  const fn: JsonObject = { name };
  if (!absent(tool.description)) {
    fn.description = requiredString(tool.description, `${field}.description`);
  }
  if (!absent(tool.parameters)) {
    if (!isRecord(tool.parameters)) invalid(`${field}.parameters`, 'must be a JSON schema');
    fn.parameters = tool.parameters;
  }
  if (!absent(tool.strict)) {
    if (typeof tool.strict !== 'boolean') invalid(`${field}.strict`, 'must be true or false');
    fn.strict = tool.strict;
  }
  return { type: 'function', function: fn };
}

/**
 * A freeform (`custom`) tool, whose input is plain text (Codex's apply_patch), as a function
 * taking that text as its one argument, `input`; its grammar, if any, goes in the description.
 */
function customToolFunction(tool: JsonObject, field: string): JsonObject {
  const name = requiredString(tool.name, `${field}.name`);
  if (name === '') invalid(`${field}.name`, 'must name the tool');
  const description = absent(tool.description)
    ? ''
    : requiredString(tool.description, `${field}.description`);
  const format = isRecord(tool.format) ? tool.format : {};
  const grammar = typeof format.definition === 'string' ? format.definition : undefined;
  const input: JsonObject = { type: 'string' };
  input.description = grammar
    ? `The tool's raw input, in this ${stringOf(format.syntax) ?? ''} grammar:\n${grammar}`
    : "The tool's raw input text.";
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: {
        type: 'object',
        properties: { input },
        required: ['input'],
        additionalProperties: false,
      },
    },
  };
}

/** The names of the request's freeform tools, whose calls are answered as custom tool calls. */
export function customToolNames(body: JsonObject): ReadonlySet<string> {
  const names = new Set<string>();
  if (!Array.isArray(body.tools)) return names;
  for (const tool of body.tools) {
    if (isRecord(tool) && tool.type === 'custom' && typeof tool.name === 'string') {
      names.add(tool.name);
    }
  }
  return names;
}

function toolChoice(choice: unknown): unknown {
  if (typeof choice === 'string' && TOOL_CHOICES.has(choice)) return choice;
  if (isRecord(choice) && (choice.type === 'function' || choice.type === 'custom')) {
    const name = requiredString(choice.name, 'tool_choice.name');
    return { type: 'function', function: { name } };
  }
  // A built-in tool, or a set of allowed tools: OpenAI's own API chooses among those.
  if (isRecord(choice) && typeof choice.type === 'string') {
    nativeOnly(
      'tool_choice',
      `${quoted(choice.type)} is not supported by the gateway's conversion`,
    );
  }
  return invalid('tool_choice', 'must be "auto", "none", "required" or a function to call');
}

/** `text.format` as chat's response_format; plain text is chat's default. */
function responseFormat(text: unknown): JsonObject | undefined {
  if (absent(text)) return undefined;
  if (!isRecord(text)) invalid('text', 'must be an object');
  const format = text.format;
  if (absent(format)) return undefined;
  if (!isRecord(format)) invalid('text.format', 'must be an object');
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const name = requiredString(format.name, 'text.format.name');
      if (!isRecord(format.schema)) invalid('text.format.schema', 'must be a JSON schema');
      const schema: JsonObject = { name, schema: format.schema };
      const description = stringOf(format.description);
      if (description !== undefined) schema.description = description;
      if (typeof format.strict === 'boolean') schema.strict = format.strict;
      return { type: 'json_schema', json_schema: schema };
    }
    default:
      return invalid('text.format.type', 'must be "text", "json_object" or "json_schema"');
  }
}

function reasoningEffort(reasoning: unknown): string | undefined {
  if (absent(reasoning)) return undefined;
  if (!isRecord(reasoning)) invalid('reasoning', 'must be an object');
  const effort = reasoning.effort;
  return absent(effort) ? undefined : requiredString(effort, 'reasoning.effort');
}
