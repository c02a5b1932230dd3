import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export const SMTP_ACCOUNT = 'gateway@example.com';
export const SMTP_TOKEN = 'smtp-app-token-5f8Qe2';

export interface ReceivedMail {
  /** RCPT TO addresses. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  /** The account the sender signed in with. */
  login: string;
}

/**
 * A local SMTP server (no TLS) that admits only SMTP_ACCOUNT / SMTP_TOKEN and keeps every
 * message it is handed, parsed as a mail client would.
 */
export async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_ACCOUNT && auth.password === SMTP_TOKEN) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((address) => address.address),
            from: parsed.from?.value[0]?.address ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            login: String(session.user ?? ''),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface WebhookDelivery {
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  json: { id: number; event: string; occurredAt: number; data: Record<string, unknown> };
  /** What the receiver answered. */
  status: number;
}

/** A local webhook receiver; `failNext(n)` answers the next n deliveries with a 500. */
export async function startWebhookReceiver() {
  const deliveries: WebhookDelivery[] = [];
  let failures = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = failures > 0 ? 500 : 204;
      if (failures > 0) failures -= 1;
      deliveries.push({
        headers: request.headers,
        body,
        json: JSON.parse(body) as WebhookDelivery['json'],
        status,
      });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/chat-api`,
    deliveries,
    failNext(count: number) {
      failures = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The receiver's check, as the README shows it: HMAC-SHA256 of `${timestamp}.${body}`. */
export function signatureValid(delivery: WebhookDelivery, secret: string): boolean {
  const timestamp = String(delivery.headers['x-chat-api-timestamp'] ?? '');
  const received = String(delivery.headers['x-chat-api-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${delivery.body}`).digest('hex')}`;
  return (
    received.length === expected.length &&
    timingSafeEqual(Buffer.from(received), Buffer.from(expected))
  );
}
