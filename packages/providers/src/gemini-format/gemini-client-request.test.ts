import { describe, expect, it } from 'vitest';
import { toolCallId } from '../gemini/tool-call-id.js';
import type { JsonObject } from '../json-values.js';
import {
  jsonRequest,
  mediaRequest,
  PDF_BASE64,
  plainRequest,
  PNG_BASE64,
  toolRoundTripRequest,
} from './fixtures.js';
import { chatRequestOfGemini, GeminiRequestError } from './gemini-client-request.js';

const MODEL = 'gemini-2.5-flash';

const hello = (extra: JsonObject = {}): JsonObject => ({
  contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
  ...extra,
});

/** The converter's refusal for this body, or undefined when it converts. */
function refusal(body: JsonObject): { message: string; nativeOnly: boolean } | undefined {
  try {
    chatRequestOfGemini(body, MODEL, false);
    return undefined;
  } catch (error) {
    if (!(error instanceof GeminiRequestError)) throw error;
    return { message: error.message, nativeOnly: error.nativeOnly };
  }
}

describe('chatRequestOfGemini', () => {
  it('maps the system instruction, the sampling settings and the stream, dropping topK and safety', () => {
    expect(chatRequestOfGemini(plainRequest, MODEL, true)).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are terse.\n\nAnswer in French.' },
        { role: 'user', content: 'Say hello.' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      max_tokens: 1024,
      seed: 7,
      stop: ['FIN'],
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('takes the model from the URL, a system string, turns without a role, and no stream', () => {
    const chat = chatRequestOfGemini(
      { contents: [{ parts: [{ text: 'hi' }] }], systemInstruction: 'Be brief.', model: 'x' },
      'gpt-4o-mini',
      false,
    );
    expect(chat).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('keeps temperature 0 and leaves out an empty system instruction', () => {
    const chat = chatRequestOfGemini(
      hello({ generationConfig: { temperature: 0 }, systemInstruction: { parts: [] } }),
      MODEL,
      false,
    );
    expect(chat.temperature).toBe(0);
    expect(chat.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('turns a function round trip into tool calls followed by their tool messages', () => {
    const chat = chatRequestOfGemini(toolRoundTripRequest, MODEL, false);
    const lyon = toolCallId({
      responseId: undefined,
      choice: 1,
      call: 3,
      name: 'get_weather',
      args: '{"location":"Lyon"}',
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Lyon?' },
      {
        role: 'assistant',
        content: 'Let me check both.',
        tool_calls: [
          {
            id: 'call_paris',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
          },
          {
            id: lyon,
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Lyon"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_paris', content: '{"celsius":15}' },
      { role: 'tool', tool_call_id: lyon, content: '{"error":"Station offline"}' },
      { role: 'user', content: 'Answer in one line.' },
    ]);
    // The thought summary and its signature mean something to Gemini alone.
    expect(JSON.stringify(chat)).not.toMatch(/Two cities|CpwCAd/);
  });

  it("converts Gemini's Schema to JSON Schema, keeps parametersJsonSchema, and forces one name", () => {
    const chat = chatRequestOfGemini(toolRoundTripRequest, MODEL, false);
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'The current weather at a place',
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'City and country' },
              unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit'] },
              days: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 7 },
            },
            required: ['location'],
          },
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
  });

  it('maps each function calling mode, narrowing the tools to the allowed names', () => {
    const withMode = (functionCallingConfig: JsonObject) =>
      chatRequestOfGemini(
        { ...toolRoundTripRequest, toolConfig: { functionCallingConfig } },
        MODEL,
        false,
      );
    const names = (chat: JsonObject) =>
      (chat.tools as { function: { name: string } }[]).map((tool) => tool.function.name);
    expect(withMode({ mode: 'AUTO' }).tool_choice).toBe('auto');
    expect(withMode({ mode: 'VALIDATED' }).tool_choice).toBe('auto');
    expect(withMode({ mode: 'NONE' }).tool_choice).toBe('none');
    const any = withMode({ mode: 'any', allowedFunctionNames: ['get_time', 'get_weather'] });
    expect(any.tool_choice).toBe('required');
    expect(names(any)).toEqual(['get_weather', 'get_time']);
    const unspecified = withMode({ mode: 'MODE_UNSPECIFIED', allowedFunctionNames: [] });
    expect(unspecified).not.toHaveProperty('tool_choice');
    expect(names(unspecified)).toEqual(['get_weather', 'get_time']);
    // OpenAI refuses a tool choice without tools.
    const noTools = chatRequestOfGemini(
      hello({ toolConfig: { functionCallingConfig: { mode: 'ANY' } } }),
      MODEL,
      false,
    );
    expect(noTools).not.toHaveProperty('tool_choice');
  });

  it('turns images and PDFs into image_url and file parts', () => {
    expect(chatRequestOfGemini(mediaRequest, MODEL, false).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          {
            type: 'image_url',
            image_url: {
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            },
          },
          {
            type: 'file',
            file: {
              filename: 'document.pdf',
              file_data: `data:application/pdf;base64,${PDF_BASE64}`,
            },
          },
          { type: 'text', text: 'What do these show?' },
        ],
      },
    ]);
    const audio = chatRequestOfGemini(
      hello({ contents: [{ parts: [{ inlineData: { mimeType: 'audio/mpeg', data: 'SUQz' } }] }] }),
      MODEL,
      false,
    );
    expect(audio.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } }],
      },
    ]);
  });

  it('asks for JSON shaped by the schema, or any JSON without one', () => {
    expect(chatRequestOfGemini(jsonRequest, MODEL, false).response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'response',
        schema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            steps: { type: 'array', items: { type: 'string' } },
          },
          required: ['name', 'steps'],
        },
      },
    });
    const schema = { type: 'object', $defs: { a: { type: 'string' } } };
    const json = (generationConfig: JsonObject) =>
      chatRequestOfGemini(hello({ generationConfig }), MODEL, false).response_format;
    expect(json({ responseMimeType: 'application/json', responseJsonSchema: schema })).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
    expect(json({ responseMimeType: 'application/json' })).toEqual({ type: 'json_object' });
    expect(json({ responseMimeType: 'text/plain' })).toBeUndefined();
  });

  it('maps thinking budgets and levels to a reasoning effort', () => {
    const effort = (thinkingConfig: JsonObject) =>
      chatRequestOfGemini(hello({ generationConfig: { thinkingConfig } }), MODEL, false)
        .reasoning_effort;
    expect(
      [0, -1, 1024, 4096, 16_384, 32_768].map((thinkingBudget) => effort({ thinkingBudget })),
    ).toEqual([undefined, undefined, 'low', 'medium', 'high', 'high']);
    expect(effort({ thinkingLevel: 'HIGH' })).toBe('high');
    expect(effort({ thinkingLevel: 'low' })).toBe('low');
    expect(effort({ includeThoughts: true })).toBeUndefined();
  });

  it('merges consecutive model turns, as the GenAI SDK keeps a streamed answer', () => {
    const chat = chatRequestOfGemini(
      {
        contents: [
          { role: 'user', parts: [{ text: 'hi' }] },
          { role: 'model', parts: [{ text: 'Hel' }] },
          { role: 'model', parts: [{ text: 'lo' }] },
          { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'f', args: {} } }] },
          { role: 'function', parts: [{ functionResponse: { name: 'f', response: {} } }] },
          { role: 'model', parts: [{ text: 'thinking…', thought: true }] },
          { role: 'user', parts: [{ text: 'and?' }] },
        ],
      },
      MODEL,
      false,
    );
    expect(chat.messages).toEqual([
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: 'Hello',
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: '{}' },
      { role: 'user', content: 'and?' },
    ]);
  });

  it('refuses what only Google serves as nativeOnly, so that a Gemini channel can take it', () => {
    const googleSearch = refusal(hello({ tools: [{ googleSearch: {} }] }));
    expect(googleSearch).toEqual({
      message: expect.stringMatching(/^tools\[0\]\.googleSearch: /) as unknown,
      nativeOnly: true,
    });
    expect(refusal(hello({ cachedContent: 'cachedContents/abc' }))?.nativeOnly).toBe(true);
    const native = [
      { parts: [{ inlineData: { mimeType: 'video/mp4', data: 'AAAA' } }] },
      {
        parts: [
          { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/x' } },
        ],
      },
      { parts: [{ fileData: { mimeType: 'video/mp4', fileUri: 'https://youtu.be/x' } }] },
    ];
    for (const content of native) {
      expect(refusal({ contents: [content] })?.nativeOnly).toBe(true);
    }
    for (const generationConfig of [
      { candidateCount: 2 },
      { responseModalities: ['TEXT', 'IMAGE'] },
      { responseMimeType: 'text/x.enum' },
    ]) {
      expect(refusal(hello({ generationConfig }))?.nativeOnly).toBe(true);
    }
  });

  it('refuses malformed bodies naming the field, without crashing', () => {
    const cases: [JsonObject, string][] = [
      [{}, 'contents'],
      [{ contents: 'hi' }, 'contents'],
      [{ contents: [] }, 'contents'],
      [{ contents: [null] }, 'contents[0]'],
      [{ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, 'contents[0].role'],
      [{ contents: [{ role: 'user' }] }, 'contents[0].parts'],
      [{ contents: [{ parts: [{}] }] }, 'contents[0].parts[0]'],
      [{ contents: [{ parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text'],
      [
        { contents: [{ parts: [{ inlineData: { mimeType: 'image/png;x', data: '' } }] }] },
        'contents[0].parts[0].inlineData.mimeType',
      ],
      [
        { contents: [{ parts: [{ fileData: { fileUri: 'file:///etc/passwd' } }] }] },
        'contents[0].parts[0].fileData.fileUri',
      ],
      [
        { contents: [{ parts: [{ functionCall: { name: 'f' } }] }] },
        'contents[0].parts[0].functionCall',
      ],
      [
        { contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: [] } }] }] },
        'contents[0].parts[0].functionCall.args',
      ],
      [
        { contents: [{ parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
        'contents[0].parts[0].functionResponse',
      ],
      [{ contents: [{ parts: [{ text: 'thought', thought: true }], role: 'model' }] }, 'contents'],
      [
        hello({ systemInstruction: { parts: [{ inlineData: {} }] } }),
        'systemInstruction.parts[0].text',
      ],
      [hello({ generationConfig: { temperature: '0.5' } }), 'generationConfig.temperature'],
      [hello({ generationConfig: { temperature: 3 } }), 'generationConfig.temperature'],
      [hello({ generationConfig: { topP: -0.1 } }), 'generationConfig.topP'],
      [hello({ generationConfig: { maxOutputTokens: 1.5 } }), 'generationConfig.maxOutputTokens'],
      [hello({ generationConfig: { maxOutputTokens: 1e300 } }), 'generationConfig.maxOutputTokens'],
      [hello({ generationConfig: { maxOutputTokens: 0 } }), 'generationConfig.maxOutputTokens'],
      [hello({ generationConfig: { seed: 2 ** 60 } }), 'generationConfig.seed'],
      [hello({ generationConfig: { candidateCount: 0 } }), 'generationConfig.candidateCount'],
      [hello({ generationConfig: { stopSequences: 'FIN' } }), 'generationConfig.stopSequences'],
      [
        hello({
          generationConfig: { thinkingConfig: { thinkingBudget: 1, thinkingLevel: 'LOW' } },
        }),
        'generationConfig.thinkingConfig',
      ],
      [
        hello({ generationConfig: { thinkingConfig: { thinkingLevel: 'MAX' } } }),
        'generationConfig.thinkingConfig.thinkingLevel',
      ],
      [
        hello({ generationConfig: { responseMimeType: 'text/plain', responseJsonSchema: {} } }),
        'generationConfig.responseMimeType',
      ],
      [hello({ tools: {} }), 'tools'],
      [
        hello({ tools: [{ functionDeclarations: [{ description: 'no name' }] }] }),
        'tools[0].functionDeclarations[0].name',
      ],
      [
        hello({ tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 5 } }] }] }),
        'tools[0].functionDeclarations[0].parameters.type',
      ],
      [
        hello({
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'f',
                  parameters: {
                    type: 'OBJECT',
                    properties: { a: { type: 'STRING', maxLength: 'x' } },
                  },
                },
              ],
            },
          ],
        }),
        'tools[0].functionDeclarations[0].parameters.properties.a.maxLength',
      ],
      [
        { ...toolRoundTripRequest, toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } },
        'toolConfig.functionCallingConfig.mode',
      ],
      [
        {
          ...toolRoundTripRequest,
          toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['nope'] } },
        },
        'toolConfig.functionCallingConfig.allowedFunctionNames[0]',
      ],
    ];
    for (const [body, field] of cases) {
      const refused = refusal(body);
      expect(refused, field).toEqual({
        message: expect.stringMatching(
          new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: `),
        ) as unknown,
        nativeOnly: false,
      });
    }
  });

  it('refuses a schema nested past any sane depth instead of overflowing the stack', () => {
    let schema: JsonObject = { type: 'STRING' };
    for (let i = 0; i < 10_000; i++) schema = { type: 'ARRAY', items: schema };
    const refused = refusal(
      hello({ tools: [{ functionDeclarations: [{ name: 'f', parameters: schema }] }] }),
    );
    expect(refused?.message).toMatch(/nests deeper than 32 levels/);
  });
});
