interface ChoiceContent {
  content?: unknown;
  /** DeepSeek-style reasoning: completion tokens the upstream bills too. */
  reasoning_content?: unknown;
  tool_calls?: unknown;
  /** The deprecated single function call. */
  function_call?: { arguments?: unknown } | null;
}

interface ChunkChoice {
  /** Legacy completions. */
  text?: unknown;
  /** Streamed chunks carry a delta; whole answers a message of the same shape. */
  delta?: ChoiceContent | null;
  message?: ChoiceContent | null;
}

interface ToolCallDelta {
  function?: { arguments?: unknown } | null;
}

/**
 * The generated text a parsed chat.completion(.chunk) or text_completion carries:
 * content, legacy text, reasoning and tool-call arguments, in that order per choice.
 * What billing counts when the upstream reports no usage.
 */
export function openAIChunkText(chunk: unknown): string {
  const choices = (chunk as { choices?: unknown } | null)?.choices;
  if (!Array.isArray(choices)) return '';
  let text = '';
  for (const choice of choices as (ChunkChoice | null)[]) {
    text += str(choice?.text);
    const delta = choice?.delta ?? choice?.message;
    if (!delta) continue;
    text += str(delta.content) + str(delta.reasoning_content) + str(delta.function_call?.arguments);
    if (!Array.isArray(delta.tool_calls)) continue;
    for (const call of delta.tool_calls as (ToolCallDelta | null)[]) {
      text += str(call?.function?.arguments);
    }
  }
  return text;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
