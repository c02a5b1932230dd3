import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureFakeBedrock, startFakeUpstream, type FakeUpstream } from '../testing/index.js';
import { bedrockUrl } from './bedrock-url.js';
import { signBedrockRequest } from './sigv4.js';

const account = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'eu-central-1',
};
const body = Buffer.from(
  JSON.stringify({
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 3,
    messages: [{ role: 'user', content: 'Héllo 你好' }],
  }),
);
const headers = { 'content-type': 'application/json', accept: 'application/json' };

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startFakeUpstream({ reply: 'one two three four' });
  configureFakeBedrock(fake, account);
});
afterAll(() => fake.close());

async function send(
  options: { secret?: string; keyId?: string; region?: string; at?: Date; tamper?: boolean } = {},
) {
  const url = bedrockUrl(fake.url, 'unused', 'anthropic.claude-3-5-sonnet-20241022-v2:0', false);
  const credentials = {
    accessKeyId: options.keyId ?? account.accessKeyId,
    secretAccessKey: options.secret ?? account.secretAccessKey,
  };
  const signed = await signBedrockRequest(
    url,
    body,
    options.region ?? account.region,
    credentials,
    headers,
    options.at,
  );
  const sent = options.tamper ? Buffer.from(body.toString().replace('3', '4')) : signed.body;
  const res = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: sent });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    json: (await res.json()) as { message?: string },
  };
}

describe('signBedrockRequest, checked by the fake Bedrock', () => {
  it('signs a request the fake accepts, the colon of the model id encoded in the path', async () => {
    const answer = await send();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ content: [{ type: 'text', text: 'one two three' }] });
    expect(fake.requests.at(-1)?.url).toBe(
      '/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke',
    );
  });

  it('is refused with a wrong secret', async () => {
    const answer = await send({ secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ' });
    expect(answer.status).toBe(403);
    expect(answer.type).toMatch(/^InvalidSignatureException/);
    expect(answer.json.message).toMatch(/signature we calculated does not match/);
  });

  it('is refused with an unknown access key id', async () => {
    const answer = await send({ keyId: 'AKIAIOSFODNN7OTHERID' });
    expect(answer.status).toBe(403);
    expect(answer.type).toMatch(/^UnrecognizedClientException/);
  });

  it('is refused when signed for another region, ten minutes ago, or for other body bytes', async () => {
    expect((await send({ region: 'us-east-1' })).status).toBe(403);
    expect((await send({ at: new Date(Date.now() - 10 * 60_000) })).json.message).toMatch(
      /expired/,
    );
    expect((await send({ tamper: true })).status).toBe(403);
  });

  it('signs the session token, which the fake then requires', async () => {
    const tokenFake = await startFakeUpstream();
    try {
      configureFakeBedrock(tokenFake, { ...account, sessionToken: 'FwoGZXIvYXdzEJr//token=' });
      const url = bedrockUrl(tokenFake.url, '', 'us.anthropic.claude-3-haiku-20240307-v1:0', false);
      const credentials = { ...account, sessionToken: 'FwoGZXIvYXdzEJr//token=' };
      const signed = await signBedrockRequest(url, body, account.region, credentials, headers);
      expect(signed.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEJr//token=');
      const ok = await fetch(url, { method: 'POST', headers: signed.headers, body });
      expect(ok.status).toBe(200);
      const { 'x-amz-security-token': _token, ...withoutToken } = signed.headers;
      const refused = await fetch(url, { method: 'POST', headers: withoutToken, body });
      expect(refused.status).toBe(403);
    } finally {
      await tokenFake.close();
    }
  });
});

describe('bedrockUrl', () => {
  it('derives the regional origin and encodes the model id', () => {
    expect(bedrockUrl('', 'us-west-2', 'anthropic.claude-3-haiku-20240307-v1:0', true)).toBe(
      'https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream',
    );
    expect(
      bedrockUrl(
        'https://vpce.example.com/',
        'us-west-2',
        'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0',
        false,
      ),
    ).toBe(
      'https://vpce.example.com/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-haiku-20240307-v1%3A0/invoke',
    );
  });
});
