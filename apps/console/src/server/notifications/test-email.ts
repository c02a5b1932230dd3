import { testEmailText } from './email-text.js';
import { createMailer } from './mailer.js';
import type { NotificationSettings } from './settings.js';

/** Why the test email could not be sent: a setting missing, or the SMTP server's refusal. */
export class TestEmailError extends Error {
  constructor(
    message: string,
    readonly kind: 'settings' | 'smtp',
  ) {
    super(message);
  }
}

/** Sends the test email now, with the saved SMTP settings, and waits for the server's answer. */
export async function sendTestEmail(settings: NotificationSettings, to: string): Promise<void> {
  if (!settings.smtp) {
    throw new TestEmailError(
      'SMTPServer: set the SMTP server and save the settings first.',
      'settings',
    );
  }
  if (!to) {
    throw new TestEmailError(
      'to: enter an address (NotificationEmail and your account have none).',
      'settings',
    );
  }
  const mailer = createMailer(settings.smtp);
  try {
    await mailer.send({ to, ...testEmailText(settings) });
  } catch (error) {
    throw new TestEmailError(
      `SMTP: ${error instanceof Error ? error.message : String(error)}`,
      'smtp',
    );
  } finally {
    mailer.close();
  }
}
