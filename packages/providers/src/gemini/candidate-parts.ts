import { isRecord, recordsOf, stringOf, type JsonObject } from '../json-values.js';

/** What one part of a Gemini candidate adds to the OpenAI answer. */
export type CandidatePiece =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'call'; name: string; args: string; id: string | undefined };

/**
 * A candidate's parts in order: text, thought summaries (`thought: true`) as reasoning, and
 * function calls with their arguments as JSON text. Neighbouring texts of one kind are joined;
 * parts of other kinds (code execution, generated images) are not carried into OpenAI's format.
 */
export function candidatePieces(candidate: unknown): CandidatePiece[] {
  const content = isRecord(candidate) ? candidate.content : undefined;
  const parts = isRecord(content) ? recordsOf(content.parts) : [];
  const pieces: CandidatePiece[] = [];
  for (const part of parts) {
    const text = stringOf(part.text);
    if (text !== undefined) {
      const kind = part.thought === true ? 'reasoning' : 'text';
      const last = pieces.at(-1);
      if (last?.kind === kind) last.text += text;
      else if (text !== '') pieces.push({ kind, text });
      continue;
    }
    if (isRecord(part.functionCall)) {
      const call = part.functionCall;
      const args = isRecord(call.args) ? JSON.stringify(call.args) : '{}';
      pieces.push({
        kind: 'call',
        name: stringOf(call.name) ?? '',
        args,
        id: stringOf(call.id) || undefined,
      });
    }
  }
  return pieces;
}

/** More candidates than any request can ask for: an index past this is not believed. */
const MAX_CANDIDATES = 128;

/** The choice index of a candidate: its own `index` when sane, else its place in the list. */
export function candidateIndex(candidate: JsonObject, position: number): number {
  const { index } = candidate;
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < MAX_CANDIDATES
    ? (index as number)
    : position;
}
