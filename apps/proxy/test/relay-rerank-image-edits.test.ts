import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, toFile } from 'openai';
import { countText, quotaFor } from '@chat-api/billing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  addChannel,
  consumeLogOf,
  consumeLogs,
  createKey,
  openai,
  startGateway,
  type Gateway,
} from './harness.js';

const RERANKER = 'bge-reranker-v2-m3';
/** Served by an Anthropic channel only, which has no rerank. */
const ANTHROPIC_ONLY = 'claude-reranker';
const RATIO = 0.7;

const QUERY = 'which city is the capital of France';
const DOCUMENTS = [
  'Brasilia is the capital of Brazil',
  { text: 'Paris is the capital and largest city of France' },
  'Horses and cows are animals',
];
// The fake counts words: 7 in the query, 6 + 9 + 5 in the documents.
const REPORTED_TOKENS = 27;

/** 5000 bytes of "PNG" that are not all alike, so a changed byte changes the hash. */
const IMAGE = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 17 + (i >> 7)) % 256));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface ErrorBody {
  error?: { code?: string; param?: string | null; message: string };
}

describe('rerank and image edits through the gateway', () => {
  let gateway: Gateway;
  let upstream: FakeUpstream;
  let anthropic: FakeUpstream;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    upstream = await startFakeUpstream();
    anthropic = await startFakeUpstream();
    await gateway.db.repos.options.setMany({
      ModelRatio: JSON.stringify({ [RERANKER]: RATIO, [ANTHROPIC_ONLY]: RATIO }),
    });
    // Tried first for the reranker: Anthropic serves no rerank, so the relay moves on.
    await addChannel(gateway, {
      type: 'anthropic',
      name: 'claude',
      baseUrl: anthropic.url,
      models: [RERANKER, ANTHROPIC_ONLY, 'gpt-image-1'],
      priority: 10,
    });
    await addChannel(gateway, {
      type: 'siliconflow',
      baseUrl: upstream.url,
      models: [RERANKER, 'gpt-image-1', 'dall-e-2'],
      priority: 0,
    });
    ({ key } = await createKey(gateway));
  });
  beforeEach(() => {
    upstream.reset();
    anthropic.reset();
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await anthropic?.close();
  });

  async function post(path: string, body: string, apiKey = key) {
    const response = await fetch(`${gateway.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body,
    });
    return { response, body: (await response.json()) as ErrorBody & Record<string, unknown> };
  }

  describe('POST /v1/rerank', () => {
    it("answers the upstream's ranking untouched, billed from the tokens it reported", async () => {
      const sent = JSON.stringify({
        model: RERANKER,
        query: QUERY,
        documents: DOCUMENTS,
        top_n: 2,
        return_documents: true,
      });
      const { response, body } = await post('/v1/rerank', sent);
      expect(response.status).toBe(200);
      expect(body).toMatchObject({
        model: RERANKER,
        results: [
          { index: 1, relevance_score: 6 / 7, document: DOCUMENTS[1] },
          { index: 0, relevance_score: 4 / 7, document: { text: DOCUMENTS[0] } },
        ],
        usage: { total_tokens: REPORTED_TOKENS },
      });
      // Served by the OpenAI-family channel at its /v1/rerank, the client's bytes as they came.
      expect(anthropic.requests).toHaveLength(0);
      expect(upstream.requests).toHaveLength(1);
      expect(upstream.requests[0]?.url).toBe('/v1/rerank');
      expect(upstream.requests[0]?.rawBody.toString()).toBe(sent);

      const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
      expect(log).toMatchObject({
        model: RERANKER,
        promptTokens: REPORTED_TOKENS,
        completionTokens: 0,
        isStream: false,
      });
      // DESIGN §6: ceil(27 × 0.7 × 1) = ceil(18.9) = 19
      const price = { modelRatio: RATIO, completionRatio: 1, groupRatio: 1 };
      expect(log.quota).toBe(quotaFor({ promptTokens: 27, completionTokens: 0 }, price));
      expect(log.quota).toBe(19);
      expect(JSON.parse(log.other ?? '{}')).not.toHaveProperty('usageCounted');
    });

    it('counts the query and the documents when the upstream reports no usage', async () => {
      upstream.omitUsage();
      const sent = JSON.stringify({ model: RERANKER, query: QUERY, documents: DOCUMENTS });
      const { response, body } = await post('/v1/rerank', sent);
      expect(response.status).toBe(200);
      expect(body).not.toHaveProperty('usage');
      expect(body.results).toHaveLength(3);

      const counted =
        countText(QUERY, RERANKER) +
        DOCUMENTS.map((document) => (typeof document === 'string' ? document : document.text))
          .map((text) => countText(text, RERANKER))
          .reduce((sum, tokens) => sum + tokens, 0);
      const log = await consumeLogOf(gateway, response.headers.get('x-request-id'));
      expect(log).toMatchObject({ promptTokens: counted, completionTokens: 0 });
      const price = { modelRatio: RATIO, completionRatio: 1, groupRatio: 1 };
      expect(log.quota).toBe(quotaFor({ promptTokens: counted, completionTokens: 0 }, price));
      expect(JSON.parse(log.other ?? '{}')).toMatchObject({ usageCounted: true });
    });

    it.each([
      ['documents', '"documents":"Paris is the capital"'],
      ['documents', '"documents":[]'],
      ['documents', '"documents":[{"title":"no text"}]'],
      ['documents', `"documents":${JSON.stringify(Array.from({ length: 20_000 }, () => 'x'))}`],
      ['query', '"query":42,"documents":["a"]'],
      ['top_n', '"documents":["a"],"top_n":-1'],
      ['top_n', '"documents":["a"],"top_n":1.5'],
      ['top_n', '"documents":["a"],"top_n":"3"'],
      ['top_n', '"documents":["a"],"top_n":1e999'],
    ])(
      'refuses bad %s (%#) with 400 naming it: no upstream call, no log, no spend',
      async (field, members) => {
        const { user, key: own } = await createKey(gateway, { quota: 1000 });
        const query = members.includes('"query"') ? '' : `"query":"q",`;
        const refused = await post('/v1/rerank', `{"model":"${RERANKER}",${query}${members}}`, own);
        expect(refused.response.status).toBe(400);
        expect(refused.body.error).toMatchObject({ code: 'invalid_request_error', param: field });
        expect(refused.body.error?.message).toContain(field);
        expect(upstream.requests).toHaveLength(0);

        // The owner's next request is the only one billed: nothing was held or spent before it.
        const ok = await post(
          '/v1/rerank',
          JSON.stringify({ model: RERANKER, query: 'q', documents: ['q'] }),
          own,
        );
        expect(ok.response.status).toBe(200);
        const billed = await consumeLogOf(gateway, ok.response.headers.get('x-request-id'));
        const logs = (await consumeLogs(gateway, Infinity, 0)).filter(
          (log) => log.userId === user.id,
        );
        expect(logs).toHaveLength(1);
        expect((await gateway.db.repos.users.findById(user.id))?.usedQuota).toBe(billed.quota);
      },
    );

    it('answers 400 naming the endpoint when no channel of the model has rerank', async () => {
      const { user, key: own } = await createKey(gateway);
      const { response, body } = await post(
        '/v1/rerank',
        JSON.stringify({ model: ANTHROPIC_ONLY, query: QUERY, documents: DOCUMENTS }),
        own,
      );
      expect(response.status).toBe(400);
      expect(body.error).toMatchObject({ code: 'unsupported_endpoint' });
      expect(body.error?.message).toBe('anthropic channels do not serve /v1/rerank');
      expect(anthropic.requests).toHaveLength(0);
      expect((await gateway.db.repos.users.findById(user.id))?.usedQuota).toBe(0);
    });
  });

  describe('POST /v1/images/edits (official openai SDK)', () => {
    it('edits the upload n times, the image intact, billed n × the model price', async () => {
      const { data, response } = await openai(gateway, key)
        .images.edit({
          model: 'gpt-image-1',
          image: await toFile(IMAGE, 'cat.png', { type: 'image/png' }),
          prompt: 'give the cat a hat',
          n: 2,
          response_format: 'b64_json',
        })
        .withResponse();
      expect(data.data).toHaveLength(2);
      expect(data.data?.[0]?.b64_json).toMatch(/^iVBOR/);

      // The Anthropic channel (first by priority) does not edit images: the OpenAI one did.
      expect(anthropic.requests).toHaveLength(0);
      const received = upstream.requests[0];
      expect(received?.url).toBe('/v1/images/edits');
      expect(received?.form?.fields).toMatchObject({
        model: 'gpt-image-1',
        prompt: 'give the cat a hat',
        n: '2',
      });
      expect(received?.form?.files).toEqual([
        {
          field: 'image',
          filename: 'cat.png',
          contentType: 'image/png',
          size: IMAGE.length,
          sha256: sha256(IMAGE),
        },
      ]);

      // gpt-image-1: $0.04 an image × 500000 quota per USD × 2 images
      expect(await consumeLogOf(gateway, response.headers.get('x-request-id'))).toMatchObject({
        model: 'gpt-image-1',
        quota: 2 * 0.04 * 500_000,
      });
    });

    it('takes several images as image[], priced by the size the form names', async () => {
      const second = Buffer.from(IMAGE).reverse();
      const { data, response } = await openai(gateway, key)
        .images.edit({
          model: 'dall-e-2',
          image: [await toFile(IMAGE, 'a.png'), await toFile(second, 'b.png')],
          prompt: 'merge them',
          n: 3,
          size: '512x512',
        })
        .withResponse();
      expect(data.data).toHaveLength(3);
      const files = upstream.requests[0]?.form?.files ?? [];
      expect(files.map((file) => [file.field, file.sha256])).toEqual([
        ['image[]', sha256(IMAGE)],
        ['image[]', sha256(second)],
      ]);
      // dall-e-2 at 512x512: $0.018 = 0.9 × $0.02, × 500000 × 3 images
      expect((await consumeLogOf(gateway, response.headers.get('x-request-id'))).quota).toBe(
        27_000,
      );
    });

    it('forwards the upload byte for byte, with its content type', async () => {
      const form = new FormData();
      form.append('model', 'gpt-image-1');
      form.append('image', new Blob([IMAGE], { type: 'image/png' }), 'cat.png');
      form.append('prompt', 'a hat');
      const built = new Request('http://client.test', { method: 'POST', body: form });
      const contentType = built.headers.get('content-type') ?? '';
      const upload = Buffer.from(await built.arrayBuffer());
      const response = await fetch(`${gateway.base}/v1/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
        body: upload,
      });
      expect(response.status).toBe(200);
      expect(upstream.requests[0]?.headers['content-type']).toBe(contentType);
      expect(upstream.requests[0]?.rawBody.equals(upload)).toBe(true);
    });

    it('refuses n = 11 with 400 before any hold or upstream call', async () => {
      const { user, key: own } = await createKey(gateway);
      const edit = openai(gateway, own).images.edit({
        model: 'gpt-image-1',
        image: await toFile(IMAGE, 'cat.png'),
        prompt: 'eleven hats',
        n: 11,
      });
      const error = await edit.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).param).toBe('n');
      expect((error as BadRequestError).code).toBe('invalid_request_error');
      expect(upstream.requests).toHaveLength(0);
      expect((await gateway.db.repos.users.findById(user.id))?.usedQuota).toBe(0);
    });

    it.each([
      ['n', (form: FormData) => form.append('n', 'two')],
      ['n', (form: FormData) => form.append('n', '0')],
      ['n', (form: FormData) => form.append('n', '1.5')],
      // Which of two the upstream would take is not the bill's to guess.
      ['n', (form: FormData) => (form.append('n', '1'), form.append('n', '10'))],
    ])('refuses a form whose %s is not one whole number from 1 to 10 (%#)', async (field, add) => {
      const form = new FormData();
      form.append('model', 'gpt-image-1');
      form.append('image', new Blob([IMAGE]), 'cat.png');
      form.append('prompt', 'hats');
      add(form);
      const response = await fetch(`${gateway.base}/v1/images/edits`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        body: form,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error).toMatchObject({ param: field });
      expect(upstream.requests).toHaveLength(0);
    });
  });
});
