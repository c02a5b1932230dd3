/**
 * The parts of an OpenAI chat request that become prompt tokens. Bodies reach billing as the
 * client sent them, so the counters tolerate anything else (unknown fields, wrong types)
 * rather than throw on the request path.
 */
export interface ChatPromptRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ChatTool[] | null;
  /** The deprecated `functions` parameter: definitions without the tool wrapper. */
  functions?: readonly FunctionDefinition[] | null;
}

export interface ChatMessage {
  role: string;
  content?: string | readonly ChatContentPart[] | null;
  name?: string | null;
  tool_calls?: readonly ChatToolCall[] | null;
  /** The deprecated single call of the `functions` API. */
  function_call?: FunctionCall | null;
  tool_call_id?: string;
}

/** `text`, `image_url` and `refusal` parts are counted; audio and file parts are not. */
export interface ChatContentPart {
  type: string;
  text?: string;
  refusal?: string;
  image_url?: { url: string; detail?: string };
}

export interface ChatTool {
  type?: string;
  function?: FunctionDefinition;
}

export interface FunctionDefinition {
  name: string;
  description?: string;
  /** A JSON Schema object. */
  parameters?: Readonly<Record<string, unknown>>;
}

export interface ChatToolCall {
  id?: string;
  type?: string;
  function: FunctionCall;
}

export interface FunctionCall {
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
}
