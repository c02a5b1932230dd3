import { describe, expect, it } from 'vitest';
import { toGenerateContentRequest } from './generate-content-request.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('toGenerateContentRequest', () => {
  it('puts system and developer messages in the system instruction, the rest in turns', () => {
    const body = toGenerateContentRequest({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Bonjour' },
        { role: 'user', content: 'How are you?' },
      ],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hello' }] },
        { role: 'model', parts: [{ text: 'Bonjour' }] },
        { role: 'user', parts: [{ text: 'How are you?' }] },
      ],
      generationConfig: { maxOutputTokens: 50 },
    });
    // OpenAI-only fields never reach Gemini, which refuses unknown ones.
    expect(body).not.toHaveProperty('model');
    expect(body).not.toHaveProperty('messages');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('sends a conversation of system messages alone as the prompt, since Gemini needs a turn', () => {
    expect(
      toGenerateContentRequest({ messages: [{ role: 'system', content: 'Tell a joke.' }] }),
    ).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Tell a joke.' }] }],
    });
  });

  it('merges consecutive turns of one role, as Gemini wants them alternating', () => {
    const { contents } = toGenerateContentRequest({
      messages: [
        { role: 'user', content: 'one' },
        { role: 'user', content: [{ type: 'text', text: 'two' }] },
        { role: 'assistant', content: 'three' },
        { role: 'assistant', content: 'four' },
      ],
    });
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ text: 'three' }, { text: 'four' }] },
    ]);
  });

  it('sends data-URL images inline and http URLs by reference, never fetching them', () => {
    const { contents } = toGenerateContentRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=large' } },
            { type: 'image_url', image_url: { url: 'https://example.com/picture' } },
            { type: 'image_url', image_url: { url: 'ftp://example.com/x.png' } },
          ],
        },
      ],
    });
    expect(contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'Compare these' },
          { inlineData: { mimeType: 'image/png', data: PNG } },
          {
            fileData: {
              mimeType: 'image/webp',
              fileUri: 'https://example.com/cat.webp?size=large',
            },
          },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/picture' } },
        ],
      },
    ]);
  });

  it('sends audio and PDF files inline', () => {
    const { contents } = toGenerateContentRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
          ],
        },
      ],
    });
    expect(contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
        ],
      },
    ]);
  });

  it('declares the tools once, their schemas cleaned of what Gemini refuses', () => {
    const body = toGenerateContentRequest({
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Current weather',
            strict: true,
            parameters: {
              $schema: 'http://json-schema.org/draft-07/schema#',
              type: 'object',
              additionalProperties: false,
              properties: {
                location: { type: 'string', description: 'City' },
                unit: { type: ['string', 'null'], enum: ['c', 'f'] },
                days: { type: 'array', items: { type: 'integer', $comment: 'x' } },
                kind: { const: 'forecast' },
              },
              required: ['location'],
            },
          },
        },
        {
          type: 'function',
          function: { name: 'now', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: 'auto',
    });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather',
            parameters: {
              type: 'object',
              properties: {
                location: { type: 'string', description: 'City' },
                unit: { type: 'string', nullable: true, enum: ['c', 'f'] },
                days: { type: 'array', items: { type: 'integer' } },
                kind: { enum: ['forecast'] },
              },
              required: ['location'],
            },
          },
          { name: 'now' },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('maps every tool_choice to a function calling mode', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const mode = (tool_choice: unknown) =>
      toGenerateContentRequest({ messages: [], tools, tool_choice }).toolConfig;
    expect(mode('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(mode('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(mode({ type: 'function', function: { name: 'f' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
    });
    expect(
      mode({
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'f' } }] },
      }),
    ).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
    expect(mode(undefined)).toBeUndefined();
    // Without tools there is nothing to configure.
    expect(toGenerateContentRequest({ messages: [], tool_choice: 'required' })).not.toHaveProperty(
      'toolConfig',
    );
  });

  it('replays tool calls as functionCall parts and results as named functionResponse parts', () => {
    const { contents } = toGenerateContentRequest({
      messages: [
        { role: 'user', content: 'Weather in London and Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"London"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_time', arguments: '{"city":' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":12}' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:00' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in London and Paris?' }] },
      {
        role: 'model',
        parts: [
          {
            functionCall: { name: 'get_weather', args: { city: 'London' } },
            thoughtSignature: 'skip_thought_signature_validator',
          },
          // Broken JSON arguments do not fail the request: Gemini gets an empty object.
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { temp: 12 } } },
          { functionResponse: { name: 'get_time', response: { output: '14:00' } } },
          { text: 'Thanks' },
        ],
      },
    ]);
  });

  it('carries the sampling settings in generationConfig', () => {
    const body = toGenerateContentRequest({
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 10,
      max_completion_tokens: 20,
      stop: ['END', ''],
      n: 2,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: {
            type: 'object',
            properties: { a: { type: 'string' } },
            additionalProperties: false,
          },
        },
      },
      reasoning_effort: 'low',
    });
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 20,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { a: { type: 'string' } } },
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
  });

  it('turns JSON mode on for json_object, and thinking off for reasoning_effort none', () => {
    const body = toGenerateContentRequest({
      messages: [{ role: 'user', content: 'hi' }],
      stop: 'STOP',
      response_format: { type: 'json_object' },
      reasoning_effort: 'none',
    });
    expect(body.generationConfig).toEqual({
      stopSequences: ['STOP'],
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingBudget: 0 },
    });
  });

  it('survives hostile input: wrong types, junk parts, a deeply nested schema', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'array', items: deep };
    const body = toGenerateContentRequest({
      messages: [
        null,
        7,
        { role: 'user', content: [null, { type: 'image_url' }, { type: 'x' }] },
        { role: 'wizard', content: 'x' },
      ],
      tools: [{ type: 'function', function: { name: 'deep', parameters: deep } }, 'junk'],
      temperature: 'hot',
      max_tokens: Infinity,
      stop: 5,
    });
    expect(body.contents).toEqual([]);
    expect(body).not.toHaveProperty('generationConfig');
    expect(JSON.stringify(body.tools).length).toBeLessThan(2_000);
  });
});
