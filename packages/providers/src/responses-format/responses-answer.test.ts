import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../json-values.js';
import {
  lengthAnswer,
  reasoningAnswer,
  refusalAnswer,
  textAnswer,
  toolCallsAnswer,
  toolRoundTripRequest,
} from './fixtures.js';
import { responseOfChat } from './responses-answer.js';

const plain = { model: 'gpt-4.1-mini', body: { model: 'gpt-4.1-mini', input: 'Say hello.' } };

describe('responseOfChat', () => {
  afterEach(() => vi.useRealTimers());

  it('turns a text answer into a completed Response with the usage and the request echoed', () => {
    expect(responseOfChat(textAnswer, plain)).toEqual({
      id: 'resp_Cq1TxtAns8Rv2',
      object: 'response',
      created_at: 1760000000,
      status: 'completed',
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      model: 'gpt-4.1-mini',
      output: [
        {
          id: 'msg_Cq1TxtAns8Rv2_0',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Bonjour !', annotations: [] }],
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: null,
      store: false,
      temperature: null,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      usage: {
        input_tokens: 2006,
        input_tokens_details: { cached_tokens: 1920 },
        output_tokens: 4,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 2010,
      },
      metadata: {},
    });
  });

  it("echoes the client's settings, not the hub's", () => {
    const response = responseOfChat(textAnswer, { model: 'gpt-4.1', body: toolRoundTripRequest });
    expect(response).toMatchObject({
      model: 'gpt-4.1',
      instructions: 'You are a weather assistant.',
      max_output_tokens: 800,
      temperature: 0.3,
      top_p: 0.9,
      tools: toolRoundTripRequest.tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      text: { format: { type: 'text' }, verbosity: 'medium' },
      metadata: { session: 'weather-7' },
      store: false,
    });
  });

  it('turns text and tool calls into a message and one function_call item per call', () => {
    const response = responseOfChat(toolCallsAnswer, plain);
    expect(response.output).toEqual([
      {
        id: 'msg_Cq1ToolAns3Kd_0',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
      },
      {
        id: 'fc_Cq1ToolAns3Kd_1',
        type: 'function_call',
        status: 'completed',
        // Arguments go as the model wrote them, even cut short: the client judges them.
        arguments: '{"location":"Paris"}',
        call_id: 'call_Paris4kTq2',
        name: 'get_weather',
      },
      {
        id: 'fc_Cq1ToolAns3Kd_2',
        type: 'function_call',
        status: 'completed',
        arguments: '{"location":"Ly',
        call_id: 'call_Lyon7mWx9',
        name: 'get_weather',
      },
    ]);
    expect(response.status).toBe('completed');
    expect(response.usage).toMatchObject({ input_tokens_details: { cached_tokens: 0 } });
  });

  it('puts the reasoning first as a reasoning item with its summary, counting its tokens', () => {
    const response = responseOfChat(reasoningAnswer, plain);
    expect(response.id).toBe('resp_9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47');
    expect(response.output).toEqual([
      {
        id: 'rs_9a1c0d4e-5b2f-4e7a-8c3d-6f1b2a9e0c47_0',
        type: 'reasoning',
        summary: [
          {
            type: 'summary_text',
            text: '1071 = 2 × 462 + 147; 462 = 3 × 147 + 21; 147 = 7 × 21.',
          },
        ],
      },
      expect.objectContaining({
        type: 'message',
        content: [expect.objectContaining({ text: 'The GCD is 21.' })],
      }),
    ]);
    expect(response.usage).toMatchObject({ output_tokens_details: { reasoning_tokens: 45 } });
  });

  it('reports an answer cut off by the limit as incomplete, its message too', () => {
    const response = responseOfChat(lengthAnswer, plain);
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', status: 'incomplete', content: [{ text: 'Once upon a' }] }],
    });
    const filtered = {
      ...lengthAnswer,
      choices: [{ message: {}, finish_reason: 'content_filter' }],
    };
    expect(responseOfChat(filtered, plain)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it('gives a refusal as a refusal part', () => {
    expect(responseOfChat(refusalAnswer, plain).output).toEqual([
      {
        id: 'msg_Cq1RefAns6Wm_0',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'refusal', refusal: "I'm sorry, I can't help with that." }],
      },
    ]);
  });

  it('makes up what an upstream left out or got wrong, and reports no usage it did not give', () => {
    vi.useFakeTimers({ now: 1_760_000_999_500 });
    const odd: JsonObject = {
      created: 1e300,
      choices: [{ message: { content: 'x', tool_calls: [{ function: { arguments: 7 } }] } }],
      usage: { prompt_tokens: -1, completion_tokens: 2.5 },
    };
    const response = responseOfChat(odd, plain);
    expect(response.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(response.created_at).toBe(1_760_000_999);
    expect(response.output).toEqual([
      expect.objectContaining({ id: `msg_${String(response.id).slice(5)}_0` }),
      expect.objectContaining({
        call_id: expect.stringMatching(/^call_/),
        name: '',
        arguments: '',
      }),
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 0, output_tokens: 0, total_tokens: 0 });
    expect(responseOfChat({ ...textAnswer, usage: undefined }, plain).usage).toBeNull();
    expect(responseOfChat('not an answer', plain)).toMatchObject({
      status: 'completed',
      output: [],
    });
  });

  it("answers a freeform tool's call as a custom_tool_call with its raw input", () => {
    const chat = {
      id: 'chatcmpl-C1',
      created: 1760000000,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_P',
                type: 'function',
                function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    const body = { model: 'gpt-5', input: 'hi', tools: [{ type: 'custom', name: 'apply_patch' }] };
    expect(responseOfChat(chat, { model: 'gpt-5', body }).output).toEqual([
      {
        id: 'ctc_C1_0',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'call_P',
        name: 'apply_patch',
        input: '*** Begin Patch',
      },
    ]);
  });
});
