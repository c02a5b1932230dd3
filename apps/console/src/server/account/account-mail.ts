import type { OptionKey } from '@chat-api/db';
import { createMailer } from '../notifications/mailer.js';
import { notificationSettings } from '../notifications/settings.js';

/** Whether mail can leave at all: SMTPServer is set. */
export function canSendMail(options: Record<OptionKey, string>): boolean {
  return notificationSettings(options).smtp !== undefined;
}

/** Sends one message through the SMTP options; rejects with the server's reason. */
export async function sendAccountMail(
  options: Record<OptionKey, string>,
  to: string,
  subject: string,
  text: string,
): Promise<void> {
  const { smtp } = notificationSettings(options);
  if (!smtp) throw new Error('SMTPServer is not set');
  const mailer = createMailer(smtp);
  try {
    await mailer.send({ to, subject, text });
  } finally {
    mailer.close();
  }
}

export function verificationMail(systemName: string, code: string, minutes: number) {
  return {
    subject: `${systemName}: your sign-up code ${code}`,
    text:
      `Your code to sign up at ${systemName} is ${code}\n\n` +
      `It works once, for ${minutes} minutes. If you did not ask for it, ignore this mail.\n\n` +
      `您在 ${systemName} 注册的验证码是 ${code}，${minutes} 分钟内有效，仅可使用一次。\n`,
  };
}

export function resetMail(systemName: string, username: string, link: string, minutes: number) {
  return {
    subject: `${systemName}: reset your password`,
    text:
      `Someone asked to reset the password of ${username} at ${systemName}. To choose a new ` +
      `one, open\n\n${link}\n\nThe link works once, for ${minutes} minutes, and signs you ` +
      `out everywhere. If you did not ask for it, ignore this mail.\n\n` +
      `如需重置 ${username} 在 ${systemName} 的密码，请在 ${minutes} 分钟内打开上面的链接（仅可使用一次）。\n`,
  };
}
