import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  ChannelStatus,
  LogType,
  Role,
  nowSeconds,
  sha256Hex,
  type Database,
  type Notification,
} from '@chat-api/db';
import { databaseBackends } from '@chat-api/db/testing';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { CHANNEL_TEST_JOB } from '../src/server/jobs/channel-test-job.js';
import { NOTIFICATION_JOB } from '../src/server/jobs/notification-job.js';
import type { JobScheduler } from '../src/server/jobs/scheduler.js';
import { openaiChannel, startMasters, UPSTREAM_KEY, type Masters } from './job-helpers.js';
import {
  SMTP_ACCOUNT,
  SMTP_TOKEN,
  signatureValid,
  startSmtpServer,
  startWebhookReceiver,
} from './notification-helpers.js';

const SECRET = 'whsec-3Jq9vXr2mT7bN4kP';
const ADMIN_EMAIL = 'ops@example.com';

describe.each(databaseBackends())('notifications on $name', ({ name, skip }) => {
  // PostgreSQL and MySQL run too when their TEST_* variables are set.
  const it = test.skipIf(Boolean(skip));
  let upstream: FakeUpstream;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let masters: Masters;
  let master: Database;
  let jobs: JobScheduler;

  beforeAll(async () => {
    if (skip) return;
    upstream = await startFakeUpstream({ keys: [UPSTREAM_KEY] });
  });
  afterAll(() => upstream?.close());
  beforeEach(async () => {
    if (skip) return;
    upstream.reset();
    smtp = await startSmtpServer();
    webhook = await startWebhookReceiver();
    masters = await startMasters(name);
    master = masters.nodes[0];
    jobs = masters.jobs(master, {
      notificationRetry: { maxAttempts: 5, firstDelaySeconds: 30, maxDelaySeconds: 600 },
    });
  });
  afterEach(async () => {
    await masters?.close();
    await smtp?.close();
    await webhook?.close();
  });

  const configure = (values: Record<string, string> = {}) =>
    master.repos.options.setMany({
      SMTPServer: '127.0.0.1',
      SMTPPort: String(smtp.port),
      SMTPAccount: SMTP_ACCOUNT,
      SMTPToken: SMTP_TOKEN,
      SMTPFrom: 'Chat API <alerts@example.com>',
      NotificationEmail: ADMIN_EMAIL,
      NotificationWebhookUrl: webhook.url,
      NotificationWebhookSecret: SECRET,
      ...values,
    });

  /** Moves the shared clock on by `seconds` and runs the job, as the master's timer would. */
  async function run(job: string, seconds = 61) {
    masters.clock.now += seconds * 1000;
    expect(await jobs.runDue(job)).toBe(true);
  }
  const outbox = async (): Promise<Notification[]> =>
    (await master.repos.notifications.list()).reverse();

  it('tells the administrator by email and signed webhook when the scheduled test disables a channel and when it is back', async () => {
    await configure();
    const { id } = await master.repos.channels.create(openaiChannel(upstream, { name: 'eu-1' }));

    upstream.fail({ status: 500, message: 'The server is overloaded' });
    await run(CHANNEL_TEST_JOB);
    await run(NOTIFICATION_JOB);

    expect(smtp.mails).toHaveLength(1);
    const [disabledMail] = smtp.mails;
    expect(disabledMail).toMatchObject({
      to: [ADMIN_EMAIL],
      from: 'alerts@example.com',
      login: SMTP_ACCOUNT,
      subject: `[Chat API] Channel "eu-1" (#${id}) was disabled`,
    });
    expect(disabledMail!.text).toContain('was disabled automatically');
    expect(disabledMail!.text).toMatch(/Reason: scheduled test: .*overloaded/);

    expect(webhook.deliveries).toHaveLength(1);
    const [disabled] = webhook.deliveries;
    expect(disabled!.headers['content-type']).toBe('application/json');
    expect(disabled!.headers['x-chat-api-event']).toBe('channel.disabled');
    expect(disabled!.json).toMatchObject({
      event: 'channel.disabled',
      occurredAt: expect.any(Number),
      data: { channelId: id, channelName: 'eu-1', automatic: true },
    });
    expect(disabled!.json.data.reason).toMatch(/overloaded/);
    expect(disabled!.headers['x-chat-api-delivery']).toBe(String(disabled!.json.id));
    expect(signatureValid(disabled!, SECRET)).toBe(true);
    expect(signatureValid(disabled!, 'whsec-another-secret')).toBe(false);
    // The upstream key never leaves in a notification.
    expect(disabled!.body).not.toContain(UPSTREAM_KEY);
    expect(disabledMail!.text).not.toContain(UPSTREAM_KEY);

    upstream.reset();
    await run(CHANNEL_TEST_JOB);
    expect((await master.repos.channels.get(id))!.status).toBe(ChannelStatus.enabled);
    await run(NOTIFICATION_JOB);

    expect(smtp.mails.map((mail) => mail.subject)).toEqual([
      `[Chat API] Channel "eu-1" (#${id}) was disabled`,
      `[Chat API] Channel "eu-1" (#${id}) is enabled again`,
    ]);
    expect(smtp.mails[1]!.text).toMatch(/re-enabled automatically[\s\S]*test passed/);
    expect(webhook.deliveries.map((delivery) => delivery.json.event)).toEqual([
      'channel.disabled',
      'channel.enabled',
    ]);
    expect(signatureValid(webhook.deliveries[1]!, SECRET)).toBe(true);
    expect(await outbox()).toMatchObject([
      { event: 'channel.disabled', status: 'sent', attempts: 1, delivered: ['email', 'webhook'] },
      { event: 'channel.enabled', status: 'sent', attempts: 1, delivered: ['email', 'webhook'] },
    ]);
  });

  it('emails the root user when no NotificationEmail is set', async () => {
    await configure({ NotificationEmail: '' });
    const root = await master.repos.users.create({
      username: 'root_of_site',
      password: 'password-123',
      role: Role.root,
    });
    await master.repos.users.update(root.id, { email: 'root@example.com' }, { username: 'root' });
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    upstream.fail({ status: 401, message: 'Incorrect API key provided' });
    await run(CHANNEL_TEST_JOB);
    await run(NOTIFICATION_JOB);
    expect(smtp.mails).toMatchObject([
      { to: ['root@example.com'], subject: expect.stringContaining(`(#${id}) was disabled`) },
    ]);
  });

  it('emails a user whose quota a bill takes below QuotaRemindThreshold, and tells the webhook', async () => {
    await configure();
    await master.repos.options.setMany({ QuotaRemindThreshold: '1000' });
    const user = await master.repos.users.create({
      username: 'alice',
      password: 'password-123',
      role: Role.common,
      quota: 1500,
    });
    await master.repos.users.update(user.id, { email: 'alice@example.com' }, { username: 'root' });
    const { token, key } = await master.repos.tokens.create(user.id, {
      name: 'laptop',
      unlimitedQuota: true,
      remainQuota: 0,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    // The bill the proxy writes for a request that cost 700 quota: 1500 → 800.
    await master.repos.usage.recordConsumptions([
      {
        tokenId: token.id,
        keyHash: sha256Hex(key),
        userId: user.id,
        unlimitedQuota: true,
        channelId: 0,
        quota: 700,
        held: { amount: 700, local: true },
        remindBelow: 1000,
        log: {
          userId: user.id,
          type: LogType.consume,
          createdAt: nowSeconds(),
          username: 'alice',
          tokenId: token.id,
          tokenName: 'laptop',
          model: 'gpt-4o-mini',
          quota: 700,
          requestId: `reminder-${name}`,
        },
      },
    ]);
    await run(NOTIFICATION_JOB);

    expect(smtp.mails).toMatchObject([
      { to: ['alice@example.com'], subject: '[Chat API] Your quota is running low' },
    ]);
    expect(smtp.mails[0]!.text).toContain('Hello alice');
    expect(smtp.mails[0]!.text).toContain(
      'your remaining quota is 800 ($0.0016), below the reminder threshold of 1000',
    );
    expect(webhook.deliveries.map((delivery) => delivery.json)).toMatchObject([
      {
        event: 'quota.low',
        data: { userId: user.id, username: 'alice', remainingQuota: 800, threshold: 1000 },
      },
    ]);
    expect(signatureValid(webhook.deliveries[0]!, SECRET)).toBe(true);
  });

  it('retries a failing webhook with backoff until it answers, without emailing twice', async () => {
    await configure();
    webhook.failNext(2);
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    upstream.fail({ status: 401, message: 'Incorrect API key provided' });
    await run(CHANNEL_TEST_JOB);

    await run(NOTIFICATION_JOB);
    let [event] = await outbox();
    expect(event).toMatchObject({
      status: 'pending',
      attempts: 1,
      delivered: ['email'],
      lastError: 'webhook: answered 500',
    });
    // Not yet due (the first retry waits 30 s): a run now sends nothing.
    await run(NOTIFICATION_JOB, 6);
    expect(webhook.deliveries).toHaveLength(1);

    await run(NOTIFICATION_JOB, 30);
    [event] = await outbox();
    expect(event).toMatchObject({ status: 'pending', attempts: 2 });
    await run(NOTIFICATION_JOB, 60);

    expect(webhook.deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 204]);
    // The same event each time, so the receiver can drop a duplicate; each attempt signed anew.
    expect(new Set(webhook.deliveries.map((delivery) => delivery.json.id)).size).toBe(1);
    expect(webhook.deliveries.every((delivery) => signatureValid(delivery, SECRET))).toBe(true);
    expect(webhook.deliveries[2]!.json.data).toMatchObject({ channelId: id });
    expect(smtp.mails).toHaveLength(1);
    expect(await outbox()).toMatchObject([
      { status: 'sent', attempts: 3, delivered: ['email', 'webhook'] },
    ]);
  });

  it('gives up after the last attempt and keeps why', async () => {
    await configure({ SMTPServer: '' });
    webhook.failNext(100);
    await master.repos.channels.create(openaiChannel(upstream));
    upstream.fail({ status: 401, message: 'Incorrect API key provided' });
    await run(CHANNEL_TEST_JOB);
    for (let attempt = 0; attempt < 5; attempt += 1) await run(NOTIFICATION_JOB, 601);
    await run(NOTIFICATION_JOB, 601);
    expect(webhook.deliveries).toHaveLength(5);
    expect(await outbox()).toMatchObject([
      { status: 'failed', attempts: 5, lastError: 'webhook: answered 500' },
    ]);
    expect(masters.logger.lines).toContainEqual(
      expect.stringMatching(/notification #\d+ \(channel.disabled\) given up after 5 attempts/),
    );
  });

  it('marks events done as skipped when nothing is configured, and never sends them later', async () => {
    const { id } = await master.repos.channels.create(openaiChannel(upstream));
    await master.repos.channels.setStatus(id, ChannelStatus.autoDisabled, {
      cause: { reason: 'upstream answered 401', automatic: true },
    });
    await run(NOTIFICATION_JOB);
    const [event] = await outbox();
    expect(event).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(event!.lastError).toMatch(
      /nowhere to send it: no SMTPServer, no NotificationWebhookUrl/,
    );

    await configure();
    await run(NOTIFICATION_JOB);
    expect(webhook.deliveries).toEqual([]);
    expect(smtp.mails).toEqual([]);
  });

  it('skips the email of a user without an address but still calls the webhook', async () => {
    await configure();
    const user = await master.repos.users.create({
      username: 'bob',
      password: 'password-123',
      quota: 100,
    });
    const { token, key } = await master.repos.tokens.create(user.id, {
      name: 'k',
      unlimitedQuota: true,
      remainQuota: 0,
      models: [],
      subnets: [],
      expiredTime: -1,
    });
    await master.repos.usage.recordConsumptions([
      {
        tokenId: token.id,
        keyHash: sha256Hex(key),
        userId: user.id,
        unlimitedQuota: true,
        channelId: 0,
        quota: 100,
        held: { amount: 100, local: true },
        remindBelow: 10,
        log: {
          userId: user.id,
          type: LogType.consume,
          createdAt: nowSeconds(),
          username: 'bob',
          tokenId: token.id,
          tokenName: 'k',
          model: 'gpt-4o-mini',
          quota: 100,
          requestId: `exhausted-${name}`,
        },
      },
    ]);
    await run(NOTIFICATION_JOB);
    expect(smtp.mails).toEqual([]);
    expect(webhook.deliveries.map((delivery) => delivery.json)).toMatchObject([
      { event: 'quota.exhausted', data: { username: 'bob', remainingQuota: 0 } },
    ]);
    expect(await outbox()).toMatchObject([{ status: 'sent', delivered: ['webhook'] }]);
  });
});
