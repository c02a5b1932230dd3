import { describe, expect, it } from 'vitest';
import { clientRequest, fixture, withoutTime } from './fixtures.js';
import { geminiReader } from './gemini-reader.js';

function answer(body: string | Buffer): Record<string, unknown> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return JSON.parse(withoutTime(geminiReader.clientAnswer(bytes, clientRequest()).toString()));
}

describe('Gemini whole answers', () => {
  for (const name of ['generate-content', 'function-call', 'safety-blocked', 'prompt-blocked']) {
    it(`converts ${name}.json to what OpenAI would answer`, () => {
      const expected = JSON.parse(fixture(`${name}.openai.json`).toString());
      expect(answer(fixture(`${name}.json`))).toEqual(expected);
    });
  }

  it('gives the same tool call ids every time it reads the same answer', () => {
    const first = answer(fixture('function-call.json'));
    const again = answer(fixture('function-call.json'));
    expect(again).toEqual(first);
    const ids = JSON.stringify(first).match(/call_[\w-]+/g) ?? [];
    expect(new Set(ids).size).toBe(2);
  });

  it('uses the id Gemini gave a call, when it gave one', () => {
    const body = {
      responseId: 'r1',
      candidates: [
        {
          content: { parts: [{ functionCall: { id: 'fc-7', name: 'f', args: {} } }] },
          finishReason: 'STOP',
        },
      ],
    };
    expect(answer(JSON.stringify(body))).toMatchObject({
      choices: [{ message: { tool_calls: [{ id: 'fc-7' }] }, finish_reason: 'tool_calls' }],
    });
  });

  it('gives a choice per candidate and maps every finish reason', () => {
    const candidate = (finishReason: string, index: number) => ({
      content: { parts: [{ text: `c${index}` }], role: 'model' },
      finishReason,
      index,
    });
    const reasons = [
      'STOP',
      'MAX_TOKENS',
      'RECITATION',
      'SPII',
      'MALFORMED_FUNCTION_CALL',
      'OTHER',
    ];
    const body = { candidates: reasons.map(candidate) };
    const choices = answer(JSON.stringify(body)).choices as { finish_reason: string }[];
    expect(choices.map((c) => c.finish_reason)).toEqual([
      'stop',
      'length',
      'content_filter',
      'content_filter',
      'stop',
      'stop',
    ]);
  });

  it('does not believe candidate indexes that are not small whole numbers', () => {
    const body = {
      candidates: [1.5, -1, 1e9, 'x'].map((index) => ({
        content: { parts: [{ text: 'a' }] },
        index,
      })),
    };
    const choices = answer(JSON.stringify(body)).choices as { index: number }[];
    expect(choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
  });

  it('reads the usage Gemini reported for billing, and the generated text for counting', () => {
    expect(geminiReader.usageOf(fixture('generate-content.json').toString())).toEqual({
      promptTokens: 14,
      completionTokens: 49,
      cachedTokens: 4,
    });
    expect(geminiReader.completionTextOf(fixture('function-call.json').toString())).toBe(
      '{"location":"London"}{"location":"Paris"}',
    );
  });

  it('answers junk without crashing: no candidates, wrong types, not JSON', () => {
    for (const body of [
      '',
      'not json',
      '[]',
      'null',
      '{"candidates":"x"}',
      '{"candidates":[7,null]}',
    ]) {
      const converted = answer(body);
      expect(converted).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
      expect(converted).not.toHaveProperty('usage');
      expect(geminiReader.usageOf(body)).toBeUndefined();
      expect(geminiReader.completionTextOf(body)).toBe('');
    }
    const parts = {
      candidates: [{ content: { parts: [{ text: 5 }, { functionCall: { args: 'x' } }] } }],
    };
    expect(answer(JSON.stringify(parts))).toMatchObject({
      choices: [
        {
          message: { content: null, tool_calls: [{ function: { name: '', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });
});
