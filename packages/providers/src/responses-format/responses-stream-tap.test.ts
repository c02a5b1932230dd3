import { describe, expect, it } from 'vitest';
import type { StreamTap } from '../adapter.js';
import { anthropicReader } from '../anthropic/anthropic-reader.js';
import { clientRequest, fixture } from '../anthropic/fixtures.js';
import type { JsonObject } from '../json-values.js';
import { OpenAIStreamTap } from '../openai-sse/openai-stream-tap.js';
import {
  errorStream,
  lengthStream,
  parallelToolStream,
  reasoningStream,
  responsesEvents,
  textStream,
  toolStream,
  type ResponsesEvent,
} from './fixtures.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';

const REQUEST = { model: 'gpt-4.1', body: { model: 'gpt-4.1', input: 'hi', stream: true } };

/** The OpenAI tap as the OpenAI adapter builds it for a Responses client (usage always read). */
function openAITap(): StreamTap {
  return new OpenAIStreamTap({ stripUsageChunk: false, collectText: true });
}

/** What the Responses client receives when the upstream's bytes arrive in these chunks. */
function run(chunks: Buffer[], inner: StreamTap = openAITap()) {
  const tap = new ResponsesStreamTap(inner, REQUEST);
  const out = chunks.map((chunk) => tap.push(chunk));
  out.push(tap.end());
  return {
    text: Buffer.concat(out).toString(),
    usage: tap.usage,
    completionText: tap.completionText,
    failed: tap.failed,
  };
}

const types = (events: ResponsesEvent[]) => events.map((event) => event.type);

/**
 * The output a client rebuilds from the events, as the OpenAI SDK's accumulator does, checking
 * that each item's done event holds what its deltas built.
 */
function accumulated(events: ResponsesEvent[]): JsonObject[] {
  const output: JsonObject[] = [];
  const item = (event: ResponsesEvent) => output[event.output_index as number] as JsonObject;
  const list = (event: ResponsesEvent, field: string) => item(event)[field] as JsonObject[];
  for (const event of events) {
    const delta = event.delta as string;
    switch (event.type) {
      case 'response.output_item.added':
        output.push(structuredClone(event.item as JsonObject));
        break;
      case 'response.content_part.added':
        list(event, 'content').push(structuredClone(event.part as JsonObject));
        break;
      case 'response.reasoning_summary_part.added':
        list(event, 'summary').push(structuredClone(event.part as JsonObject));
        break;
      case 'response.output_text.delta':
        (list(event, 'content')[event.content_index as number] as { text: string }).text += delta;
        break;
      case 'response.reasoning_summary_text.delta':
        (list(event, 'summary')[event.summary_index as number] as { text: string }).text += delta;
        break;
      case 'response.function_call_arguments.delta':
        (item(event) as { arguments: string }).arguments += delta;
        break;
      case 'response.output_item.done':
        expect({ ...(event.item as JsonObject), status: undefined }).toEqual({
          ...item(event),
          status: undefined,
        });
        output[event.output_index as number] = event.item as JsonObject;
    }
  }
  return output;
}

/** The last event's response, checked against what the events built. */
function finalResponse(events: ResponsesEvent[]): JsonObject {
  const response = events.at(-1)?.response as JsonObject;
  expect(response.output).toEqual(accumulated(events));
  return response;
}

describe('ResponsesStreamTap', () => {
  const streams = { textStream, toolStream, parallelToolStream, reasoningStream, errorStream };
  for (const [name, stream] of Object.entries(streams)) {
    it(`writes ${name} the same however the bytes are cut`, () => {
      const bytes = Buffer.from(stream);
      const whole = run([bytes]);
      expect(whole.text).not.toBe('');
      for (let cut = 1; cut < bytes.length; cut++) {
        expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
      }
      const oneByOne = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
      expect(run(oneByOne)).toEqual(whole);
    });
  }

  it('streams a text answer as one message, then the whole response with its usage', () => {
    const result = run([Buffer.from(textStream)]);
    const events = responsesEvents(result.text);
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[0]?.sequence_number).toBe(0);
    expect(events[4]).toEqual({
      type: 'response.output_text.delta',
      sequence_number: 4,
      item_id: 'msg_Cq1TxtStr8Rv2_0',
      output_index: 0,
      content_index: 0,
      delta: 'Bonjour',
      logprobs: [],
    });
    expect(events[7]).toMatchObject({ text: 'Bonjour, wörld 👋 !' });
    expect(finalResponse(events)).toMatchObject({
      id: 'resp_Cq1TxtStr8Rv2',
      status: 'completed',
      model: 'gpt-4.1',
      usage: {
        input_tokens: 2006,
        input_tokens_details: { cached_tokens: 1920 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 2011,
      },
    });
    // Billing still reads the OpenAI tap.
    expect(result.usage).toEqual({ promptTokens: 2006, completionTokens: 5, cachedTokens: 1920 });
    expect(result.completionText).toBe('Bonjour, wörld 👋 !');
  });

  it('streams text then a function call whose arguments arrive in fragments', () => {
    const events = responsesEvents(run([Buffer.from(toolStream)]).text);
    expect(types(events).slice(8)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const response = finalResponse(events);
    expect(response.output).toEqual([
      expect.objectContaining({
        type: 'message',
        content: [expect.objectContaining({ text: 'Let me check.' })],
      }),
      {
        id: 'fc_Cq1ToolStr3Kd_1',
        type: 'function_call',
        status: 'completed',
        arguments: '{"location":"東京"}',
        call_id: 'call_Tokyo2zXc8',
        name: 'get_weather',
      },
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 1180, output_tokens: 15 });
  });

  it('streams two parallel tool calls as two function_call items', () => {
    const events = responsesEvents(run([Buffer.from(parallelToolStream)]).text);
    const output = finalResponse(events).output as JsonObject[];
    expect(
      output.map((item) => [item.call_id, item.name, JSON.parse(String(item.arguments))]),
    ).toEqual([
      ['call_Pa1sX8vR3m', 'get_weather', { location: 'Paris' }],
      ['call_Ly2oN7wQ4j', 'get_time', { timezone: 'Europe/Paris' }],
    ]);
    expect(types(events).filter((type) => type === 'response.output_item.done')).toHaveLength(2);
  });

  it('streams reasoning as a reasoning item with a summary before the message', () => {
    const events = responsesEvents(run([Buffer.from(reasoningStream)]).text);
    expect(types(events).slice(2, 8)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
    ]);
    const response = finalResponse(events);
    expect(response.output).toMatchObject([
      { type: 'reasoning', summary: [{ text: '1071 = 2 × 462 + 147; 462 = 3 × 147 + 21' }] },
      { type: 'message', content: [{ text: 'The GCD is 21.' }] },
    ]);
    // The usage came on the finish chunk, as DeepSeek sends it.
    expect(response.usage).toMatchObject({ output_tokens_details: { reasoning_tokens: 45 } });
  });

  it('ends an answer cut off by the limit with response.incomplete', () => {
    const events = responsesEvents(run([Buffer.from(lengthStream)]).text);
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: {
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [{ status: 'incomplete', content: [{ text: 'Once upon' }] }],
        usage: { input_tokens: 12, output_tokens: 2 },
      },
    });
  });

  it("ends with error and response.failed when OpenAI's stream reports an error", () => {
    const events = responsesEvents(run([Buffer.from(errorStream)]).text);
    expect(types(events).slice(-3)).toEqual([
      'response.output_text.delta',
      'error',
      'response.failed',
    ]);
    const message = 'The server had an error while processing your request. Sorry about that!';
    expect(events.at(-2)).toMatchObject({
      message,
      code: null,
      error: { type: 'server_error', message },
    });
    expect(events.at(-1)?.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message },
    });
  });

  it('ends with the failure events after a transport failure mid-answer', () => {
    const tap = new ResponsesStreamTap(openAITap(), REQUEST);
    const sent = tap.push(Buffer.from(textStream.slice(0, textStream.indexOf(', wörld') + 3)));
    const error = { message: 'upstream timed out', type: 'upstream_error', code: 'timeout' };
    const events = responsesEvents(Buffer.concat([sent, tap.endWithError(error)]).toString());
    expect(types(events).slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.at(-1)?.response).toMatchObject({ error: { code: 'timeout' } });
    expect(tap.end().length).toBe(0);
  });

  it('ends the response when the stream closes without [DONE]', () => {
    const noDone = Buffer.from(textStream.replace('data: [DONE]\n\n', ''));
    expect(run([noDone]).text).toBe(run([Buffer.from(textStream)]).text);
  });

  it('reads a last event that lacks its blank line', () => {
    const bytes = Buffer.from(textStream.slice(0, -2));
    expect(run([bytes]).text).toBe(run([Buffer.from(textStream)]).text);
  });

  it('answers an empty upstream stream with a whole empty response', () => {
    const events = responsesEvents(run([]).text);
    expect(types(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ]);
    expect(events[2]?.response).toMatchObject({ output: [], usage: null });
  });

  it('sends nothing for keep-alive comments', () => {
    const tap = new ResponsesStreamTap(openAITap(), REQUEST);
    expect(tap.contentType).toBe('text/event-stream');
    expect(tap.push(Buffer.from(': keep-alive\n\n')).length).toBe(0);
  });

  it("wraps a converting tap: Anthropic's stream and its mid-stream error", () => {
    const anthropicTap = () =>
      anthropicReader.streamTap({
        stripUsageChunk: false,
        collectText: true,
        request: clientRequest({ stream: true, clientWantsUsage: true }),
      });
    const text = run([fixture('text-stream.sse')], anthropicTap());
    const events = responsesEvents(text.text);
    expect(finalResponse(events)).toMatchObject({
      id: 'resp_msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      output: [{ content: [{ text: 'Hello, wörld 👋!' }] }],
    });
    expect(text.failed).toBe(false);

    const failed = run([fixture('error-stream.sse')], anthropicTap());
    expect(types(responsesEvents(failed.text)).slice(-2)).toEqual(['error', 'response.failed']);
    expect(failed.failed).toBe(true);
  });
});
