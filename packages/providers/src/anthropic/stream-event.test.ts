import { describe, expect, it } from 'vitest';
import { parseJson } from '../json-values.js';
import { parseStreamEvent } from './stream-event.js';

const delta = (index: string, text: string, after = '') =>
  `{"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${text}${after}}}`;

describe('parseStreamEvent', () => {
  it.each([
    ['a plain text delta', delta('0', '"Hello"')],
    ['escapes, quotes and braces inside the text', delta('3', '"say \\"}}\\" \\u4f60\\n\\\\"')],
    ['an emoji and an empty text', delta('12', '"🌍"')],
    ['an empty text', delta('0', '""')],
    ['a field after the text', delta('0', '"a"', ',"extra":{"b":1}')],
    ['a text that is not a string', delta('0', '42')],
    ['an index that is not a number', delta('"x"', '"a"')],
    ['an index with a leading zero (not JSON)', delta('01', '"a"')],
    ['an unterminated text (not JSON)', delta('0', '"a')],
    ['another event', '{"type":"message_stop"}'],
    [
      'a thinking delta',
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}',
    ],
    [
      'spaces where Anthropic writes none',
      '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}}',
    ],
    ['not JSON at all', '{not json'],
  ])('reads %s as JSON.parse does', (_name, data) => {
    expect(parseStreamEvent(data)).toEqual(parseJson(data));
  });
});
