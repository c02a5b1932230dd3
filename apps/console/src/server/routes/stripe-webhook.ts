import type { FastifyInstance, FastifyRequest } from 'fastify';
import Stripe from 'stripe';
import type { Database, TopUp } from '@chat-api/db';
import { formatAmount, topUpSettings } from '../top-up/pricing.js';

/** The address to register in Stripe's dashboard (Developers → Webhooks). */
export const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';

/** The webhook by its route, not by the URL's spelling (`%77ebhook` routes here too). */
export function isStripeWebhook(request: FastifyRequest): boolean {
  return request.method === 'POST' && request.routeOptions.url === STRIPE_WEBHOOK_PATH;
}

const describe = (topUp: TopUp) =>
  `Stripe top-up of ${topUp.units} units, paid ${formatAmount(topUp.amount, topUp.currency)}: ` +
  `${topUp.quota} quota`;

/**
 * `POST /api/stripe/webhook`: Stripe's word that a Checkout Session was paid or expired. The
 * event counts only when its Stripe-Signature checks out over the raw body with
 * StripeWebhookSecret (400 otherwise, nothing credited). A paid session credits its pending
 * top-up exactly once however often Stripe delivers the event; events for other sessions or of
 * other types are acknowledged with 200 and ignored.
 */
export async function stripeWebhookRoute(app: FastifyInstance, db: Database): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the bytes as sent: keep the body raw, whatever its content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      done(null, body);
    });

    scope.post(STRIPE_WEBHOOK_PATH, async (request, reply) => {
      const { webhookSecret } = topUpSettings(await db.repos.options.effective());
      if (!webhookSecret) {
        return reply.code(503).send({ error: 'StripeWebhookSecret is not set.' });
      }
      const signature = request.headers['stripe-signature'];
      if (typeof signature !== 'string' || !Buffer.isBuffer(request.body)) {
        return reply.code(400).send({ error: 'Missing Stripe-Signature or body.' });
      }
      let event: Stripe.Event;
      try {
        event = await Stripe.webhooks.constructEventAsync(request.body, signature, webhookSecret);
      } catch {
        return reply.code(400).send({ error: 'Bad Stripe-Signature.' });
      }

      switch (event.type) {
        case 'checkout.session.completed':
        case 'checkout.session.async_payment_succeeded':
          // A delayed method (bank debit) completes unpaid and succeeds later.
          if (event.data.object.payment_status === 'paid') {
            await db.repos.topUps.credit(event.data.object.id, describe);
          }
          break;
        case 'checkout.session.expired':
        case 'checkout.session.async_payment_failed':
          await db.repos.topUps.expire(event.data.object.id);
          break;
        default:
          break;
      }
      return reply.code(200).send({ received: true });
    });
  });
}
