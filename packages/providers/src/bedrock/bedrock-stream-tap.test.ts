import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClientRequest } from '../adapter.js';
import { MessageEventConverter } from '../anthropic/message-events.js';
import { BedrockStreamTap } from './bedrock-stream-tap.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/bedrock/${name}`, import.meta.url));

const request = { model: 'claude-on-bedrock', stream: true } as ClientRequest;

function run(pieces: Buffer[], stripUsageChunk = false) {
  const tap = new BedrockStreamTap({ stripUsageChunk, collectText: true, request });
  let text = '';
  for (const piece of pieces) text += tap.push(piece).toString();
  text += tap.end().toString();
  return { text, usage: tap.usage, failed: tap.failed, completionText: tap.completionText };
}

/** The OpenAI chunks of the Anthropic events, as the Anthropic converter writes them. */
function convertedEvents(name: string): string {
  const converter = new MessageEventConverter({
    stripUsageChunk: false,
    collectText: false,
    model: request.model,
  });
  const events = JSON.parse(fixture(name).toString()) as unknown[];
  return events.map((event) => converter.convert(event)).join('');
}

/** Ids and creation times differ between two conversions: compare the rest. */
const stable = (text: string) =>
  text.replace(/"id":"[^"]*"/g, '"id":"x"').replace(/"created":\d+/g, '"created":0');

describe('Bedrock stream tap', () => {
  it.each(['text-stream', 'tool-stream'])(
    'turns %s into the OpenAI chunks of its Anthropic events, cut at every byte',
    (name) => {
      const bytes = fixture(`${name}.bin`);
      const whole = run([bytes]);
      expect(stable(whole.text)).toBe(stable(convertedEvents(`${name}.events.json`)));
      expect(whole.text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(whole.failed).toBe(false);
      expect(whole.usage?.completionTokens).toBeGreaterThan(0);
      for (let cut = 1; cut < bytes.length; cut++) {
        const split = run([bytes.subarray(0, cut), bytes.subarray(cut)]);
        expect(stable(split.text)).toBe(stable(whole.text));
        expect(split.usage).toEqual(whole.usage);
      }
      const byteByByte = run([...bytes].map((byte) => Buffer.from([byte])));
      expect(stable(byteByByte.text)).toBe(stable(whole.text));
    },
  );

  it.each([
    ['throttled-stream', 'rate_limit_exceeded'],
    ['model-error-stream', 'model_error'],
  ])('ends %s with an OpenAI error event and no [DONE], wherever it is cut', (name, code) => {
    const bytes = fixture(`${name}.bin`);
    const result = run([bytes]);
    expect(result.failed).toBe(true);
    expect(result.text).not.toContain('[DONE]');
    const last = result.text.trim().split('\n\n').at(-1) ?? '';
    const error = (JSON.parse(last.replace(/^data: /, '')) as { error: { code: string } }).error;
    expect(error.code).toBe(code);
    for (let cut = 1; cut < bytes.length; cut++) {
      const split = run([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(stable(split.text)).toBe(stable(result.text));
      expect(split.failed).toBe(true);
    }
    const byteByByte = run([...bytes].map((byte) => Buffer.from([byte])));
    expect(stable(byteByByte.text)).toBe(stable(result.text));
  });

  it('reports a stream cut inside a frame as cut short', () => {
    const bytes = fixture('text-stream.bin');
    const result = run([bytes.subarray(0, bytes.length - 3)]);
    expect(result.failed).toBe(true);
    expect(result.text).toContain('"code":"stream_interrupted"');
  });

  it('answers bytes that are not an event stream with an error event, once', () => {
    const tap = new BedrockStreamTap({ stripUsageChunk: true, collectText: false, request });
    const first = tap.push(Buffer.from('<html>gateway timeout</html>')).toString();
    expect(first).toContain('"code":"bad_upstream_stream"');
    expect(tap.push(Buffer.from('more')).length).toBe(0);
    expect(tap.end().length).toBe(0);
    expect(tap.failed).toBe(true);
  });

  it('leaves out the usage chunk unless the client asked for it', () => {
    const bytes = fixture('text-stream.bin');
    expect(run([bytes], true).text).not.toContain('"choices":[]');
    expect(run([bytes], false).text).toContain('"choices":[]');
  });
});
