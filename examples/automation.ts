/**
 * Automating Chat API from a script: with a console access token (profile page, or
 * auth.createAccessToken), register an upstream channel and hand out an API key.
 *
 *   CHAT_API_URL=http://localhost:3001 CHAT_API_ACCESS_TOKEN=… \
 *   UPSTREAM_KEY=sk-… npx tsx examples/automation.ts
 */
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@chat-api/console';

const consoleUrl = process.env.CHAT_API_URL ?? 'http://localhost:3001';
const accessToken = process.env.CHAT_API_ACCESS_TOKEN;
if (!accessToken) {
  console.error('Set CHAT_API_ACCESS_TOKEN to a console access token (auth.createAccessToken).');
  process.exit(1);
}

const api = createTRPCClient<AppRouter>({
  links: [
    httpLink({ url: `${consoleUrl}/trpc`, headers: { authorization: `Bearer ${accessToken}` } }),
  ],
});

try {
  const me = await api.auth.me.query();
  console.log(`signed in as ${me.username}`);

  // The channel types this gateway knows (openai, azure, deepseek, openai-compatible, …).
  const wanted = process.env.UPSTREAM_TYPE ?? 'openai';
  const type = (await api.channel.types.query()).find((spec) => spec.type === wanted)?.type;
  if (!type) throw new Error(`UPSTREAM_TYPE: unknown channel type "${wanted}"`);

  const channel = await api.channel.create.mutate({
    name: process.env.UPSTREAM_NAME ?? 'OpenAI',
    type,
    key: process.env.UPSTREAM_KEY ?? 'sk-replace-me',
    ...(process.env.UPSTREAM_BASE_URL ? { baseUrl: process.env.UPSTREAM_BASE_URL } : {}),
    models: (process.env.UPSTREAM_MODELS ?? 'gpt-4o-mini').split(','),
  });
  console.log(`created channel ${channel.id}`);

  // 10 USD at the default QuotaPerUnit of 500000.
  const token = await api.token.create.mutate({ name: 'automation', remainQuota: 5_000_000 });
  console.log(`created API key ${token.id}: ${token.key}`);
} catch (error) {
  console.error(error instanceof TRPCClientError ? `console API: ${error.message}` : error);
  process.exit(1);
}
