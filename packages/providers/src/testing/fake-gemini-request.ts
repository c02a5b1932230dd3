/**
 * The checks the fake Gemini makes of a request body before answering, as the real API refuses
 * them with 400 INVALID_ARGUMENT: unknown fields (OpenAI's `messages`, `max_tokens`, `model`…),
 * roles other than user/model, unknown part kinds, function responses that answer no earlier
 * call, numbers of the wrong type, JSON Schema keywords Gemini's Schema lacks. Returns what is
 * wrong, or undefined when the body is one Gemini would take.
 */

type Json = Record<string, unknown>;

const GENERATE_FIELDS = new Set([
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
  'safetySettings',
  'cachedContent',
]);

const PART_KINDS = new Set([
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
]);
const PART_EXTRAS = new Set(['thought', 'thoughtSignature', 'videoMetadata', 'mediaResolution']);

const SCHEMA_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);

/** Config fields and the type each must have. */
const GENERATION_FIELDS: Record<string, 'number' | 'integer' | 'string' | 'strings' | 'object'> = {
  temperature: 'number',
  topP: 'number',
  topK: 'integer',
  maxOutputTokens: 'integer',
  candidateCount: 'integer',
  seed: 'integer',
  presencePenalty: 'number',
  frequencyPenalty: 'number',
  stopSequences: 'strings',
  responseMimeType: 'string',
  responseSchema: 'object',
  responseJsonSchema: 'object',
  thinkingConfig: 'object',
};

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const unknownName = (name: string, at: string) =>
  `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`;

export function generateContentProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected an object.';
  for (const name of Object.keys(body)) {
    if (!GENERATE_FIELDS.has(name)) return unknownName(name, '');
  }
  return (
    contentsProblem(body.contents) ??
    systemProblem(body.systemInstruction) ??
    toolsProblem(body.tools) ??
    toolConfigProblem(body.toolConfig) ??
    generationProblem(body.generationConfig)
  );
}

function contentsProblem(contents: unknown): string | undefined {
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified';
  }
  const called = new Set<string>();
  for (const [i, content] of contents.entries()) {
    if (!isRecord(content)) return `Invalid value at 'contents[${i}]'`;
    if (content.role !== 'user' && content.role !== 'model') {
      return `Please use a valid role: user, model. (contents[${i}].role: ${String(content.role)})`;
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    }
    for (const [j, part] of content.parts.entries()) {
      const problem = partProblem(part, `contents[${i}].parts[${j}]`, called);
      if (problem) return problem;
    }
  }
  return undefined;
}

function partProblem(part: unknown, at: string, called: Set<string>): string | undefined {
  if (!isRecord(part)) return `Invalid value at '${at}'`;
  const kinds = Object.keys(part).filter((key) => PART_KINDS.has(key));
  for (const key of Object.keys(part)) {
    if (!PART_KINDS.has(key) && !PART_EXTRAS.has(key)) return unknownName(key, at);
  }
  if (kinds.length !== 1) return `* ${at}: a part must hold exactly one kind of data`;
  if ('text' in part && typeof part.text !== 'string') return `Invalid value at '${at}.text'`;
  if ('inlineData' in part) {
    const data = part.inlineData;
    if (!isRecord(data) || typeof data.mimeType !== 'string' || typeof data.data !== 'string') {
      return `* ${at}.inlineData: mimeType and data are required`;
    }
  }
  if ('fileData' in part) {
    const file = part.fileData;
    if (!isRecord(file) || typeof file.fileUri !== 'string') {
      return `* ${at}.fileData.fileUri: fileUri is required`;
    }
  }
  if ('functionCall' in part) {
    const call = part.functionCall;
    if (!isRecord(call) || typeof call.name !== 'string' || call.name === '') {
      return `* ${at}.functionCall.name: name is required`;
    }
    if (call.args !== undefined && !isRecord(call.args))
      return `Invalid value at '${at}.functionCall.args'`;
    called.add(call.name);
  }
  if ('functionResponse' in part) {
    const response = part.functionResponse;
    if (!isRecord(response) || typeof response.name !== 'string' || !isRecord(response.response)) {
      return `* ${at}.functionResponse: name and an object response are required`;
    }
    if (!called.has(response.name)) {
      return `* ${at}.functionResponse.name: ${response.name} answers no function call of an earlier turn`;
    }
  }
  return undefined;
}

function systemProblem(system: unknown): string | undefined {
  if (system === undefined) return undefined;
  if (!isRecord(system) || !Array.isArray(system.parts))
    return "Invalid value at 'system_instruction'";
  for (const [i, part] of system.parts.entries()) {
    if (!isRecord(part) || typeof part.text !== 'string') {
      return `Invalid value at 'system_instruction.parts[${i}]': text only`;
    }
  }
  return undefined;
}

function toolsProblem(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return "Invalid value at 'tools'";
  for (const [i, tool] of tools.entries()) {
    if (!isRecord(tool) || !Array.isArray(tool.functionDeclarations)) {
      return `Invalid value at 'tools[${i}]'`;
    }
    for (const [j, declaration] of tool.functionDeclarations.entries()) {
      const at = `tools[${i}].function_declarations[${j}]`;
      if (!isRecord(declaration) || typeof declaration.name !== 'string')
        return `* ${at}.name: name is required`;
      if (!/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(declaration.name)) {
        return `* ${at}.name: Invalid function name.`;
      }
      const problem = schemaProblem(declaration.parameters, `${at}.parameters`);
      if (problem) return problem;
    }
  }
  return undefined;
}

function schemaProblem(schema: unknown, at: string): string | undefined {
  if (schema === undefined) return undefined;
  if (!isRecord(schema)) return `Invalid value at '${at}'`;
  for (const [key, value] of Object.entries(schema)) {
    if (!SCHEMA_KEYS.has(key)) return unknownName(key, at);
    if (key === 'properties') {
      if (!isRecord(value)) return `Invalid value at '${at}.properties'`;
      for (const [name, property] of Object.entries(value)) {
        const problem = schemaProblem(property, `${at}.properties[${name}].value`);
        if (problem) return problem;
      }
    }
    if (key === 'items') {
      const problem = schemaProblem(value, `${at}.items`);
      if (problem) return problem;
    }
    if (key === 'type' && typeof value !== 'string') return `Invalid value at '${at}.type'`;
  }
  return undefined;
}

function toolConfigProblem(config: unknown): string | undefined {
  if (config === undefined) return undefined;
  const calling = isRecord(config) ? config.functionCallingConfig : undefined;
  if (!isRecord(calling)) return "Invalid value at 'tool_config'";
  if (!['AUTO', 'ANY', 'NONE', 'VALIDATED'].includes(String(calling.mode))) {
    return `Invalid value at 'tool_config.function_calling_config.mode' (${String(calling.mode)})`;
  }
  if (
    calling.allowedFunctionNames !== undefined &&
    calling.mode !== 'ANY' &&
    calling.mode !== 'VALIDATED'
  ) {
    return '* tool_config.function_calling_config.allowed_function_names: only with mode ANY';
  }
  return undefined;
}

function generationProblem(config: unknown): string | undefined {
  if (config === undefined) return undefined;
  if (!isRecord(config)) return "Invalid value at 'generation_config'";
  for (const [name, value] of Object.entries(config)) {
    const kind = GENERATION_FIELDS[name];
    if (!kind) return unknownName(name, 'generation_config');
    const ok =
      kind === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : kind === 'integer'
          ? Number.isInteger(value)
          : kind === 'string'
            ? typeof value === 'string'
            : kind === 'strings'
              ? Array.isArray(value) && value.every((s) => typeof s === 'string')
              : isRecord(value);
    if (!ok) return `Invalid value at 'generation_config.${name}' (${typeof value})`;
  }
  if (typeof config.maxOutputTokens === 'number' && config.maxOutputTokens < 1) {
    return '* GenerateContentRequest.generation_config.max_output_tokens: must be positive';
  }
  if (Array.isArray(config.stopSequences) && config.stopSequences.length > 5) {
    return '* GenerateContentRequest.generation_config.stop_sequences: at most 5';
  }
  const thinking = config.thinkingConfig;
  if (
    isRecord(thinking) &&
    thinking.thinkingBudget !== undefined &&
    thinking.thinkingLevel !== undefined
  ) {
    return 'You can only set only one of thinking budget and thinking level.';
  }
  return schemaProblem(config.responseSchema, 'generation_config.response_schema');
}

/** The same for `batchEmbedContents`: text requests for the model in the URL. */
export function batchEmbedProblem(body: unknown, model: string): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected an object.';
  for (const name of Object.keys(body)) {
    if (name !== 'requests') return unknownName(name, '');
  }
  if (!Array.isArray(body.requests) || body.requests.length === 0) {
    return '* BatchEmbedContentsRequest.requests: requests is required';
  }
  for (const [i, request] of body.requests.entries()) {
    if (!isRecord(request)) return `Invalid value at 'requests[${i}]'`;
    for (const name of Object.keys(request)) {
      if (!['model', 'content', 'taskType', 'title', 'outputDimensionality'].includes(name)) {
        return unknownName(name, `requests[${i}]`);
      }
    }
    if (request.model !== `models/${model}`) {
      return `* BatchEmbedContentsRequest.requests[${i}].model: must be models/${model}`;
    }
    const parts = isRecord(request.content) ? request.content.parts : undefined;
    if (
      !Array.isArray(parts) ||
      parts.length === 0 ||
      !parts.every((p) => isRecord(p) && typeof p.text === 'string')
    ) {
      return `* BatchEmbedContentsRequest.requests[${i}].content: text parts required`;
    }
    const dimensions = request.outputDimensionality;
    if (dimensions !== undefined && !(Number.isInteger(dimensions) && (dimensions as number) > 0)) {
      return `Invalid value at 'requests[${i}].output_dimensionality'`;
    }
  }
  return undefined;
}
