import type { ChatPromptRequest } from './chat-request.js';
import type { Tokenizer } from './tokenizer.js';
import { isObject, list } from './untrusted-json.js';

/*
 * The model reads function definitions rewritten as a TypeScript-like namespace, not as JSON.
 * These are the openai-cookbook "How to count tokens with tiktoken" constants for that
 * format, which reproduce the API's own counts (105 tokens on gpt-3.5-turbo / gpt-4, 101 on
 * gpt-4o for its weather example): per function its start plus "name:description", per
 * property "name:type:description", enums item by item, and one closing block.
 */
const FUNCTION_START = { cl100k_base: 10, o200k_base: 7 } as const;
const PROPERTIES_START = 3;
const PROPERTY_START = 3;
const ENUM_START = -3;
const ENUM_ITEM = 3;
const FUNCTIONS_END = 12;

/** Prompt tokens of a request's `tools` and deprecated `functions`. */
export function countToolDefinitions(
  request: Pick<ChatPromptRequest, 'tools' | 'functions'>,
  tokenizer: Tokenizer,
): number {
  const definitions: Readonly<Record<string, unknown>>[] = [];
  let total = 0;
  for (const tool of list(request.tools)) {
    if (isObject(tool) && isObject(tool.function)) definitions.push(tool.function);
    // Non-function tools (custom, built-in) have no published format: their JSON approximates it.
    else total += tokenizer.count(JSON.stringify(tool) ?? '');
  }
  for (const fn of list(request.functions)) if (isObject(fn)) definitions.push(fn);
  if (definitions.length === 0) return total;

  const functionStart = FUNCTION_START[tokenizer.encoding];
  for (const fn of definitions) {
    total += functionStart + tokenizer.count(`${text(fn.name)}:${withoutFinalDot(fn.description)}`);
    total += countProperties(
      isObject(fn.parameters) ? fn.parameters.properties : undefined,
      tokenizer,
    );
  }
  return total + FUNCTIONS_END;
}

function countProperties(properties: unknown, tokenizer: Tokenizer): number {
  if (!isObject(properties)) return 0;
  const entries = Object.entries(properties);
  if (entries.length === 0) return 0;
  let total = PROPERTIES_START;
  for (const [name, schema] of entries) {
    const { type, description, enum: values, ...nested } = isObject(schema) ? schema : {};
    total += PROPERTY_START;
    if (Array.isArray(values)) {
      total += ENUM_START;
      for (const value of values) total += ENUM_ITEM + tokenizer.count(jsonText(value));
    }
    total += tokenizer.count(`${name}:${jsonText(type)}:${withoutFinalDot(description)}`);
    // Beyond the cookbook, which drops them: nested schemas (items, properties, anyOf …) reach
    // the model too, so their JSON is counted rather than billed as free.
    if (Object.keys(nested).length > 0) total += tokenizer.count(JSON.stringify(nested));
  }
  return total;
}

function withoutFinalDot(description: unknown): string {
  const value = text(description);
  return value.endsWith('.') ? value.slice(0, -1) : value;
}

/** Strings as they are, other JSON values as JSON text, nothing as "". */
function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
