import type { OptionKey } from '@chat-api/db';

/** How mail leaves: the SMTP options (One API's names). */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (SMTPSSLEnabled, or port 465); otherwise STARTTLS when offered. */
  secure: boolean;
  /** SMTPAccount; empty = no login. */
  user: string;
  /** SMTPToken: the account's password or app token. */
  pass: string;
  /** SMTPFrom, or the account when it is empty. */
  from: string;
}

export interface WebhookSettings {
  url: string;
  /** NotificationWebhookSecret; empty = requests go unsigned. */
  secret: string;
}

/** Where notifications go, read from the options at the start of each delivery run. */
export interface NotificationSettings {
  systemName: string;
  quotaPerUnit: number;
  /** Undefined when SMTPServer is empty: no email at all. */
  smtp?: SmtpSettings;
  /** NotificationEmail: channel notices go there (the root user's email when empty). */
  adminEmail: string;
  /** Undefined when NotificationWebhookUrl is empty. */
  webhook?: WebhookSettings;
}

export function notificationSettings(options: Record<OptionKey, string>): NotificationSettings {
  const host = options.SMTPServer.trim();
  const port = Number(options.SMTPPort);
  const url = options.NotificationWebhookUrl.trim();
  return {
    systemName: options.SystemName,
    quotaPerUnit: Number(options.QuotaPerUnit),
    smtp: host
      ? {
          host,
          port,
          secure: options.SMTPSSLEnabled === 'true' || port === 465,
          user: options.SMTPAccount.trim(),
          pass: options.SMTPToken,
          from: options.SMTPFrom.trim() || options.SMTPAccount.trim(),
        }
      : undefined,
    adminEmail: options.NotificationEmail.trim(),
    webhook: url ? { url, secret: options.NotificationWebhookSecret } : undefined,
  };
}
