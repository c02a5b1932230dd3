import { describe, expect, it } from 'vitest';
import { sseEventData } from './event-data.js';

const data = (event: string) => sseEventData(Buffer.from(event));

describe('sseEventData', () => {
  it('reads data with or without the one space after the colon', () => {
    expect(data('data: {"a":1}\n\n')).toBe('{"a":1}');
    expect(data('data:{"a":1}\n\n')).toBe('{"a":1}');
    expect(data('data:  two spaces\n\n')).toBe(' two spaces');
    expect(data('data: [DONE]\r\n\r\n')).toBe('[DONE]');
  });

  it('joins several data lines with \\n, whatever the line endings', () => {
    expect(data('data: {"a":\ndata: 1}\n\n')).toBe('{"a":\n1}');
    expect(data('event: message\r\ndata: x\r\nid: 3\r\ndata: y\r\n\r\n')).toBe('x\ny');
    expect(data('data: x\rdata: y\r\r')).toBe('x\ny');
  });

  it('gives undefined for comments and events without data', () => {
    expect(data(': keep-alive\n\n')).toBeUndefined();
    expect(data(': OPENROUTER PROCESSING\n\n')).toBeUndefined();
    expect(data('event: ping\n\n')).toBeUndefined();
    expect(data('\n')).toBeUndefined();
  });

  it('takes a bare `data` line as empty data, and no other field for data', () => {
    expect(data('data\n\n')).toBe('');
    expect(data('data:\n\n')).toBe('');
    expect(data('database: x\ndata_x: y\n\n')).toBeUndefined();
  });

  it('decodes UTF-8 once the whole event is there', () => {
    expect(data('data: {"content":"你好！👋🏽"}\n\n')).toBe('{"content":"你好！👋🏽"}');
  });
});
