import { toolCallId } from '../gemini/tool-call-id.js';
import { isRecord, stringOf, type JsonObject } from '../json-values.js';
import { filePart, inlinePart } from './gemini-client-media.js';
import { absent, invalid, quoted, requiredString } from './gemini-request-error.js';

/**
 * The kinds of data a Part holds (one each), in the order they are looked for. The last four are
 * traces of Google's server-side tools (code execution…): nothing to replay to another model.
 */
const KINDS = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
  'toolCall',
  'toolResponse',
] as const;

type Kind = (typeof KINDS)[number];

/** `systemInstruction` (a Content of text parts, or a string) as the system message. */
export function systemMessages(system: unknown): JsonObject[] {
  if (absent(system)) return [];
  let text: string;
  if (typeof system === 'string') text = system;
  else {
    if (!isRecord(system)) invalid('systemInstruction', 'must be a Content or a string');
    const parts = partsOf(system.parts, 'systemInstruction.parts');
    text = parts
      .map((part, i) => requiredString(part.text, `systemInstruction.parts[${i}].text`))
      .join('\n\n');
  }
  return text === '' ? [] : [{ role: 'system', content: text }];
}

/**
 * `contents` as OpenAI chat messages. Turns are `user` (or no role), `model`, and `function` for
 * old clients' function responses. Consecutive model turns are one answer (the GenAI SDK keeps
 * each streamed chunk as a turn of its own) and make one assistant message; a user turn's
 * function responses become tool messages right after it, then its other parts a user message.
 */
export function chatMessagesOfContents(contents: unknown): JsonObject[] {
  if (!Array.isArray(contents)) invalid('contents', 'must be an array of Content');
  const conversation = new Conversation();
  contents.forEach((content, i) => {
    const field = `contents[${i}]`;
    if (!isRecord(content)) invalid(field, 'must be a Content object');
    const parts = partsOf(content.parts, `${field}.parts`);
    const role = absent(content.role) ? 'user' : content.role;
    if (role === 'model') conversation.model(parts, i, `${field}.parts`);
    else if (role === 'user' || role === 'function') conversation.user(parts, `${field}.parts`);
    else invalid(`${field}.role`, 'must be "user" or "model"');
  });
  return conversation.messages();
}

function partsOf(parts: unknown, field: string): JsonObject[] {
  if (!Array.isArray(parts)) invalid(field, 'must be an array of Part');
  return parts.map((part, i) => {
    if (!isRecord(part)) invalid(`${field}[${i}]`, 'must be a Part object');
    return part;
  });
}

function kindOf(part: JsonObject, field: string): Kind {
  const kind = KINDS.find((k) => !absent(part[k]));
  if (kind === undefined) {
    invalid(field, 'must hold text, inlineData, fileData, functionCall or functionResponse');
  }
  return kind;
}

/** A function call of the last model turn, waiting for its response. */
interface Call {
  id: string;
  name: string;
  answered: boolean;
}

class Conversation {
  readonly #messages: JsonObject[] = [];
  /** The assistant message being assembled from consecutive model turns. */
  #text: string | undefined;
  #toolCalls: JsonObject[] = [];
  #calls: Call[] = [];

  model(parts: JsonObject[], turn: number, field: string): void {
    if (this.#text === undefined) {
      this.#text = '';
      this.#toolCalls = [];
      this.#calls = [];
    }
    for (const [i, part] of parts.entries()) {
      const at = `${field}[${i}]`;
      const kind = kindOf(part, at);
      if (kind === 'text') {
        const text = requiredString(part.text, `${at}.text`);
        // Thought summaries are the model's own notes, not its answer.
        if (part.thought !== true) this.#text += text;
      } else if (kind === 'functionCall') {
        this.#functionCall(part.functionCall, turn, i, `${at}.functionCall`);
      } else if (kind === 'functionResponse') {
        invalid(`${at}.functionResponse`, 'belongs to a user turn');
      }
      // Generated media and server tool traces have no place in an assistant message.
    }
  }

  user(parts: JsonObject[], field: string): void {
    this.#closeModel();
    const content: JsonObject[] = [];
    for (const [i, part] of parts.entries()) {
      const at = `${field}[${i}]`;
      const kind = kindOf(part, at);
      if (kind === 'text') {
        const text = requiredString(part.text, `${at}.text`);
        if (text !== '') content.push({ type: 'text', text });
      } else if (kind === 'inlineData') {
        content.push(inlinePart(part.inlineData, `${at}.inlineData`));
      } else if (kind === 'fileData') {
        content.push(filePart(part.fileData, `${at}.fileData`));
      } else if (kind === 'functionResponse') {
        // OpenAI wants the tool messages right after the assistant's calls.
        this.#messages.push(this.#toolMessage(part.functionResponse, `${at}.functionResponse`));
      } else if (kind === 'functionCall') {
        invalid(`${at}.functionCall`, 'belongs to a model turn');
      }
      // Server tool traces are Google's to read.
    }
    if (content.length === 0) return;
    const only = content[0];
    // A lone text as a plain string: the form every OpenAI-compatible upstream takes.
    const single = content.length === 1 && only?.type === 'text' ? only.text : undefined;
    this.#messages.push({ role: 'user', content: single ?? content });
  }

  messages(): JsonObject[] {
    this.#closeModel();
    return this.#messages;
  }

  #functionCall(call: unknown, turn: number, index: number, field: string): void {
    if (!isRecord(call)) invalid(field, 'must be an object with name and args');
    const name = requiredString(call.name, `${field}.name`);
    if (name === '') invalid(`${field}.name`, 'must name the function');
    if (!absent(call.args) && !isRecord(call.args)) invalid(`${field}.args`, 'must be an object');
    const args = JSON.stringify(call.args ?? {});
    // Gemini often leaves calls without ids: one derived from the call's place stays the same
    // each time the conversation is sent, so the response that follows pairs with it.
    const id =
      stringOf(call.id) ||
      toolCallId({ responseId: undefined, choice: turn, call: index, name, args });
    this.#toolCalls.push({ id, type: 'function', function: { name, arguments: args } });
    this.#calls.push({ id, name, answered: false });
  }

  /** A response pairs with its call by id, else with the first unanswered call of its name. */
  #toolMessage(response: unknown, field: string): JsonObject {
    if (!isRecord(response)) invalid(field, 'must be an object with name and response');
    const name = requiredString(response.name, `${field}.name`);
    if (!absent(response.response) && !isRecord(response.response)) {
      invalid(`${field}.response`, 'must be an object');
    }
    const id = stringOf(response.id);
    const call =
      this.#calls.find((c) => id !== undefined && c.id === id) ??
      this.#calls.find((c) => !c.answered && c.name === name);
    if (call === undefined && id === undefined) {
      invalid(field, `answers no functionCall named ${quoted(name)} in the model turn before it`);
    }
    if (call) call.answered = true;
    return {
      role: 'tool',
      tool_call_id: call?.id ?? id,
      content: JSON.stringify(response.response ?? {}),
    };
  }

  #closeModel(): void {
    const text = this.#text;
    if (text === undefined) return;
    this.#text = undefined;
    if (this.#toolCalls.length > 0) {
      this.#messages.push({
        role: 'assistant',
        content: text === '' ? null : text,
        tool_calls: this.#toolCalls,
      });
    } else if (text !== '') {
      this.#messages.push({ role: 'assistant', content: text });
    }
  }
}
