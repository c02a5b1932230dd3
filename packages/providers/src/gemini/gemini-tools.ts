import { toGeminiSchema } from './gemini-schema.js';
import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';

/** OpenAI's function tools as one Gemini tool holding every declaration. */
export function toGeminiTools(tools: unknown): JsonObject[] | undefined {
  const declarations: JsonObject[] = [];
  for (const tool of recordsOf(tools)) {
    if (tool.type !== undefined && tool.type !== 'function') continue;
    const fn = isRecord(tool.function) ? tool.function : {};
    const name = stringOf(fn.name);
    if (!name) continue;
    const declaration: JsonObject = { name };
    const description = stringOf(fn.description);
    if (description) declaration.description = description;
    const parameters = toGeminiSchema(fn.parameters);
    // An object without properties is refused: a function without parameters declares none.
    if (parameters && !(parameters.type === 'object' && isEmpty(parameters.properties))) {
      declaration.parameters = parameters;
    }
    declarations.push(declaration);
  }
  return declarations.length > 0 ? [{ functionDeclarations: declarations }] : undefined;
}

function isEmpty(properties: unknown): boolean {
  return !isRecord(properties) || Object.keys(properties).length === 0;
}

/** `tool_choice` as Gemini's function calling mode (AUTO, NONE, ANY with allowed names). */
export function toToolConfig(choice: unknown): JsonObject | undefined {
  const config = functionCallingConfig(choice);
  return config ? { functionCallingConfig: config } : undefined;
}

function functionCallingConfig(choice: unknown): JsonObject | undefined {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (!isRecord(choice)) return undefined;
  if (choice.type === 'function') {
    const name = isRecord(choice.function) ? stringOf(choice.function.name) : undefined;
    return name ? { mode: 'ANY', allowedFunctionNames: [name] } : undefined;
  }
  if (choice.type === 'allowed_tools' && isRecord(choice.allowed_tools)) {
    const { mode, tools } = choice.allowed_tools;
    const names = recordsOf(tools)
      .map((tool) => (isRecord(tool.function) ? stringOf(tool.function.name) : undefined))
      .filter((name): name is string => name !== undefined);
    // Gemini takes allowed names with ANY only; under AUTO every declared function stays open.
    return mode === 'required' ? { mode: 'ANY', allowedFunctionNames: names } : { mode: 'AUTO' };
  }
  return undefined;
}
