import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogType } from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { readConsoleEnv } from '../src/server/env.js';
import { deliver, signedEvent, type CheckoutSession } from './fake-stripe.js';
import { errorCode, failure, signedInUser, type TestConsole } from './helpers.js';
import {
  API_SECRET,
  configureStripe,
  startConsoleWithStripe,
  WEBHOOK_SECRET,
} from './top-up-helpers.js';

type StripeConsole = Awaited<ReturnType<typeof startConsoleWithStripe>>;

/** A user starts a top-up; the fake Stripe's copy of the session it opened. */
async function startTopUp(
  server: StripeConsole,
  user: Awaited<ReturnType<typeof signedInUser>>,
  units: number,
) {
  const { url } = await user.api.topUp.create.mutate({ units });
  const session = [...server.stripe.sessions.values()].find((s) => s.url === url);
  if (!session) throw new Error('no session behind the returned URL');
  return session;
}

const paid = (session: CheckoutSession) => ({
  ...session,
  status: 'complete',
  payment_status: 'paid',
  payment_intent: 'pi_test_1',
});

describe('online top-up with Stripe', () => {
  let server: StripeConsole;
  beforeAll(async () => {
    server = await startConsoleWithStripe();
    await configureStripe(server, {
      StripeUnitPrice: '7.5',
      StripeCurrency: 'eur',
      StripeMinTopUp: '5',
      TopUpBonusTiers: '{"10":5,"100":10}',
      QuotaPerUnit: '500000',
    });
  });
  afterAll(() => server?.close());

  it('shows a signed-in user the price, the minimum and the bonus tiers', async () => {
    const user = await signedInUser(server);
    expect(await user.api.topUp.options.query()).toEqual({
      enabled: true,
      currency: 'eur',
      unitPrice: 7.5,
      minUnits: 5,
      maxUnits: 100_000,
      quotaPerUnit: 500_000,
      bonusTiers: [
        { units: 10, percent: 5 },
        { units: 100, percent: 10 },
      ],
    });
  });

  it('opens a Checkout Session for the price with the bonus tier reached, and records it pending', async () => {
    const user = await signedInUser(server);
    const before = server.stripe.requests.length;
    const result = await user.api.topUp.create.mutate({ units: 120 });

    expect(result.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    // 120 units × 7.50 EUR = 900.00 EUR; the 100-unit tier adds 10 % to 120 × 500000 quota.
    expect(result).toMatchObject({ amount: 90_000, currency: 'eur', quota: 66_000_000 });
    expect(result.price).toBe('900.00 EUR');

    expect(server.stripe.requests).toHaveLength(before + 1);
    const sent = server.stripe.requests.at(-1)!;
    expect(sent.path).toBe('/v1/checkout/sessions');
    expect(sent.headers.authorization).toBe(`Bearer ${API_SECRET}`);
    expect(sent.form).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '90000',
      'line_items[0][price_data][product_data][description]': 'Includes a 10% bonus',
      client_reference_id: String(user.user.id),
      'metadata[units]': '120',
      'metadata[quota]': '66000000',
    });
    expect(sent.form.success_url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/top-up\?status=success&session_id=\{CHECKOUT_SESSION_ID\}$/,
    );
    expect(sent.form.cancel_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/top-up\?status=cancelled$/);

    const { items, total } = await user.api.topUp.list.query();
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({
      units: 120,
      quota: 66_000_000,
      amount: 90_000,
      currency: 'eur',
      status: 'pending',
      creditedTime: 0,
    });
    // Nothing is credited before Stripe says it is paid.
    expect((await user.api.auth.me.query()).quota).toBe(0);
  });

  it('charges the plain price below the first bonus tier', async () => {
    const user = await signedInUser(server);
    const result = await user.api.topUp.create.mutate({ units: 9 });
    expect(result).toMatchObject({ amount: 6750, quota: 4_500_000, price: '67.50 EUR' });
  });

  it('refuses fewer units than StripeMinTopUp without calling Stripe', async () => {
    const user = await signedInUser(server);
    const before = server.stripe.requests.length;
    expect(await failure(user.api.topUp.create.mutate({ units: 4 }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'units: at least 5',
    });
    expect(await errorCode(user.api.topUp.create.mutate({ units: 2.5 }))).toBe('BAD_REQUEST');
    expect(await errorCode(user.api.topUp.create.mutate({ units: 100_001 }))).toBe('BAD_REQUEST');
    expect(server.stripe.requests).toHaveLength(before);
    expect((await user.api.topUp.list.query()).total).toBe(0);
  });

  it("passes Stripe's refusal on and records nothing", async () => {
    const user = await signedInUser(server);
    server.stripe.refuseNext(400, 'Amount must convert to at least 50 cents.');
    expect(await failure(user.api.topUp.create.mutate({ units: 5 }))).toEqual({
      code: 'BAD_GATEWAY',
      message: 'Stripe: [req_1] Amount must convert to at least 50 cents.',
    });
    expect((await user.api.topUp.list.query()).total).toBe(0);
  });

  it('credits a paid session once: quota, one top-up log, status credited', async () => {
    const user = await signedInUser(server, { quota: 1000 });
    const session = await startTopUp(server, user, 10);
    const event = signedEvent('checkout.session.completed', paid(session), WEBHOOK_SECRET);

    expect(await deliver(server.base, event)).toMatchObject({ status: 200 });
    expect(await deliver(server.base, event)).toMatchObject({ status: 200 });

    // 10 units reach the 5 % tier: 5,000,000 + 250,000.
    expect((await user.api.auth.me.query()).quota).toBe(1000 + 5_250_000);
    const logs = await user.api.log.list.query({ type: LogType.topup });
    expect(logs.total).toBe(1);
    expect(logs.items[0]).toMatchObject({ quota: 5_250_000, username: user.user.username });
    expect(logs.items[0]!.content).toContain('75.00 EUR');
    const [row] = (await user.api.topUp.list.query()).items;
    expect(row).toMatchObject({ status: 'credited' });
    expect(row!.creditedTime).toBeGreaterThan(0);
  });

  it('waits for a delayed payment: completed unpaid, credited when it succeeds', async () => {
    const user = await signedInUser(server);
    const session = await startTopUp(server, user, 5);
    const completedUnpaid = { ...session, status: 'complete', payment_status: 'unpaid' };
    const completed = signedEvent('checkout.session.completed', completedUnpaid, WEBHOOK_SECRET);
    expect((await deliver(server.base, completed)).status).toBe(200);
    expect((await user.api.auth.me.query()).quota).toBe(0);
    expect((await user.api.topUp.list.query()).items[0]!.status).toBe('pending');

    const succeeded = signedEvent(
      'checkout.session.async_payment_succeeded',
      paid(session),
      WEBHOOK_SECRET,
    );
    expect((await deliver(server.base, succeeded)).status).toBe(200);
    expect((await user.api.auth.me.query()).quota).toBe(2_500_000);
  });

  it('marks an expired session expired; a payment event for it later credits nothing', async () => {
    const user = await signedInUser(server);
    const session = await startTopUp(server, user, 5);
    const expired = signedEvent(
      'checkout.session.expired',
      { ...session, status: 'expired' },
      WEBHOOK_SECRET,
    );
    expect((await deliver(server.base, expired)).status).toBe(200);
    expect((await user.api.topUp.list.query()).items[0]!.status).toBe('expired');

    const late = signedEvent('checkout.session.completed', paid(session), WEBHOOK_SECRET);
    expect((await deliver(server.base, late)).status).toBe(200);
    expect((await user.api.auth.me.query()).quota).toBe(0);
    expect((await user.api.log.list.query({ type: LogType.topup })).total).toBe(0);
  });

  it('refuses a bad or missing signature with 400 and credits nothing', async () => {
    const user = await signedInUser(server);
    const session = await startTopUp(server, user, 5);
    const forged = signedEvent('checkout.session.completed', paid(session), 'whsec_not_ours');
    expect((await deliver(server.base, forged)).status).toBe(400);

    const genuine = signedEvent('checkout.session.completed', paid(session), WEBHOOK_SECRET);
    expect((await deliver(server.base, { payload: genuine.payload })).status).toBe(400);
    // The signature is over the exact bytes: the same event re-serialized does not pass.
    const reformatted = JSON.stringify(JSON.parse(genuine.payload));
    expect(
      (await deliver(server.base, { payload: reformatted, signature: genuine.signature })).status,
    ).toBe(400);
    // A genuine signature for one body does not vouch for another.
    const tampered = genuine.payload.replace(session.id, 'cs_test_someone_else');
    expect(
      (await deliver(server.base, { payload: tampered, signature: genuine.signature })).status,
    ).toBe(400);

    expect((await user.api.auth.me.query()).quota).toBe(0);
    expect((await user.api.topUp.list.query()).items[0]!.status).toBe('pending');
  });

  it('acknowledges events it does not handle and sessions it does not know', async () => {
    const other = signedEvent(
      'payment_intent.succeeded',
      { id: 'pi_test_1', object: 'payment_intent' },
      WEBHOOK_SECRET,
    );
    expect((await deliver(server.base, other)).status).toBe(200);
    const unknown = signedEvent(
      'checkout.session.completed',
      { id: 'cs_test_not_from_here', object: 'checkout.session', payment_status: 'paid' },
      WEBHOOK_SECRET,
    );
    expect((await deliver(server.base, unknown)).status).toBe(200);
  });

  it('shows a common user only their own top-ups; admins see everyone’s, by username', async () => {
    const alice = await signedInUser(server);
    const bob = await signedInUser(server);
    await startTopUp(server, alice, 5);
    await startTopUp(server, bob, 6);

    const own = await alice.api.topUp.list.query({ username: bob.user.username });
    expect(own.total).toBe(1);
    expect(own.items[0]).toMatchObject({ units: 5 });
    expect(own.items[0]).not.toHaveProperty('username');
    expect(own.items[0]).not.toHaveProperty('userId');

    const admin = await signedInUser(server, { role: 10 });
    const all = await admin.api.topUp.list.query({ pageSize: 100 });
    const names = all.items.map((item) => item.username);
    expect(names).toContain(alice.user.username);
    expect(names).toContain(bob.user.username);
    const bobs = await admin.api.topUp.list.query({ username: bob.user.username });
    expect(bobs.items).toEqual([
      expect.objectContaining({ username: bob.user.username, userId: bob.user.id, units: 6 }),
    ]);
  });

  it('masks the Stripe secrets in option.list; saving the mask back keeps them', async () => {
    const root = await signedInUser(server, { role: 100 });
    const options = await root.api.option.list.query();
    expect(options.StripeApiSecret).toBe('********');
    expect(options.StripeWebhookSecret).toBe('********');
    expect(JSON.stringify(options)).not.toContain(API_SECRET);
    expect(JSON.stringify(options)).not.toContain(WEBHOOK_SECRET);
    expect(options).toMatchObject({ StripeCurrency: 'eur', StripeUnitPrice: '7.5' });

    await root.api.option.update.mutate({ values: { ...options, StripeMinTopUp: '5' } });

    // Both still work: Stripe gets the real key, the webhook checks the real secret.
    const user = await signedInUser(server);
    const session = await startTopUp(server, user, 5);
    expect(server.stripe.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_SECRET}`);
    const event = signedEvent('checkout.session.completed', paid(session), WEBHOOK_SECRET);
    expect((await deliver(server.base, event)).status).toBe(200);
    expect((await user.api.auth.me.query()).quota).toBe(2_500_000);
  });

  it('refuses bonus tiers whose thresholds are not whole numbers', async () => {
    const root = await signedInUser(server, { role: 100 });
    expect(
      await failure(root.api.option.update.mutate({ values: { TopUpBonusTiers: '{"ten":5}' } })),
    ).toEqual({
      code: 'BAD_REQUEST',
      message: 'TopUpBonusTiers: "ten" must be a whole number ≥ 1',
    });
  });

  it('needs a signed-in user', async () => {
    const { client } = await import('./helpers.js');
    const anonymous = client(server.base);
    expect(await errorCode(anonymous.api.topUp.options.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(anonymous.api.topUp.create.mutate({ units: 5 }))).toBe('UNAUTHORIZED');
    expect(await errorCode(anonymous.api.topUp.list.query())).toBe('UNAUTHORIZED');
  });
});

describe('online top-up before Stripe is set up', () => {
  let server: TestConsole;
  beforeAll(async () => {
    server = await startConsoleWithStripe();
  });
  afterAll(() => server?.close());

  it('says it is off and opens no session', async () => {
    const user = await signedInUser(server);
    expect((await user.api.topUp.options.query()).enabled).toBe(false);
    expect(await failure(user.api.topUp.create.mutate({ units: 5 }))).toEqual({
      code: 'PRECONDITION_FAILED',
      message: 'Online top-up is not set up on this site.',
    });
  });
});

describe.each(databaseBackends())(
  'Stripe webhook delivered 10 times at once on $name',
  ({ name, skip }) => {
    let server: StripeConsole;
    beforeAll(async () => {
      if (skip) return;
      server = await startConsoleWithStripe({ backend: name });
      await configureStripe(server);
    });
    afterAll(() => server?.close());

    it.skipIf(skip)('credits the quota, the log and the status exactly once', async () => {
      const user = await signedInUser(server, { quota: 123 });
      const session = await startTopUp(server, user, 20);
      const event = signedEvent('checkout.session.completed', paid(session), WEBHOOK_SECRET);

      const answers = await Promise.all(
        Array.from({ length: 10 }, () => deliver(server.base, event)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));

      expect((await user.api.auth.me.query()).quota).toBe(123 + 20 * 500_000);
      const logs = await user.api.log.list.query({ type: LogType.topup });
      expect(logs.items.map((log) => log.quota)).toEqual([20 * 500_000]);
      const rows = await user.api.topUp.list.query();
      expect(rows.items.map((row) => row.status)).toEqual(['credited']);
    });
  },
);

describe('STRIPE_API_BASE', () => {
  it('is unset by default (Stripe itself) and stops the start when it is not an http(s) URL', () => {
    expect(readConsoleEnv({}).stripeApiBase).toBeUndefined();
    expect(readConsoleEnv({ STRIPE_API_BASE: 'http://127.0.0.1:12111' }).stripeApiBase).toBe(
      'http://127.0.0.1:12111',
    );
    expect(() => readConsoleEnv({ STRIPE_API_BASE: 'api.stripe.com' })).toThrow(
      /^STRIPE_API_BASE: /,
    );
    expect(() => readConsoleEnv({ STRIPE_API_BASE: 'ftp://stripe.example' })).toThrow(
      /^STRIPE_API_BASE: /,
    );
  });
});
