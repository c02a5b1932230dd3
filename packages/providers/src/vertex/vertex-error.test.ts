import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { UpstreamChannel } from '../channel.js';
import { vertexClientError } from './vertex-error.js';

const channel: UpstreamChannel = {
  type: 'vertex-ai',
  key: '{"type":"service_account"}',
  baseUrl: '',
  config: { project: 'acme-llm-prod', region: 'us-east5' },
};

function sample(name: string): string {
  return readFileSync(new URL(`../../fixtures/vertex/${name}`, import.meta.url), 'utf8');
}

function read(name: string, status: number) {
  const failure = vertexClientError(channel, status, sample(name));
  const body = JSON.parse(failure.body) as {
    error: { message: string; type: string; code: string | null };
  };
  return { status: failure.status, ...body.error };
}

describe('vertexClientError', () => {
  it("reads the front end's quota refusal as a rate limit, tried on another channel", () => {
    expect(read('quota-exceeded.json', 429)).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
    });
  });

  it('reads billing turned off as a spent quota, which takes the channel out of rotation', () => {
    const failure = read('billing-disabled.json', 403);
    expect(failure).toMatchObject({ status: 403, code: 'insufficient_quota' });
    expect(failure.message).not.toContain('acme-llm-prod');
  });

  it('keeps a missing IAM role a 403 and never tells the client the project', () => {
    const failure = read('permission-denied.json', 403);
    expect(failure).toMatchObject({ status: 403, type: 'permission_error', code: null });
    expect(failure.message).toContain("Permission 'aiplatform.endpoints.predict' denied");
    expect(failure.message).toContain('projects/(project)/locations/us-east5');
    expect(failure.message).not.toContain('acme-llm-prod');
  });

  it("reads a Claude model's own refusals as Anthropic's", () => {
    expect(read('claude-invalid-request.json', 400)).toEqual({
      status: 400,
      message: 'messages: at least one message is required',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(read('claude-overloaded.json', 529)).toMatchObject({ status: 529, code: 'overloaded' });
  });

  it('passes on a body that is not JSON, cut short', () => {
    const failure = vertexClientError(channel, 502, '<html>Bad Gateway</html>'.repeat(100));
    expect(failure.status).toBe(502);
    const body = JSON.parse(failure.body) as { error: { message: string } };
    expect(body.error.message.length).toBeLessThanOrEqual(1000);
  });
});
