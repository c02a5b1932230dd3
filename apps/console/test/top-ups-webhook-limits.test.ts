import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, signedEvent } from './fake-stripe.js';
import { signedInUser } from './helpers.js';
import { configureStripe, startConsoleWithStripe, WEBHOOK_SECRET } from './top-up-helpers.js';

type StripeConsole = Awaited<ReturnType<typeof startConsoleWithStripe>>;

/** The console's own guards (cross-site refusal, per-IP web limit) and Stripe's deliveries. */
describe('the Stripe webhook behind the console’s request guards', () => {
  let server: StripeConsole;
  beforeAll(async () => {
    // Three page requests per IP per 3 minutes: a burst of deliveries would pass it at once.
    server = await startConsoleWithStripe({
      limits: { apiPer3Minutes: 1e6, webPer3Minutes: 3, authAttemptsPerMinute: 1e6 },
    });
    await configureStripe(server);
  });
  afterAll(() => server?.close());

  it('takes a burst of deliveries from one address while pages from it are limited', async () => {
    const user = await signedInUser(server);
    const sessions = [];
    for (let i = 0; i < 8; i++) {
      const { url } = await user.api.topUp.create.mutate({ units: 1 });
      sessions.push([...server.stripe.sessions.values()].find((s) => s.url === url)!);
    }
    const answers = await Promise.all(
      sessions.map((session) =>
        deliver(
          server.base,
          signedEvent(
            'checkout.session.completed',
            { ...session, status: 'complete', payment_status: 'paid' },
            WEBHOOK_SECRET,
          ),
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect((await user.api.auth.me.query()).quota).toBe(8 * 500_000);

    // The limit itself still holds for everything else from that address.
    const pages = [];
    for (let i = 0; i < 5; i++) pages.push((await fetch(`${server.base}/top-up`)).status);
    expect(pages).toContain(429);
  });

  it('is not refused as a cross-site post, while the console API still is', async () => {
    const user = await signedInUser(server);
    const { url } = await user.api.topUp.create.mutate({ units: 2 });
    const session = [...server.stripe.sessions.values()].find((s) => s.url === url)!;
    const event = signedEvent(
      'checkout.session.completed',
      { ...session, status: 'complete', payment_status: 'paid' },
      WEBHOOK_SECRET,
    );
    const foreign = { origin: 'https://hooks.stripe.com', referer: 'https://stripe.com/' };
    expect((await deliver(server.base, event, foreign)).status).toBe(200);
    expect((await user.api.auth.me.query()).quota).toBe(1_000_000);

    const cookie = [...user.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const forged = await fetch(`${server.base}/trpc/auth.createAccessToken`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', ...foreign },
      body: '{}',
    });
    expect(forged.status).toBe(403);
  });

  it('keeps the exemption to the webhook route: a lookalike path is still limited', async () => {
    const answer = await fetch(`${server.base}/api/stripe/webhook-not`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(answer.status).toBe(403);
  });
});
