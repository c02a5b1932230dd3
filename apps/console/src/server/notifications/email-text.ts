import type { Notification } from '@chat-api/db';
import type { Mail } from './mailer.js';
import type { NotificationSettings } from './settings.js';

type Text = Omit<Mail, 'to'>;

/** Quota in USD as the console shows it (QuotaPerUnit quota = 1 USD). */
function usd(quota: number, quotaPerUnit: number): string {
  return `$${(quota / quotaPerUnit).toFixed(4)}`;
}

/** The email telling of a notification: subject and plain text, in English. */
export function emailText(notification: Notification, settings: NotificationSettings): Text {
  const site = settings.systemName;
  switch (notification.event) {
    case 'channel.disabled':
    case 'channel.enabled': {
      const { channelId, channelName, reason, automatic } = notification.data;
      const channel = `Channel "${channelName}" (#${channelId})`;
      const disabled = notification.event === 'channel.disabled';
      const how = automatic ? 'automatically' : 'by an administrator';
      return {
        subject: `[${site}] ${channel} ${disabled ? 'was disabled' : 'is enabled again'}`,
        text: [
          `${channel} ${disabled ? 'was disabled' : 'was re-enabled'} ${how}.`,
          `Reason: ${reason}`,
          disabled
            ? 'Requests go to the other channels meanwhile. A passing test re-enables it when AutomaticEnableChannelEnabled is on.'
            : 'It takes requests again.',
        ].join('\n\n'),
      };
    }
    case 'quota.low':
    case 'quota.exhausted': {
      const { username, remainingQuota, threshold } = notification.data;
      const remaining = `${remainingQuota} (${usd(remainingQuota, settings.quotaPerUnit)})`;
      const exhausted = notification.event === 'quota.exhausted';
      return {
        subject: exhausted
          ? `[${site}] Your quota is used up`
          : `[${site}] Your quota is running low`,
        text: [
          `Hello ${username},`,
          exhausted
            ? 'your quota is used up: requests will be refused until it is topped up.'
            : `your remaining quota is ${remaining}, below the reminder threshold of ${threshold}.`,
          'Top it up in the console to keep your API keys working.',
        ].join('\n\n'),
      };
    }
  }
}

/** What option.testEmail sends. */
export function testEmailText(settings: NotificationSettings): Text {
  return {
    subject: `[${settings.systemName}] Test email`,
    text: `This is a test email from ${settings.systemName}: its SMTP settings work.`,
  };
}
