import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';
import { SMTP_ACCOUNT, SMTP_TOKEN, startSmtpServer } from './notification-helpers.js';

const PUBLIC_URL = 'https://console.example.com';

/** The codes and links mailed to `to`, newest last. */
function mailsTo(smtp: Awaited<ReturnType<typeof startSmtpServer>>, to: string) {
  return smtp.mails.filter((mail) => mail.to.includes(to));
}

async function until<T>(check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sign-up with an emailed code', () => {
  let server: TestConsole;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let root: Awaited<ReturnType<typeof signedInUser>>;

  const codeIn = (to: string) =>
    until(() => /\b(\d{6})\b/.exec(mailsTo(smtp, to).at(-1)?.text ?? '')?.[1]);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startConsole({ build: { publicUrl: PUBLIC_URL } });
    root = await signedInUser(server, { role: 100 });
    await root.api.option.update.mutate({
      values: {
        SystemName: 'Example AI',
        EmailVerificationEnabled: 'true',
        SMTPServer: '127.0.0.1',
        SMTPPort: String(smtp.port),
        SMTPAccount: SMTP_ACCOUNT,
        SMTPToken: SMTP_TOKEN,
        SMTPFrom: 'no-reply@example.com',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('creates the account only with the code mailed to the address, once', async () => {
    const visitor = client(server.base);
    expect(await visitor.api.option.status.query()).toMatchObject({
      emailVerificationEnabled: true,
      passwordResetEnabled: true,
    });
    const sent = await visitor.api.auth.sendVerificationCode.mutate({ email: ' Ana@Example.com ' });
    expect(sent).toEqual({ ok: true, expiresInMinutes: 10 });
    const code = await codeIn('ana@example.com');
    expect(mailsTo(smtp, 'ana@example.com')[0]).toMatchObject({
      from: 'no-reply@example.com',
      subject: `Example AI: your sign-up code ${code}`,
    });

    const account = { username: 'ana', password: 'password-123', email: 'ana@example.com' };
    expect(await errorCode(visitor.api.auth.register.mutate(account))).toBe('BAD_REQUEST');
    const wrong = code === '000000' ? '000001' : '000000';
    expect(
      await errorCode(visitor.api.auth.register.mutate({ ...account, verificationCode: wrong })),
    ).toBe('BAD_REQUEST');
    const { id } = await visitor.api.auth.register.mutate({ ...account, verificationCode: code });
    expect(await server.db.repos.users.findById(id)).toMatchObject({
      username: 'ana',
      email: 'ana@example.com',
    });
    await visitor.api.auth.login.mutate({ username: 'ana', password: 'password-123' });

    // Used: the same code does not make a second account, and the address is now taken.
    expect(
      await errorCode(
        client(server.base).api.auth.register.mutate({
          ...account,
          username: 'ana2',
          verificationCode: code,
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      await errorCode(
        client(server.base).api.auth.sendVerificationCode.mutate({ email: 'ana@example.com' }),
      ),
    ).toBe('CONFLICT');
  });

  it('lets a code be guessed at five times, and not after it expires', async () => {
    const visitor = client(server.base);
    await visitor.api.auth.sendVerificationCode.mutate({ email: 'ben@example.com' });
    const code = await codeIn('ben@example.com');
    const wrong = code === '999999' ? '999998' : '999999';
    const account = { username: 'ben', password: 'password-123', email: 'ben@example.com' };
    for (let i = 0; i < 5; i++) {
      await visitor.api.auth.register
        .mutate({ ...account, verificationCode: wrong })
        .catch(() => undefined);
    }
    // The sixth try has the right code, but the code is gone.
    const refused = visitor.api.auth.register.mutate({ ...account, verificationCode: code });
    await expect(refused).rejects.toThrow(/no valid code/);

    await server.db.models.AuthCode.destroy({ where: { email: 'ben@example.com' } });
    await server.db.repos.authCodes.issue('register', 'ben@example.com', '123456', -1);
    await expect(
      visitor.api.auth.register.mutate({ ...account, verificationCode: '123456' }),
    ).rejects.toThrow(/no valid code/);
    expect(await server.db.repos.users.findByUsername('ben')).toBeNull();
  });

  it('mails an address once a minute', async () => {
    const visitor = client(server.base);
    await visitor.api.auth.sendVerificationCode.mutate({ email: 'cy@example.com' });
    expect(
      await errorCode(visitor.api.auth.sendVerificationCode.mutate({ email: 'cy@example.com' })),
    ).toBe('TOO_MANY_REQUESTS');
    await until(() => (mailsTo(smtp, 'cy@example.com').length === 1 ? true : undefined));
  });

  it('accepts only the listed domains when the restriction is on', async () => {
    await root.api.option.update.mutate({
      values: {
        EmailDomainRestrictionEnabled: 'true',
        EmailDomainWhitelist: 'example.org\ncorp.example',
      },
    });
    try {
      const visitor = client(server.base);
      await expect(
        visitor.api.auth.sendVerificationCode.mutate({ email: 'dee@mail.example.org' }),
      ).rejects.toThrow(/cannot sign up here/);
      expect(mailsTo(smtp, 'dee@mail.example.org')).toEqual([]);
      await visitor.api.auth.sendVerificationCode.mutate({ email: 'dee@example.org' });
      await codeIn('dee@example.org');
    } finally {
      await root.api.option.update.mutate({ values: { EmailDomainRestrictionEnabled: 'false' } });
    }
  });

  it.each([
    ['a NUL byte', 'nul\u0000@example.com'],
    ['a 10,000-character address', `${'a'.repeat(10_000)}@example.com`],
    ['no domain', 'nobody@'],
    ['two addresses', 'a@example.com,b@example.com'],
  ])('refuses an address with %s and mails nothing', async (_name, email) => {
    const sent = smtp.mails.length;
    expect(
      await errorCode(client(server.base).api.auth.sendVerificationCode.mutate({ email })),
    ).toBe('BAD_REQUEST');
    expect(smtp.mails.length).toBe(sent);
  });

  it('refuses codes and links that are not what it sent, however long or odd', async () => {
    const visitor = client(server.base);
    const account = { username: 'odd_codes', password: 'password-123', email: 'odd@example.com' };
    for (const verificationCode of ['１２３４５６', 'NaN', '-1', 'x'.repeat(17)]) {
      expect(
        await errorCode(visitor.api.auth.register.mutate({ ...account, verificationCode })),
      ).toBe('BAD_REQUEST');
    }
    for (const token of ['', 'x'.repeat(129), 'tok\u0000en']) {
      expect(
        await errorCode(
          visitor.api.auth.resetPassword.mutate({ token, newPassword: 'new-password-1' }),
        ),
      ).toBe('BAD_REQUEST');
    }
    expect(await server.db.repos.users.findByUsername('odd_codes')).toBeNull();
  });

  it('sends nothing while registration is closed', async () => {
    await root.api.option.update.mutate({ values: { RegisterEnabled: 'false' } });
    try {
      expect(
        await errorCode(
          client(server.base).api.auth.sendVerificationCode.mutate({ email: 'eve@example.com' }),
        ),
      ).toBe('FORBIDDEN');
      expect(mailsTo(smtp, 'eve@example.com')).toEqual([]);
    } finally {
      await root.api.option.update.mutate({ values: { RegisterEnabled: 'true' } });
    }
  });
});

describe('password reset by an emailed link', () => {
  let server: TestConsole;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  const linkIn = (to: string, after: number) =>
    until(() => {
      const mail = mailsTo(smtp, to)[after];
      return mail ? /(https:\/\/\S+)/.exec(mail.text)?.[1] : undefined;
    });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startConsole({ build: { publicUrl: `${PUBLIC_URL}/` } });
    const root = await signedInUser(server, { role: 100 });
    await root.api.option.update.mutate({
      values: {
        SMTPServer: '127.0.0.1',
        SMTPPort: String(smtp.port),
        SMTPAccount: SMTP_ACCOUNT,
        SMTPToken: SMTP_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('sets a new password once and ends every session and the access token', async () => {
    const owner = await signedInUser(server);
    await server.db.repos.users.update(owner.user.id, { email: 'Owner@Example.com' }, root());
    const otherBrowser = client(server.base);
    await otherBrowser.api.auth.login.mutate({
      username: owner.user.username,
      password: owner.password,
    });
    const { accessToken } = await owner.api.auth.createAccessToken.mutate();

    const visitor = client(server.base);
    expect(
      await visitor.api.auth.requestPasswordReset.mutate({ email: 'owner@example.com' }),
    ).toEqual({ ok: true });
    const link = await linkIn('owner@example.com', 0);
    expect(link).toMatch(
      /^https:\/\/console\.example\.com\/reset-password\?token=[A-Za-z0-9]{43}$/,
    );
    expect(mailsTo(smtp, 'owner@example.com')[0]!.text).toContain(owner.user.username);
    const token = new URL(link).searchParams.get('token')!;

    expect(
      await errorCode(
        visitor.api.auth.resetPassword.mutate({
          token: 'x'.repeat(43),
          newPassword: 'new-password-1',
        }),
      ),
    ).toBe('BAD_REQUEST');
    await visitor.api.auth.resetPassword.mutate({ token, newPassword: 'new-password-1' });

    expect(await errorCode(owner.api.auth.me.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(otherBrowser.api.auth.me.query())).toBe('UNAUTHORIZED');
    expect(await errorCode(client(server.base, { bearer: accessToken }).api.auth.me.query())).toBe(
      'UNAUTHORIZED',
    );
    expect(
      await errorCode(
        visitor.api.auth.login.mutate({ username: owner.user.username, password: owner.password }),
      ),
    ).toBe('UNAUTHORIZED');
    await visitor.api.auth.login.mutate({
      username: owner.user.username,
      password: 'new-password-1',
    });
    // The link worked once.
    expect(
      await errorCode(
        visitor.api.auth.resetPassword.mutate({ token, newPassword: 'new-password-2' }),
      ),
    ).toBe('BAD_REQUEST');
  });

  it('answers the same for an unknown address and mails nothing', async () => {
    const visitor = client(server.base);
    expect(
      await visitor.api.auth.requestPasswordReset.mutate({ email: 'nobody@example.com' }),
    ).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mailsTo(smtp, 'nobody@example.com')).toEqual([]);
  });

  it('refuses an expired link', async () => {
    const owner = await signedInUser(server);
    await server.db.repos.users.update(owner.user.id, { email: 'late@example.com' }, root());
    await client(server.base).api.auth.requestPasswordReset.mutate({ email: 'late@example.com' });
    const token = new URL(await linkIn('late@example.com', 0)).searchParams.get('token')!;
    await server.db.models.AuthCode.update(
      { expiresTime: Math.floor(Date.now() / 1000) - 1 },
      { where: { email: 'late@example.com' } },
    );
    await expect(
      client(server.base).api.auth.resetPassword.mutate({ token, newPassword: 'new-password-1' }),
    ).rejects.toThrow(/invalid, used or expired/);
    await owner.api.auth.me.query();
  });

  it('is unavailable without the console’s public address', async () => {
    const bare = await startConsole();
    try {
      const visitor = client(bare.base);
      expect((await visitor.api.option.status.query()).passwordResetEnabled).toBe(false);
      expect(
        await errorCode(visitor.api.auth.requestPasswordReset.mutate({ email: 'a@example.com' })),
      ).toBe('PRECONDITION_FAILED');
    } finally {
      await bare.close();
    }
  });
});

/** The actor users.update records in the log. */
function root() {
  return { username: 'root' };
}
