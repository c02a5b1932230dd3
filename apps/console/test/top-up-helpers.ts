import type { FastifyInstance } from 'fastify';
import { openDatabase, readStorageConfig } from '@chat-api/db';
import { createTestDatabase, type DatabaseBackend } from '@chat-api/db/testing';
import { build } from '../src/server/app.js';
import type { ConsoleLimits } from '../src/server/limits.js';
import { FakeStripe } from './fake-stripe.js';
import { signedInUser, type TestConsole } from './helpers.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const API_SECRET = 'sk_test_51TopUpsFakeKey0000000000';
export const WEBHOOK_SECRET = 'whsec_test_top_ups_0123456789abcdef';

/** The console as started with STRIPE_API_BASE pointing at a fake Stripe of the test's own. */
export async function startConsoleWithStripe(
  options: { backend?: DatabaseBackend; limits?: ConsoleLimits } = {},
): Promise<TestConsole & { stripe: FakeStripe }> {
  const stripe = new FakeStripe();
  await stripe.start();
  const testDb = await createTestDatabase(options.backend ?? 'sqlite');
  const db = await openDatabase({ ...readStorageConfig(testDb.env), logger: quiet });
  const app: FastifyInstance = await build({
    db,
    sessionSecret: 'test-secret',
    timeZone: 'UTC',
    limits: options.limits ?? {
      apiPer3Minutes: 1e6,
      webPer3Minutes: 1e6,
      authAttemptsPerMinute: 1e6,
    },
    stripeApiBase: stripe.base,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    db,
    stripe,
    close: async () => {
      await app.close();
      await db.close();
      await testDb.drop();
      await stripe.close();
    },
  };
}

/** Root saves the Stripe settings through option.update, as in the settings page. */
export async function configureStripe(server: TestConsole, values: Record<string, string> = {}) {
  const root = await signedInUser(server, { role: 100 });
  await root.api.option.update.mutate({
    values: {
      StripeApiSecret: API_SECRET,
      StripeWebhookSecret: WEBHOOK_SECRET,
      ...values,
    },
  });
  return root;
}
