import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import Stripe from 'stripe';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form fields as Stripe's clients encode them: `line_items[0][price_data][currency]`. */
  form: Record<string, string>;
}

export type CheckoutSession = Record<string, unknown> & { id: string; url: string };

/**
 * Stripe's API as far as top-ups use it: `POST /v1/checkout/sessions` answers a Checkout
 * Session object (as https://docs.stripe.com/api/checkout/sessions/object shows it) and records
 * the request. `refuseNext` answers the next call with Stripe's error shape instead.
 */
export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, CheckoutSession>();
  private refusal: { status: number; message: string } | undefined;
  private server: Server;
  base = '';

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
        const path = request.url ?? '';
        this.requests.push({ method: request.method ?? '', path, headers: request.headers, form });
        const send = (status: number, body: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_1' });
          response.end(JSON.stringify(body));
        };
        if (this.refusal) {
          const { status, message } = this.refusal;
          this.refusal = undefined;
          send(status, { error: { type: 'invalid_request_error', message } });
          return;
        }
        if (request.method === 'POST' && path === '/v1/checkout/sessions') {
          send(200, this.createSession(form));
          return;
        }
        send(404, { error: { type: 'invalid_request_error', message: `Unrecognized ${path}` } });
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  refuseNext(status: number, message: string): void {
    this.refusal = { status, message };
  }

  private createSession(form: Record<string, string>): CheckoutSession {
    const id = `cs_test_${randomBytes(24).toString('hex')}`;
    const amount =
      Number(form['line_items[0][price_data][unit_amount]']) *
      Number(form['line_items[0][quantity]'] ?? 1);
    const now = Math.floor(Date.now() / 1000);
    const metadata = Object.fromEntries(
      Object.entries(form)
        .filter(([key]) => key.startsWith('metadata['))
        .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
    );
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      amount_subtotal: amount,
      amount_total: amount,
      cancel_url: form.cancel_url ?? null,
      client_reference_id: form.client_reference_id ?? null,
      created: now,
      currency: form['line_items[0][price_data][currency]'] ?? null,
      customer: null,
      customer_email: form.customer_email ?? null,
      expires_at: now + 86_400,
      livemode: false,
      metadata,
      mode: form.mode ?? 'payment',
      payment_intent: null,
      payment_status: 'unpaid',
      status: 'open',
      success_url: form.success_url ?? null,
      url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
    };
    this.sessions.set(id, session);
    return session;
  }
}

/** An event as Stripe delivers it to a webhook endpoint, and its Stripe-Signature header. */
export function signedEvent(
  type: string,
  session: Record<string, unknown>,
  secret: string,
): { payload: string; signature: string } {
  const payload = JSON.stringify(
    {
      id: `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2026-11-18.endive',
      created: Math.floor(Date.now() / 1000),
      data: { object: session },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    },
    null,
    2,
  );
  // t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.payload" keyed with the endpoint secret>
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return { payload, signature };
}

/** POSTs an event to the console's webhook as Stripe does (JSON, from Stripe's servers). */
export async function deliver(
  base: string,
  event: { payload: string; signature?: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}/api/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      ...(event.signature === undefined ? {} : { 'stripe-signature': event.signature }),
      ...headers,
    },
    body: event.payload,
  });
  return { status: response.status, body: await response.text() };
}
