import { describe, expect, it } from 'vitest';
import { anthropicReader } from './anthropic-reader.js';
import { clientRequest, fixture, withoutTime } from './fixtures.js';

function answer(body: Buffer | object) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return JSON.parse(withoutTime(anthropicReader.clientAnswer(bytes, clientRequest()).toString()));
}

describe('whole Anthropic answers', () => {
  for (const name of ['text-answer', 'tool-use-answer']) {
    it(`converts ${name}.json to OpenAI's chat.completion`, () => {
      expect(answer(fixture(`${name}.json`))).toEqual(
        JSON.parse(fixture(`${name}.openai.json`).toString()),
      );
    });
  }

  it('reads usage, prompt including the cached tokens', () => {
    expect(anthropicReader.usageOf(fixture('tool-use-answer.json').toString())).toEqual({
      promptTokens: 584,
      completionTokens: 73,
      cachedTokens: 200,
    });
    expect(anthropicReader.usageOf('not json')).toBeUndefined();
  });

  it('gives thinking as reasoning_content and maps each stop reason', () => {
    const message = (stop_reason: string) => ({
      id: 'msg_1',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'x' },
        { type: 'text', text: 'Yes.' },
      ],
      stop_reason,
      usage: { input_tokens: 1, output_tokens: 2 },
    });
    const reply = answer(message('end_turn'));
    expect(reply.choices[0].message).toMatchObject({ content: 'Yes.', reasoning_content: 'Hmm.' });
    const reasons = ['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'refusal'].map(
      (reason) => answer(message(reason)).choices[0].finish_reason,
    );
    expect(reasons).toEqual(['stop', 'stop', 'length', 'tool_calls', 'content_filter']);
  });

  it('keeps the tool_use ids, so the results the client sends back match', () => {
    const reply = answer(fixture('tool-use-answer.json'));
    expect(reply.choices[0].message.tool_calls[0].id).toBe('toolu_01A09q90qw90lq917835lq9');
  });

  it('counts the generated text of an answer when no usage came', () => {
    expect(anthropicReader.completionTextOf(fixture('tool-use-answer.json').toString())).toBe(
      'I\'ll check the weather in San Francisco for you.{"location":"San Francisco, CA","unit":"celsius"}',
    );
    expect(anthropicReader.completionTextOf('<html>')).toBe('');
  });

  it('answers without usage rather than with made-up numbers when usage is hostile', () => {
    const reply = answer({
      id: 'msg_2',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: -5, output_tokens: 2 },
    });
    expect(reply.usage).toBeUndefined();
    expect(answer('garbage' as unknown as object).choices[0].message.content).toBe('');
  });
});
