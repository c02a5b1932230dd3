import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import {
  client,
  errorCode,
  failure,
  signedInUser,
  startConsole,
  type TestConsole,
} from './helpers.js';

type Signed = Awaited<ReturnType<typeof signedInUser>>;

const ROOT_KEY = 'sk-root-secret-Q7mZ2rT9vX4bN8cK1pL6';
const ADMIN_KEY = 'sk-admin-own-key-0123456789abcdef';

describe('console accounts', () => {
  let server: TestConsole;
  let root: Signed;
  let admin: Signed;

  beforeAll(async () => {
    server = await startConsole();
    root = await signedInUser(server, { role: 100 });
    admin = await signedInUser(server, { role: 10, quota: 100, group: 'default' });
  });
  afterAll(() => server?.close());

  describe("an administrator's own account", () => {
    it('cannot get a higher quota, another group, a new password or another status from user.update', async () => {
      for (const [field, change] of [
        ['quota', { quota: 1e12 }],
        ['addQuota', { addQuota: 1e9 }],
        ['group', { group: 'vip' }],
        ['password', { password: 'taken-over-123' }],
        ['status', { status: 2 as const }],
      ] as const) {
        expect(
          await failure(admin.api.user.update.mutate({ id: admin.user.id, ...change })),
        ).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(`^${field}: `) as string });
      }
      expect(await server.db.repos.users.findById(admin.user.id)).toMatchObject({
        quota: 100,
        group: 'default',
        status: 1,
      });
      // The password is unchanged: the old one still signs in.
      await client(server.base).api.auth.login.mutate({
        username: admin.user.username,
        password: admin.password,
      });
    });

    it('keeps its display name editable, even when the form sends the other values back unchanged', async () => {
      await admin.api.user.update.mutate({
        id: admin.user.id,
        displayName: 'Ada',
        group: 'default',
        quota: 100,
        addQuota: 0,
        role: 10,
        status: 1,
      });
      expect((await server.db.repos.users.findById(admin.user.id))?.displayName).toBe('Ada');
    });

    it("is root's to change, and root changes its own", async () => {
      await root.api.user.update.mutate({ id: admin.user.id, quota: 500, group: 'vip' });
      expect(await server.db.repos.users.findById(admin.user.id)).toMatchObject({
        quota: 500,
        group: 'vip',
      });
      await root.api.user.update.mutate({ id: root.user.id, quota: 7 });
      expect((await server.db.repos.users.findById(root.user.id))?.quota).toBe(7);
    });
  });

  describe("a root channel's key", () => {
    let real: FakeUpstream;
    let attacker: FakeUpstream;
    let channelId: number;

    beforeAll(async () => {
      real = await startFakeUpstream({ keys: [ROOT_KEY] });
      attacker = await startFakeUpstream();
      ({ id: channelId } = await root.api.channel.create.mutate({
        name: 'root channel',
        type: 'openai',
        key: ROOT_KEY,
        baseUrl: real.url,
        models: ['gpt-4o-mini'],
      }));
    });
    afterAll(async () => {
      await real?.close();
      await attacker?.close();
    });

    it('never reaches another address an admin points the channel at and tests', async () => {
      const moves = [
        { baseUrl: attacker.url },
        { type: 'openai-compatible' as const, baseUrl: attacker.url },
        { type: 'azure' as const, baseUrl: attacker.url, config: { apiVersion: '2024-10-21' } },
      ];
      for (const move of moves) {
        expect(await failure(admin.api.channel.update.mutate({ id: channelId, ...move }))).toEqual({
          code: 'FORBIDDEN',
          message: "key: enter the channel's key again to change where it sends requests.",
        });
        expect((await admin.api.channel.test.mutate({ id: channelId })).ok).toBe(true);
      }
      expect(attacker.requests).toHaveLength(0);
      expect(real.requests.map((r) => r.headers.authorization)).toEqual(
        moves.map(() => `Bearer ${ROOT_KEY}`),
      );
    });

    it('moves with the key entered again, which is then the only key the new address sees', async () => {
      // Other edits, and the address sent back unchanged, need no key.
      await admin.api.channel.update.mutate({ id: channelId, baseUrl: real.url, priority: 3 });
      await admin.api.channel.update.mutate({
        id: channelId,
        baseUrl: attacker.url,
        key: ADMIN_KEY,
      });
      await admin.api.channel.test.mutate({ id: channelId });
      expect(attacker.requests.map((r) => r.headers.authorization)).toEqual([
        `Bearer ${ADMIN_KEY}`,
      ]);
    });

    it('is moved by root without entering it', async () => {
      await root.api.channel.update.mutate({ id: channelId, baseUrl: real.url, key: ROOT_KEY });
      await root.api.channel.update.mutate({ id: channelId, type: 'openai-compatible' });
      expect((await server.db.repos.channels.get(channelId))?.type).toBe('openai-compatible');
    });
  });

  describe('a new password', () => {
    it('keeps the browser that changed it signed in, and signs out every other session and the access token', async () => {
      const user = await signedInUser(server);
      const phone = client(server.base);
      await phone.api.auth.login.mutate({ username: user.user.username, password: user.password });
      const { accessToken } = await user.api.auth.createAccessToken.mutate();
      const script = client(server.base, { bearer: accessToken });
      expect((await script.api.auth.me.query()).id).toBe(user.user.id);

      await user.api.auth.changePassword.mutate({
        oldPassword: user.password,
        newPassword: 'another-password-456',
      });
      expect((await user.api.auth.me.query()).id).toBe(user.user.id);
      expect(await errorCode(phone.api.auth.me.query())).toBe('UNAUTHORIZED');
      expect(await errorCode(script.api.auth.me.query())).toBe('UNAUTHORIZED');
    });

    it('set by an admin or root signs the account out everywhere, access token included', async () => {
      const common = await signedInUser(server);
      const otherAdmin = await signedInUser(server, { role: 10 });
      for (const [actor, target] of [
        [admin, common],
        [root, otherAdmin],
      ] as const) {
        const { accessToken } = await target.api.auth.createAccessToken.mutate();
        await actor.api.user.update.mutate({ id: target.user.id, password: 'reset-by-them-789' });
        expect(await errorCode(target.api.auth.me.query())).toBe('UNAUTHORIZED');
        const script = client(server.base, { bearer: accessToken });
        expect(await errorCode(script.api.auth.me.query())).toBe('UNAUTHORIZED');
      }
    });
  });
});
