import { parseJson } from '../json-values.js';

const DELTA_HEAD = '{"type":"content_block_delta","index":';
const TEXT_HEAD = ',"delta":{"type":"text_delta","text":';
const TAIL = '}}';

/**
 * One event of Anthropic's stream, parsed. Text deltas, nearly every event of an answer, are
 * read without JSON.parse building their objects when written exactly as Anthropic writes them:
 * `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`. Anything
 * else, or anything the quick read is unsure of, goes through JSON.parse.
 */
export function parseStreamEvent(data: string): unknown {
  if (data.startsWith(DELTA_HEAD) && data.endsWith(TAIL)) {
    const textAt = data.indexOf(TEXT_HEAD, DELTA_HEAD.length);
    const index = textAt > DELTA_HEAD.length ? data.slice(DELTA_HEAD.length, textAt) : '';
    if (/^(?:0|[1-9]\d{0,5})$/.test(index)) {
      // Parsed alone, the rest is a string only if nothing else hides in it.
      const text = parseJson(data.slice(textAt + TEXT_HEAD.length, -TAIL.length));
      if (typeof text === 'string') {
        return {
          type: 'content_block_delta',
          index: Number(index),
          delta: { type: 'text_delta', text },
        };
      }
    }
  }
  return parseJson(data);
}
