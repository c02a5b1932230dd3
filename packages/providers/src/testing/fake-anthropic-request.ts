/**
 * What the real Messages API refuses in a request, checked by the fake Anthropic so that a
 * converter sending a shape Anthropic would reject fails its tests. Each check answers with the
 * message a 400 `invalid_request_error` would carry; undefined when the body is acceptable.
 */

type Json = Record<string, unknown>;

const USER_BLOCKS = new Set(['text', 'image', 'document', 'tool_result']);
const ASSISTANT_BLOCKS = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);
const TOP_LEVEL = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
]);

export function messagesRequestProblem(body: unknown): string | undefined {
  if (!isJson(body)) return 'The request body is not valid JSON.';
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) return `${key}: Extra inputs are not permitted`;
  }
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    return 'max_tokens: Input should be a valid integer greater than or equal to 1';
  }
  const { temperature } = body;
  if (temperature !== undefined) {
    if (typeof temperature !== 'number' || temperature < 0 || temperature > 1) {
      return 'temperature: Input should be less than or equal to 1';
    }
  }
  return systemProblem(body.system) ?? thinkingProblem(body) ?? messagesProblem(body.messages);
}

function systemProblem(system: unknown): string | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list';
  const ok = system.every((b) => isJson(b) && b.type === 'text' && typeof b.text === 'string');
  return ok ? undefined : 'system: each block must be a text block';
}

function thinkingProblem(body: Json): string | undefined {
  const thinking = body.thinking;
  if (thinking === undefined) return undefined;
  if (!isJson(thinking) || thinking.type !== 'enabled') return undefined;
  const budget = thinking.budget_tokens;
  if (!Number.isInteger(budget) || (budget as number) < 1024) {
    return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
  }
  if ((body.max_tokens as number) <= (budget as number)) {
    return '`max_tokens` must be greater than `thinking.budget_tokens`.';
  }
  const choice = isJson(body.tool_choice) ? body.tool_choice.type : undefined;
  if (choice === 'any' || choice === 'tool') {
    return 'Thinking may not be enabled when tool_choice forces tool use.';
  }
  if (body.temperature !== undefined && body.temperature !== 1) {
    return '`temperature` may only be set to 1 when thinking is enabled.';
  }
  return undefined;
}

function messagesProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) {
    return 'messages: at least one message is required';
  }
  let previousToolUses = new Set<string>();
  for (const [i, message] of messages.entries()) {
    if (!isJson(message)) return `messages.${i}: Input should be a valid dictionary`;
    const expected = i % 2 === 0 ? 'user' : 'assistant';
    if (message.role !== expected) {
      return i === 0
        ? 'messages: first message must use the "user" role'
        : 'messages: roles must alternate between "user" and "assistant"';
    }
    const blocks = blocksOf(message.content);
    if (!blocks) return `messages.${i}.content: Input should be a valid string or list`;
    const allowed = message.role === 'user' ? USER_BLOCKS : ASSISTANT_BLOCKS;
    for (const [j, block] of blocks.entries()) {
      const where = `messages.${i}.content.${j}`;
      if (!allowed.has(String(block.type))) {
        return `${where}.type: unexpected block type ${String(block.type)} in a ${String(message.role)} message`;
      }
      if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) {
        return `${where}: text content blocks must be non-empty`;
      }
      if (block.type === 'tool_result' && !previousToolUses.has(String(block.tool_use_id))) {
        return `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
      if (block.type === 'tool_use' && !isJson(block.input)) {
        return `${where}.input: Input should be a valid dictionary`;
      }
    }
    previousToolUses = new Set(
      blocks.filter((b) => b.type === 'tool_use').map((b) => String(b.id)),
    );
  }
  return undefined;
}

function blocksOf(content: unknown): Json[] | undefined {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content) || !content.every(isJson)) return undefined;
  return content;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
