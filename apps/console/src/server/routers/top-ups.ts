import { TRPCError } from '@trpc/server';
import Stripe from 'stripe';
import { z } from 'zod';
import { Role, type TopUp, type User } from '@chat-api/db';
import type { Context } from '../context.js';
import {
  formatAmount,
  MAX_TOP_UP_UNITS,
  quote,
  settingsProblem,
  topUpSettings,
} from '../top-up/pricing.js';
import { stripeClient } from '../top-up/stripe-client.js';
import { userProcedure, router } from '../trpc.js';
import { plainText } from './plain-text.js';

/** Where Stripe sends the buyer back: the console's top-up page. */
function returnUrls(ctx: Context) {
  const base = ctx.publicUrl ?? `${ctx.req.protocol}://${ctx.req.host}`;
  return {
    // Stripe fills in {CHECKOUT_SESSION_ID} itself.
    success_url: `${base}/top-up?status=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${base}/top-up?status=cancelled`,
  };
}

const isAdmin = (user: User) => user.role >= Role.admin;

function view(topUp: TopUp & { username: string }, admin: boolean) {
  return {
    id: topUp.id,
    ...(admin ? { userId: topUp.userId, username: topUp.username } : {}),
    units: topUp.units,
    quota: topUp.quota,
    amount: topUp.amount,
    currency: topUp.currency,
    /** "12.50 USD": the amount in the currency's own digits. */
    price: formatAmount(topUp.amount, topUp.currency),
    status: topUp.status,
    createdTime: topUp.createdTime,
    creditedTime: topUp.creditedTime,
  };
}

/** Stripe's own words for a refused call (its messages never carry the secret key). */
function stripeFailure(error: unknown): TRPCError {
  if (error instanceof Stripe.errors.StripeError) {
    return new TRPCError({ code: 'BAD_GATEWAY', message: `Stripe: ${error.message}` });
  }
  return new TRPCError({ code: 'BAD_GATEWAY', message: 'Stripe cannot be reached.', cause: error });
}

export const topUpRouter = router({
  /** What the top-up page shows: whether paying online is on, the price and the bonus tiers. */
  options: userProcedure.query(async ({ ctx }) => {
    const settings = topUpSettings(await ctx.db.repos.options.effective());
    return {
      enabled: settings.enabled && settingsProblem(settings) === undefined,
      currency: settings.currency,
      unitPrice: settings.unitPrice,
      minUnits: settings.minUnits,
      maxUnits: settings.maxUnits,
      quotaPerUnit: settings.quotaPerUnit,
      bonusTiers: settings.bonusTiers,
    };
  }),

  /**
   * Opens a Stripe Checkout Session for `units` and records it as pending; the quota is
   * credited when Stripe reports the payment to the webhook. Returns the page to pay on.
   */
  create: userProcedure
    .input(z.object({ units: z.number().int().min(1).max(MAX_TOP_UP_UNITS) }))
    .mutation(async ({ ctx, input }) => {
      const settings = topUpSettings(await ctx.db.repos.options.effective());
      if (!settings.enabled) {
        throw new TRPCError({
          code: 'PRECONDITION_FAILED',
          message: 'Online top-up is not set up on this site.',
        });
      }
      const problem = settingsProblem(settings);
      if (problem) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: problem });
      if (input.units < settings.minUnits) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `units: at least ${settings.minUnits}`,
        });
      }
      const price = quote(settings, input.units);
      if (!price) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'units: the amount is outside what Stripe can charge',
        });
      }
      const stripe = stripeClient(settings.apiSecret, ctx.stripeApiBase);
      let session: Stripe.Checkout.Session;
      try {
        session = await stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: price.currency,
                unit_amount: price.amount,
                product_data: {
                  name: `${settings.systemName || 'Chat API'} top-up: ${price.units} units`,
                  ...(price.bonusPercent > 0
                    ? { description: `Includes a ${price.bonusPercent}% bonus` }
                    : {}),
                },
              },
            },
          ],
          client_reference_id: String(ctx.user.id),
          metadata: {
            user_id: String(ctx.user.id),
            units: String(price.units),
            quota: String(price.quota),
          },
          ...(ctx.user.email.trim() ? { customer_email: ctx.user.email.trim() } : {}),
          ...returnUrls(ctx),
        });
      } catch (error) {
        throw stripeFailure(error);
      }
      if (!session.url) throw stripeFailure(new Error('the session has no url'));
      await ctx.db.repos.topUps.createPending({
        userId: ctx.user.id,
        stripeSessionId: session.id,
        units: price.units,
        quota: price.quota,
        amount: price.amount,
        currency: price.currency,
      });
      return {
        url: session.url,
        amount: price.amount,
        currency: price.currency,
        quota: price.quota,
        price: formatAmount(price.amount, price.currency),
      };
    }),

  /** Newest first: a user's own top-ups; administrators see everyone's, by username if asked. */
  list: userProcedure
    .input(
      z
        .object({
          page: z.number().int().min(1).optional(),
          pageSize: z.number().int().min(1).max(100).optional(),
          username: plainText(z.string().trim().max(64)).optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input = {} }) => {
      const admin = isAdmin(ctx.user);
      const page = { page: input.page ?? 1, pageSize: input.pageSize ?? 20 };
      let userId: number | undefined = ctx.user.id;
      if (admin) {
        userId = undefined;
        if (input.username) {
          const owner = await ctx.db.repos.users.findByUsername(input.username);
          if (!owner) return { items: [], total: 0 };
          userId = owner.id;
        }
      }
      const { items, total } = await ctx.db.repos.topUps.list({
        ...(userId === undefined ? {} : { userId }),
        page,
      });
      return { items: items.map((item) => view(item, admin)), total };
    }),
});
