import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';

/** OpenAI `tools` (function tools only) as Anthropic tools; undefined when there are none. */
export function toTools(tools: unknown): JsonObject[] | undefined {
  const converted: JsonObject[] = [];
  for (const tool of recordsOf(tools)) {
    const fn = tool.type === 'function' && isRecord(tool.function) ? tool.function : undefined;
    const name = stringOf(fn?.name);
    if (!fn || !name) continue;
    const description = stringOf(fn.description);
    converted.push({
      name,
      ...(description ? { description } : {}),
      // Anthropic requires an object schema even for a tool without parameters.
      input_schema: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    });
  }
  return converted.length > 0 ? converted : undefined;
}

/**
 * OpenAI `tool_choice` and `parallel_tool_calls` as Anthropic's `tool_choice`: auto → auto,
 * none → none, required → any, a named function → that tool; `parallel_tool_calls: false` is
 * `disable_parallel_tool_use` (which `none` does not take).
 */
export function toToolChoice(choice: unknown, parallel: unknown): JsonObject | undefined {
  let converted: JsonObject | undefined;
  if (choice === 'auto') converted = { type: 'auto' };
  else if (choice === 'none') converted = { type: 'none' };
  else if (choice === 'required') converted = { type: 'any' };
  else if (isRecord(choice) && isRecord(choice.function)) {
    const name = stringOf(choice.function.name);
    if (name) converted = { type: 'tool', name };
  }
  if (parallel === false && converted?.type !== 'none') {
    return { ...(converted ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return converted;
}
