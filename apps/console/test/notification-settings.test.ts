import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, signedInUser, startConsole, type TestConsole } from './helpers.js';
import { SMTP_ACCOUNT, SMTP_TOKEN, startSmtpServer } from './notification-helpers.js';

const MASK = '********';
const WEBHOOK_SECRET = 'whsec-9Kd2mQ7xR4vB1nT8';

describe('notification settings in the console', () => {
  let server: TestConsole;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let root: Awaited<ReturnType<typeof signedInUser>>;

  beforeAll(async () => {
    server = await startConsole();
    smtp = await startSmtpServer();
    root = await signedInUser(server, { role: 100 });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const settings = () => ({
    SMTPServer: '127.0.0.1',
    SMTPPort: String(smtp.port),
    SMTPAccount: SMTP_ACCOUNT,
    SMTPToken: SMTP_TOKEN,
    SMTPFrom: 'alerts@example.com',
    NotificationEmail: 'ops@example.com',
    NotificationWebhookUrl: 'https://hooks.example.com/chat-api',
    NotificationWebhookSecret: WEBHOOK_SECRET,
  });

  it('explains what is missing before the SMTP server is set', async () => {
    expect(await failure(root.api.option.testEmail.mutate({ to: 'me@example.com' }))).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^SMTPServer: set the SMTP server/),
    });
    expect(smtp.mails).toEqual([]);
  });

  it('masks the SMTP token and the webhook secret, and keeps them when the masked form is saved back', async () => {
    await root.api.option.update.mutate({ values: settings() });
    const listed = await root.api.option.list.query();
    expect(listed).toMatchObject({
      SMTPServer: '127.0.0.1',
      SMTPAccount: SMTP_ACCOUNT,
      SMTPToken: MASK,
      NotificationWebhookSecret: MASK,
      NotificationWebhookUrl: 'https://hooks.example.com/chat-api',
    });
    expect(JSON.stringify(listed)).not.toContain(SMTP_TOKEN);
    expect(JSON.stringify(listed)).not.toContain(WEBHOOK_SECRET);

    // The settings page sends every field back, the masked ones as shown.
    await root.api.option.update.mutate({ values: { ...listed, SystemName: 'Gateway' } });
    const stored = await server.db.repos.options.effective();
    expect(stored.SMTPToken).toBe(SMTP_TOKEN);
    expect(stored.NotificationWebhookSecret).toBe(WEBHOOK_SECRET);
  });

  it('sends a test email through the saved SMTP settings, signed in with the kept token', async () => {
    await root.api.option.update.mutate({ values: settings() });
    expect(await root.api.option.testEmail.mutate({ to: 'me@example.com' })).toEqual({
      ok: true,
      to: 'me@example.com',
    });
    // Without an address: NotificationEmail.
    expect(await root.api.option.testEmail.mutate({})).toEqual({ ok: true, to: 'ops@example.com' });
    expect(smtp.mails).toMatchObject([
      { to: ['me@example.com'], from: 'alerts@example.com', login: SMTP_ACCOUNT },
      { to: ['ops@example.com'] },
    ]);
    expect(smtp.mails[0]!.subject).toMatch(/Test email$/);
    expect(smtp.mails[0]!.text).toContain('SMTP settings work');
  });

  it("reports the SMTP server's refusal of a wrong token", async () => {
    await root.api.option.update.mutate({ values: { ...settings(), SMTPToken: 'wrong-token' } });
    const refused = await failure(root.api.option.testEmail.mutate({ to: 'me@example.com' }));
    expect(refused.code).toBe('BAD_GATEWAY');
    expect(refused.message).toMatch(/^SMTP: .*Invalid username or password/);
    expect(refused.message).not.toContain('wrong-token');
  });

  it("lets an administrator set the email a user's quota reminders go to, and clear it", async () => {
    const admin = await signedInUser(server, { role: 10 });
    const user = await signedInUser(server, { role: 1 });
    await admin.api.user.update.mutate({ id: user.user.id, email: 'alice@example.com' });
    expect(await admin.api.user.get.query({ id: user.user.id })).toMatchObject({
      email: 'alice@example.com',
    });
    const refused = await failure(
      admin.api.user.update.mutate({ id: user.user.id, email: 'not an address' }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    await admin.api.user.update.mutate({ id: user.user.id, email: '' });
    expect((await admin.api.user.get.query({ id: user.user.id })).email).toBe('');
  });

  it('lets only root send test emails', async () => {
    const before = smtp.mails.length;
    for (const role of [1, 10]) {
      const user = await signedInUser(server, { role });
      const refused = await failure(user.api.option.testEmail.mutate({ to: 'x@example.com' }));
      expect(refused.code).toBe('FORBIDDEN');
    }
    expect(smtp.mails).toHaveLength(before);
  });
});
