import { isRecord, stringOf, type JsonObject } from '../json-values.js';
import { jsonSchemaOfGemini } from './gemini-client-schema.js';
import { absent, invalid, nativeOnly, quoted, requiredString } from './gemini-request-error.js';

/** Gemini's function calling modes and the tool choice OpenAI names each by. */
const MODES = new Map<string, string | undefined>([
  ['MODE_UNSPECIFIED', undefined],
  ['AUTO', 'auto'],
  // Auto with calls checked against their schema: OpenAI's auto is the nearest.
  ['VALIDATED', 'auto'],
  ['ANY', 'required'],
  ['NONE', 'none'],
]);

/**
 * `tools[].functionDeclarations` and `toolConfig.functionCallingConfig` as OpenAI's tools and
 * tool_choice. Allowed function names narrow the tools offered; with mode ANY and one name the
 * choice names that function. No tool choice is given without tools (OpenAI refuses one).
 * Google's built-in tools (googleSearch, codeExecution, urlContext…) run at Google: nativeOnly.
 */
export function toolSettings(body: JsonObject): JsonObject {
  let tools = chatTools(body.tools);
  if (tools.length === 0) return {};
  const calling = functionCallingConfig(body.toolConfig);
  if (calling === undefined) return { tools };
  const names = allowedNames(calling.allowedFunctionNames, tools);
  if (names !== undefined) tools = tools.filter((tool) => names.includes(toolName(tool)));
  const mode = modeOf(calling.mode);
  const settings: JsonObject = { tools };
  if (mode === 'required' && names?.length === 1) {
    settings.tool_choice = { type: 'function', function: { name: names[0] } };
  } else if (mode !== undefined) {
    settings.tool_choice = mode;
  }
  return settings;
}

function chatTools(tools: unknown): JsonObject[] {
  if (absent(tools)) return [];
  if (!Array.isArray(tools)) invalid('tools', 'must be an array of Tool');
  const converted: JsonObject[] = [];
  for (const [i, tool] of tools.entries()) {
    const field = `tools[${i}]`;
    if (!isRecord(tool)) invalid(field, 'must be a Tool object');
    const builtIn = Object.keys(tool).find(
      (key) => key !== 'functionDeclarations' && !absent(tool[key]),
    );
    if (builtIn !== undefined) {
      nativeOnly(
        `${field}.${builtIn}`,
        "Google's built-in tools can only be used on Gemini upstreams",
      );
    }
    const declarations = tool.functionDeclarations;
    if (absent(declarations)) continue;
    if (!Array.isArray(declarations)) {
      invalid(`${field}.functionDeclarations`, 'must be an array of FunctionDeclaration');
    }
    for (const [j, declaration] of declarations.entries()) {
      converted.push(chatTool(declaration, `${field}.functionDeclarations[${j}]`));
    }
  }
  return converted;
}

function chatTool(declaration: unknown, field: string): JsonObject {
  if (!isRecord(declaration)) invalid(field, 'must be a FunctionDeclaration object');
  const name = requiredString(declaration.name, `${field}.name`);
  if (name === '') invalid(`${field}.name`, 'must name the function');
  const fn: JsonObject = { name };
  const description = stringOf(declaration.description);
  if (description) fn.description = description;
  // parametersJsonSchema is JSON Schema already; parameters is Gemini's OpenAPI-style Schema.
  if (!absent(declaration.parametersJsonSchema)) {
    if (!isRecord(declaration.parametersJsonSchema)) {
      invalid(`${field}.parametersJsonSchema`, 'must be a JSON Schema object');
    }
    fn.parameters = declaration.parametersJsonSchema;
  } else if (!absent(declaration.parameters)) {
    fn.parameters = jsonSchemaOfGemini(declaration.parameters, `${field}.parameters`);
  }
  return { type: 'function', function: fn };
}

function functionCallingConfig(toolConfig: unknown): JsonObject | undefined {
  if (absent(toolConfig)) return undefined;
  if (!isRecord(toolConfig)) invalid('toolConfig', 'must be an object');
  const calling = toolConfig.functionCallingConfig;
  if (absent(calling)) return undefined;
  if (!isRecord(calling)) invalid('toolConfig.functionCallingConfig', 'must be an object');
  return calling;
}

function modeOf(mode: unknown): string | undefined {
  if (absent(mode)) return undefined;
  const name = typeof mode === 'string' ? mode.toUpperCase() : '';
  if (!MODES.has(name)) {
    invalid('toolConfig.functionCallingConfig.mode', 'must be AUTO, ANY, NONE or VALIDATED');
  }
  return MODES.get(name);
}

function allowedNames(names: unknown, tools: JsonObject[]): string[] | undefined {
  const field = 'toolConfig.functionCallingConfig.allowedFunctionNames';
  if (absent(names)) return undefined;
  if (!Array.isArray(names)) invalid(field, 'must be an array of function names');
  // An empty list restricts nothing, as Google reads it.
  if (names.length === 0) return undefined;
  const declared = new Set(tools.map(toolName));
  return names.map((name, i) => {
    if (typeof name !== 'string' || !declared.has(name)) {
      invalid(`${field}[${i}]`, `${quoted(name)} names no declared function`);
    }
    return name;
  });
}

function toolName(tool: JsonObject): string {
  return isRecord(tool.function) ? (stringOf(tool.function.name) ?? '') : '';
}
