import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamChannel } from './channel.js';
import { testChannel } from './test-channel.js';
import { configureFakeBedrock } from './testing/fake-bedrock.js';
import { fakeVertexServiceAccount } from './testing/fake-vertex.js';
import { startFakeUpstream, type FakeUpstream } from './testing/fake-upstream.js';

const KEY = 'sk-upstream-0123456789abcdefghijklmn';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('testChannel', () => {
  let upstream: FakeUpstream;
  let channel: UpstreamChannel;
  beforeAll(async () => {
    upstream = await startFakeUpstream({ keys: [KEY] });
    channel = { type: 'openai', key: KEY, baseUrl: upstream.url, config: {} };
  });
  beforeEach(() => upstream.reset());
  afterAll(() => upstream?.close());

  it('passes with a minimal chat completion and reports its latency', async () => {
    const result = await testChannel({ channel, model: 'gpt-4o-mini', timeoutMs: 5_000 });
    expect(result).toEqual({ ok: true, latencyMs: expect.any(Number) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 },
    });
  });

  it('sends the mapped model name', async () => {
    const mapped = { ...channel, modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' } };
    expect(await testChannel({ channel: mapped, model: 'gpt-4o', timeoutMs: 5_000 })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(upstream.requests[0]?.body).toMatchObject({ model: 'gpt-4o-2024-08-06' });
  });

  it('reaches an Azure deployment with the api-key header', async () => {
    const azure = {
      type: 'azure',
      key: KEY,
      baseUrl: upstream.url,
      config: { apiVersion: '2024-10-21' },
    };
    expect(await testChannel({ channel: azure, model: 'gpt-4.1', timeoutMs: 5_000 })).toMatchObject(
      { ok: true },
    );
    expect(upstream.requests[0]).toMatchObject({
      url: '/openai/deployments/gpt-41/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': KEY },
    });
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("reports a refused key in the upstream's words, without the key it echoed", async () => {
    const wrongKey = 'sk-wrong-ZYXWVUTSRQPONMLKJIHGFEDCBA';
    const result = await testChannel({
      channel: { ...channel, key: wrongKey },
      model: 'gpt-4o',
      timeoutMs: 5_000,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^upstream answered 401: Incorrect API key provided/);
    expect(result.error).not.toContain(wrongKey);
    expect(result.error).not.toContain('ZYXWVUTS');
  });

  it('reports an upstream 500 with its message', async () => {
    upstream.fail({
      status: 500,
      message: 'The server had an error while processing your request.',
    });
    expect(await testChannel({ channel, model: 'gpt-4o', timeoutMs: 5_000 })).toEqual({
      ok: false,
      latencyMs: expect.any(Number),
      error: 'upstream answered 500: The server had an error while processing your request.',
    });
  });

  it('keeps the key out of an error message that quotes it', async () => {
    upstream.fail({ status: 403, message: `key ${KEY} has no access to this model` });
    const result = await testChannel({ channel, model: 'gpt-4o', timeoutMs: 5_000 });
    expect(result.error).toBe('upstream answered 403: key *** has no access to this model');
  });

  it('fails on a refused connection', async () => {
    const port = await closedPort();
    const result = await testChannel({
      channel: { ...channel, baseUrl: `http://127.0.0.1:${port}` },
      model: 'gpt-4o',
      timeoutMs: 5_000,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^cannot reach upstream: .*ECONNREFUSED/);
  });

  it('fails when the upstream drops the connection', async () => {
    upstream.dropConnections();
    const result = await testChannel({ channel, model: 'gpt-4o', timeoutMs: 5_000 });
    expect(result).toMatchObject({
      ok: false,
      error: 'cannot reach upstream: connection closed by upstream',
    });
  });

  it('gives up after the timeout', async () => {
    upstream.slow(2_000);
    const result = await testChannel({ channel, model: 'gpt-4o', timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, error: 'upstream timed out after 200 ms' });
    expect(result.latencyMs).toBeLessThan(1_500);
  });

  it('fails when the base URL answers 200 with something else (a web page)', async () => {
    const site = createHttpServer((_req, res) => res.end('<html>Welcome</html>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const { port } = site.address() as { port: number };
    try {
      const result = await testChannel({
        channel: { ...channel, baseUrl: `http://127.0.0.1:${port}` },
        model: 'gpt-4o',
        timeoutMs: 5_000,
      });
      expect(result).toMatchObject({
        ok: false,
        error: 'upstream answered 200 with a body that is not JSON',
      });
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });

  it('tests an Anthropic channel through its own wire format', async () => {
    const anthropic = { ...channel, type: 'anthropic' };
    const result = await testChannel({
      channel: anthropic,
      model: 'claude-sonnet-4',
      timeoutMs: 5_000,
    });
    expect(result).toEqual({ ok: true, latencyMs: expect.any(Number) });
    expect(upstream.requests[0]).toMatchObject({
      url: '/v1/messages',
      headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
      body: { model: 'claude-sonnet-4', max_tokens: 1 },
    });
  });

  it('tests an AWS Bedrock channel with a signed InvokeModel, and fails on a wrong secret', async () => {
    const account = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      region: 'us-east-1',
    };
    configureFakeBedrock(upstream, account);
    const bedrock = {
      ...channel,
      type: 'aws-bedrock',
      key: `${account.accessKeyId}|${account.secretAccessKey}`,
      config: { region: account.region },
    };
    const model = 'anthropic.claude-haiku-4-5-20251001-v1:0';
    const passed = await testChannel({ channel: bedrock, model, timeoutMs: 5_000 });
    expect(passed).toEqual({ ok: true, latencyMs: expect.any(Number) });
    expect(upstream.requests[0]).toMatchObject({
      url: `/model/${encodeURIComponent(model)}/invoke`,
      body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 1 },
    });
    const wrong = { ...bedrock, key: `${account.accessKeyId}|wrong-secret` };
    const failed = await testChannel({ channel: wrong, model, timeoutMs: 5_000 });
    expect(failed.ok).toBe(false);
    expect(JSON.stringify(failed)).not.toContain('wrong-secret');
  });

  it('tests a Vertex AI channel with a minted token, for Claude and for Gemini', async () => {
    const settings = { project: 'test-project', region: 'global' };
    const stale = fakeVertexServiceAccount(upstream, settings);
    // A new key for the account: the fake now knows only this one.
    const vertex = {
      ...channel,
      type: 'vertex-ai',
      key: fakeVertexServiceAccount(upstream, settings),
      config: settings,
    };
    for (const model of ['claude-haiku-4-5@20251001', 'gemini-2.5-flash']) {
      upstream.reset();
      const result = await testChannel({ channel: vertex, model, timeoutMs: 5_000 });
      expect(result).toEqual({ ok: true, latencyMs: expect.any(Number) });
      const publisher = model.startsWith('claude') ? 'anthropic' : 'google';
      expect(upstream.requests.at(-1)?.url).toContain(`/publishers/${publisher}/models/${model}:`);
    }
    const refused = await testChannel({
      channel: { ...vertex, key: stale },
      model: 'gemini-2.5-flash',
      timeoutMs: 5_000,
    });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/invalid_grant/) });
    const privateKey = (JSON.parse(stale) as { private_key: string }).private_key;
    expect(refused.error).not.toContain(privateKey.split('\n')[1]?.slice(0, 16));
  });
});
