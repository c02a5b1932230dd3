import type { Notification } from '@chat-api/db';
import { emailText } from './email-text.js';
import type { Mailer } from './mailer.js';
import type { NotificationSettings } from './settings.js';
import { postWebhook } from './webhook.js';

export type Target = 'email' | 'webhook';

export interface DeliveryContext {
  settings: NotificationSettings;
  /** The run's SMTP connection settings, opened on first use. */
  mailer(): Mailer;
  /** Whom the event's email goes to; '' when nobody has an address. */
  recipientOf(notification: Notification): Promise<string>;
  nowSeconds: number;
}

export type Delivery =
  | { outcome: 'sent'; delivered: string[] }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; delivered: string[]; error: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends one outbox event to each configured target that does not have it yet: an email (when
 * SMTP is set up and the event has a recipient) and the webhook (when its URL is set). With no
 * target at all, the event is skipped rather than retried forever.
 */
export async function deliver(
  notification: Notification,
  context: DeliveryContext,
): Promise<Delivery> {
  const { settings } = context;
  const targets: { name: Target; send: () => Promise<void> }[] = [];
  const missing: string[] = [];
  if (settings.smtp) {
    const to = await context.recipientOf(notification);
    if (to) {
      const mail = { to, ...emailText(notification, settings) };
      targets.push({ name: 'email', send: () => context.mailer().send(mail) });
    } else {
      missing.push('no email address to send it to');
    }
  } else {
    missing.push('no SMTPServer');
  }
  const webhook = settings.webhook;
  if (webhook) {
    const body = {
      id: notification.id,
      event: notification.event,
      occurredAt: notification.createdAt,
      data: notification.data,
    };
    targets.push({ name: 'webhook', send: () => postWebhook(webhook, body, context.nowSeconds) });
  } else {
    missing.push('no NotificationWebhookUrl');
  }
  if (targets.length === 0) {
    return { outcome: 'skipped', reason: `nowhere to send it: ${missing.join(', ')}` };
  }

  // A retry sends only to the targets the earlier attempts did not reach.
  const delivered = [...notification.delivered];
  const errors: string[] = [];
  for (const target of targets) {
    if (delivered.includes(target.name)) continue;
    try {
      await target.send();
      delivered.push(target.name);
    } catch (error) {
      errors.push(`${target.name}: ${messageOf(error)}`);
    }
  }
  return errors.length === 0
    ? { outcome: 'sent', delivered }
    : { outcome: 'failed', delivered, error: errors.join('; ') };
}
