import Stripe from 'stripe';

/** Stripe's API, unless STRIPE_API_BASE points elsewhere (a local mock, a test server). */
export const DEFAULT_STRIPE_API_BASE = 'https://api.stripe.com';

/** A client for the secret key, talking to `apiBase`. */
export function stripeClient(secret: string, apiBase: string): Stripe {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secret, {
    host: url.hostname,
    port: url.port || (protocol === 'http' ? 80 : 443),
    protocol,
    // Retried creates carry the same idempotency key, so Stripe makes one session.
    maxNetworkRetries: 2,
    timeout: 20_000,
  });
}
