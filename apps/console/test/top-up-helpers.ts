import type { DatabaseBackend } from '@chat-api/db/testing';
import type { ConsoleLimits } from '../src/server/limits.js';
import { FakeStripe } from './fake-stripe.js';
import { signedInUser, startConsole, type TestConsole } from './helpers.js';

export const API_SECRET = 'sk_test_51TopUpsFakeKey0000000000';
export const WEBHOOK_SECRET = 'whsec_test_top_ups_0123456789abcdef';

/** The console as started with STRIPE_API_BASE pointing at a fake Stripe of the test's own. */
export async function startConsoleWithStripe(
  options: { backend?: DatabaseBackend; limits?: ConsoleLimits } = {},
): Promise<TestConsole & { stripe: FakeStripe }> {
  const stripe = new FakeStripe();
  await stripe.start();
  const server = await startConsole({ ...options, build: { stripeApiBase: stripe.base } });
  return {
    ...server,
    stripe,
    close: async () => {
      await server.close();
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
