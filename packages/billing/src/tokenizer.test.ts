import type * as TiktokenLite from 'js-tiktoken/lite';
import { describe, expect, it, vi } from 'vitest';
import { countText, encoderFor, tokenizerFor } from './tokenizer.js';

const built = vi.hoisted(() => ({ count: 0 }));

// Counts encoder constructions; the subclass encodes exactly like the real one.
vi.mock('js-tiktoken/lite', async (importOriginal) => {
  const real = await importOriginal<typeof TiktokenLite>();
  class CountedTiktoken extends real.Tiktoken {
    constructor(...args: ConstructorParameters<typeof real.Tiktoken>) {
      super(...args);
      built.count += 1;
    }
  }
  return { ...real, Tiktoken: CountedTiktoken };
});

describe('countText', () => {
  // Published in the openai-cookbook "How to count tokens with tiktoken".
  it.each([
    ['gpt-4', 'tiktoken is great!', 6],
    ['gpt-4o', 'tiktoken is great!', 6],
    ['gpt-4', 'antidisestablishmentarianism', 6],
    ['gpt-4o', 'antidisestablishmentarianism', 6],
    ['gpt-3.5-turbo', '2 + 2 = 4', 7],
    ['gpt-4o-mini', '2 + 2 = 4', 7],
    ['gpt-4', 'お誕生日おめでとう', 9],
    ['gpt-4o', 'お誕生日おめでとう', 8],
  ])('%s: %s is %i tokens', (model, text, tokens) => {
    expect(countText(text, model)).toBe(tokens);
  });

  it('produces the published token ids', () => {
    expect(encoderFor('o200k_base').encode('tiktoken is great!')).toEqual([
      83, 8251, 2488, 382, 2212, 0,
    ]);
    expect(encoderFor('cl100k_base').encode('antidisestablishmentarianism')).toEqual([
      519, 85342, 34500, 479, 8997, 2191,
    ]);
  });

  it('counts special-token strings a user typed as ordinary text instead of throwing', () => {
    // The special token itself would be 1 token; js-tiktoken's default encode refuses the text.
    expect(() => encoderFor('cl100k_base').encode('<|endoftext|>')).toThrow();
    expect(countText('<|endoftext|>', 'gpt-4')).toBe(7);
    expect(countText('<|endoftext|>', 'gpt-4o')).toBe(7);
    expect(countText('<|im_start|>user<|im_end|>', 'gpt-3.5-turbo')).toBe(13);
    expect(countText('hello <|endoftext|> world <|endofprompt|>', 'gpt-4o')).toBe(16);
  });

  it('matches a direct encode of mixed prose, code, CJK and emoji', () => {
    const text = [
      'Billing counts tokens when the upstream reports no usage.',
      'const total = messages.reduce((sum, m) => sum + count(m.content), 0);',
      '我们今天去公园散步，然后吃饭。東京は晴れです。',
      'Ünïcödé ✓ 🎉🎉 1234567890 https://example.com/a/b?c=d#e',
      '    indented\n\n\ttabs\r\n',
    ].join('\n');
    expect(countText(text, 'gpt-4')).toBe(encoderFor('cl100k_base').encode(text).length);
    expect(countText(text, 'gpt-4o')).toBe(encoderFor('o200k_base').encode(text).length);
  });

  it('counts a 20,000-letter word in one go (js-tiktoken alone takes ~30 s on a piece this long)', () => {
    // "aaaaaaaa" is one token in both encodings, so 32-letter slices lose nothing here.
    expect(countText('a'.repeat(20_000), 'gpt-4')).toBe(2_500);
    expect(countText('a'.repeat(20_000), 'gpt-4o')).toBe(2_500);
  });

  it('never cuts a surrogate pair when it slices a long piece', () => {
    const encoder = encoderFor('cl100k_base');
    const text = `!${'🎉'.repeat(20)}`; // 41 UTF-16 units; unit 31 is the first half of a 🎉
    const wholePairs =
      encoder.encode(text.slice(0, 33)).length + encoder.encode(text.slice(33)).length;
    const halfPairs =
      encoder.encode(text.slice(0, 32)).length + encoder.encode(text.slice(32)).length;
    expect(wholePairs).not.toBe(halfPairs);
    expect(countText(text, 'gpt-4')).toBe(wholePairs);
  });

  it('counts the empty string as 0', () => {
    expect(countText('', 'gpt-4o')).toBe(0);
  });
});

describe('encoders', () => {
  it('are built once per encoding and shared by every model and call', () => {
    for (let i = 0; i < 50; i += 1) {
      countText('some text', 'gpt-4o');
      countText('some text', 'o3-mini');
      countText('some text', 'gpt-4');
      countText('some text', 'claude-3-haiku');
    }
    const o200k = encoderFor('o200k_base');
    expect(encoderFor('o200k_base')).toBe(o200k);
    expect(encoderFor('cl100k_base')).not.toBe(o200k);
    expect(tokenizerFor('gpt-4o')).toBe(tokenizerFor('gpt-5-mini'));
    expect(built.count).toBe(2);
  });
});
