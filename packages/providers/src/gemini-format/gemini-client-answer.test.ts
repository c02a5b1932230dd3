import { describe, expect, it } from 'vitest';
import { SKIPPED_THOUGHT_SIGNATURE } from '../gemini/chat-contents.js';
import { reasoningAnswer, textAnswer, toolCallsAnswer } from './fixtures.js';
import { generateContentOfChat } from './gemini-client-answer.js';

const MODEL = 'gemini-2.5-flash';

describe('generateContentOfChat', () => {
  it('turns a text answer into one candidate, the cached prompt counted', () => {
    expect(generateContentOfChat(textAnswer, MODEL)).toEqual({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'Bonjour !' }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 2006,
        candidatesTokenCount: 4,
        totalTokenCount: 2010,
        cachedContentTokenCount: 1920,
      },
      modelVersion: MODEL,
      responseId: 'C3wqAzKb7Lr9xVtP2mYhN4sQeD1fG',
    });
  });

  it('turns tool calls into functionCall parts, arguments that do not parse into {}', () => {
    const answer = generateContentOfChat(toolCallsAnswer, MODEL);
    expect(answer.candidates).toEqual([
      {
        content: {
          role: 'model',
          parts: [
            {
              functionCall: {
                id: 'call_Qz8BvWmLk3TgR2xNpYc7Hs1D',
                name: 'get_weather',
                args: { location: 'Paris, France' },
              },
              thoughtSignature: SKIPPED_THOUGHT_SIGNATURE,
            },
            {
              functionCall: { id: 'call_Hn4KdP2sVx9LmQ7tRb3WcZ8e', name: 'get_weather', args: {} },
            },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ]);
    expect(answer.usageMetadata).toEqual({
      promptTokenCount: 85,
      candidatesTokenCount: 42,
      totalTokenCount: 127,
    });
  });

  it('puts the reasoning first as a thought part, its tokens counted apart', () => {
    const answer = generateContentOfChat(reasoningAnswer, MODEL);
    expect(answer.candidates).toEqual([
      {
        content: {
          role: 'model',
          parts: [
            { text: '1071 = 2 × 462 + 147; 462 = 3 × 147 + 21; 147 = 7 × 21.', thought: true },
            { text: 'The GCD is 21.' },
          ],
        },
        finishReason: 'MAX_TOKENS',
        index: 0,
      },
    ]);
    expect(answer.usageMetadata).toEqual({
      promptTokenCount: 20,
      candidatesTokenCount: 15,
      totalTokenCount: 80,
      thoughtsTokenCount: 45,
    });
  });

  it('maps every finish reason', () => {
    const finishReason = (finish: unknown) =>
      (
        generateContentOfChat({ choices: [{ message: {}, finish_reason: finish }] }, MODEL)
          .candidates as { finishReason: string }[]
      )[0]?.finishReason;
    expect(
      ['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'other', null].map(
        finishReason,
      ),
    ).toEqual(['STOP', 'MAX_TOKENS', 'STOP', 'STOP', 'SAFETY', 'OTHER', 'STOP']);
  });

  it('reads content parts and a refusal as the text', () => {
    const text = (message: unknown) =>
      generateContentOfChat({ choices: [{ message }] }, MODEL).candidates;
    expect(
      text({
        content: [
          { type: 'text', text: 'Once upon' },
          { type: 'text', text: ' a' },
        ],
      }),
    ).toMatchObject([{ content: { parts: [{ text: 'Once upon a' }] } }]);
    expect(text({ content: null, refusal: 'I cannot help with that.' })).toMatchObject([
      { content: { parts: [{ text: 'I cannot help with that.' }] } },
    ]);
  });

  it('survives answers that are not what they should be', () => {
    for (const chat of [undefined, 'text', [], { choices: 'x', usage: 'y', id: 5 }]) {
      expect(generateContentOfChat(chat, MODEL)).toEqual({
        candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'STOP', index: 0 }],
        modelVersion: MODEL,
        responseId: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      });
    }
  });

  it('counts invalid numbers as 0 and never more thoughts or cache than there is', () => {
    const usage = (counts: unknown) =>
      generateContentOfChat({ usage: counts }, MODEL).usageMetadata;
    expect(
      usage({
        prompt_tokens: 10,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 40 },
        completion_tokens_details: { reasoning_tokens: 9 },
      }),
    ).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 0,
      totalTokenCount: 15,
      cachedContentTokenCount: 10,
      thoughtsTokenCount: 5,
    });
    expect(usage({ prompt_tokens: '10', completion_tokens: -2.5 })).toEqual({
      promptTokenCount: 0,
      candidatesTokenCount: 0,
      totalTokenCount: 0,
    });
  });
});
