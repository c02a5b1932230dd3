import { createHash } from 'node:crypto';

/**
 * The id a client sees for a Gemini function call, which has none of its own (or one that is
 * not always set): derived from the answer's id and the call's place, so the same answer
 * always gives the same ids. Without an answer id, from the call itself.
 */
export function toolCallId(options: {
  responseId: string | undefined;
  choice: number;
  call: number;
  name: string;
  args: string;
}): string {
  const { responseId, choice, call, name, args } = options;
  const seed = responseId
    ? `${responseId}\n${choice}\n${call}`
    : `${choice}\n${call}\n${name}\n${args}`;
  return `call_${createHash('sha256').update(seed).digest('base64url').slice(0, 24)}`;
}
