import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../src/database.js';
import {
  importLegacyDatabase,
  type ImportReport,
  type LegacyProject,
} from '../src/legacy-import/index.js';
import { ChannelStatus } from '../src/models/channel.js';
import { Role } from '../src/models/user.js';
import { hashPassword, sha256Hex, verifyPassword } from '../src/secrets.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { openTestDatabase } from './helpers.js';
import {
  buildLegacyDatabase,
  LEGACY_CLIENT_KEYS,
  LEGACY_PASSWORDS,
  LEGACY_REDEMPTION_CODES,
  legacyPasswordHashes,
  type LegacyFixture,
} from '../src/testing/legacy-fixtures/index.js';

const PAST = 1_600_000_000;

/** What each fixture should bring in: source rows read, rows imported, and why the rest not. */
const EXPECTED: Record<
  LegacyProject,
  Record<string, { read: number; imported: number; skippedBy?: Record<string, number> }>
> = {
  'one-api': {
    users: { read: 4, imported: 4 },
    channels: { read: 7, imported: 7 },
    tokens: { read: 7, imported: 7 },
    redemptions: { read: 3, imported: 3 },
    options: {
      read: 14,
      imported: 12,
      skippedBy: { 'not a setting of this gateway': 1, 'invalid value': 1 },
    },
    logs: { read: 3, imported: 3 },
  },
  'new-api': {
    users: { read: 5, imported: 4, skippedBy: { 'deleted in the source': 1 } },
    channels: { read: 8, imported: 8 },
    tokens: { read: 8, imported: 7, skippedBy: { 'deleted in the source': 1 } },
    redemptions: { read: 4, imported: 4 },
    options: {
      read: 15,
      imported: 13,
      skippedBy: { 'not a setting of this gateway': 1, 'invalid value': 1 },
    },
    logs: {
      read: 5,
      imported: 3,
      skippedBy: { 'type 6 is not kept here': 1, 'user not imported': 1 },
    },
  },
};

const cases = (['one-api', 'new-api'] as const).flatMap((project) =>
  databaseBackends().map((backend) => ({ project, ...backend })),
);

/** Every row of every table the import writes, in key order. */
async function snapshot(db: Database): Promise<Record<string, unknown[]>> {
  const { User, Token, Channel, Ability, Option, Redemption, Log, LegacyImportMap } = db.models;
  const models = { User, Token, Channel, Ability, Option, Redemption, Log, LegacyImportMap };
  const out: Record<string, unknown[]> = {};
  for (const [name, model] of Object.entries(models)) {
    const order = (model.primaryKeyAttributes as string[]).map((key) => [key, 'ASC']);
    out[name] = await (model as typeof User).findAll({ raw: true, order: order as never });
  }
  return out;
}

function expectCounts(report: ImportReport, project: LegacyProject): void {
  for (const [table, expected] of Object.entries(EXPECTED[project])) {
    const entry = report.tables[table as keyof ImportReport['tables']];
    expect({ table, ...entry }).toMatchObject({
      table,
      read: expected.read,
      imported: expected.imported,
      skippedBy: expected.skippedBy ?? {},
    });
  }
}

describe.each(cases)('importing $project from $name', ({ project, name, skip }) => {
  let fixture: LegacyFixture;
  const opened: { testDb: TestDatabase; db: Database }[] = [];
  const suffix = project === 'one-api' ? 'oneapi' : 'newapi';
  const keys = LEGACY_CLIENT_KEYS[project];
  const codes = LEGACY_REDEMPTION_CODES[project];

  beforeAll(async () => {
    if (skip) return;
    fixture = await buildLegacyDatabase(project, name);
  });
  afterAll(async () => {
    for (const { db, testDb } of opened) {
      await db.close();
      await testDb.drop();
    }
    await fixture?.drop();
  });

  /** A new gateway database, as `npm start` leaves it: migrated, default root. */
  async function freshTarget(): Promise<Database> {
    const testDb = await createTestDatabase(name);
    const db = await openTestDatabase(testDb);
    opened.push({ testDb, db });
    return db;
  }

  let target: Database;
  let firstReport: ImportReport;

  it.skipIf(skip)('brings every table into an empty gateway, field by field', async () => {
    target = await freshTarget();
    const sourceFile = name === 'sqlite' ? readFileSync(fixture.source) : undefined;
    firstReport = await importLegacyDatabase(target, fixture.source, { includeLogs: true });

    expect(firstReport.source).toMatchObject({ project, dialect: name });
    expect(firstReport.dryRun).toBe(false);
    expectCounts(firstReport, project);
    if (sourceFile) {
      // Only read: the SQLite file is byte for byte what it was.
      const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');
      expect(digest(readFileSync(fixture.source))).toBe(digest(sourceFile));
    }

    // Users: the source's root replaced the untouched default one; still exactly one root.
    const hashes = await legacyPasswordHashes();
    const { User } = target.models;
    const roots = await User.findAll({ where: { role: Role.root } });
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({
      username: 'root',
      password: hashes.root,
      mustChangePassword: false,
      email: 'root@legacy.example',
    });
    expect(Number(roots[0]!.quota)).toBe(100_000_000);
    expect(await verifyPassword(LEGACY_PASSWORDS.root, roots[0]!.password)).toBe(true);
    expect(await User.count()).toBe(4);
    const alice = (await target.repos.users.findByUsername('alice'))!;
    expect(alice).toMatchObject({
      role: Role.common,
      status: 1,
      quota: 1_000_000,
      usedQuota: 2345,
      requestCount: 12,
      group: 'vip',
      affCode: 'AbCd',
      email: 'alice@legacy.example',
      mustChangePassword: false,
    });
    const bob = (await target.repos.users.findByUsername('bob'))!;
    expect(bob).toMatchObject({ role: Role.admin, status: 2, inviterId: alice.id });
    expect((await User.findByPk(bob.id))!.password).toBe(hashes.bob);
    expect(await target.repos.users.findByUsername('dave')).toBeNull();

    // Channels: types mapped, the unknown one disabled and saying why, abilities rebuilt.
    const channels = await target.repos.channels.list();
    const byName = (prefix: string) => channels.filter((c) => c.name.startsWith(prefix));
    const openai = byName('OpenAI main')[0]!;
    expect(openai).toMatchObject({
      type: 'openai',
      status: ChannelStatus.enabled,
      baseUrl: '',
      models: ['gpt-4o-mini', 'gpt-4o'],
      groups: ['default', 'vip'],
      priority: 10,
      weight: 5,
      modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
      usedQuota: 1234,
      balance: 12.5,
    });
    expect((await target.repos.channels.getWithKey(openai.id))!.key).toBe(
      'sk-upstream-openai-000000000001',
    );
    expect(byName('Azure east')[0]).toMatchObject({
      type: 'azure',
      baseUrl: 'https://east.openai.azure.com',
      config: { apiVersion: '2024-02-01' },
      status: ChannelStatus.enabled,
    });
    expect(byName('Claude')[0]).toMatchObject({
      type: 'anthropic',
      status: ChannelStatus.autoDisabled,
    });
    expect(byName('Gemini')[0]).toMatchObject({
      type: 'gemini',
      status: ChannelStatus.manuallyDisabled,
    });
    expect(byName('In-house')[0]).toMatchObject({
      type: 'openai-compatible',
      baseUrl: 'https://llm.internal.example',
      groups: ['vip'],
    });
    expect(byName('DeepSeek')[0]).toMatchObject({ type: 'deepseek' });
    const baidu = byName('Baidu')[0]!;
    expect(baidu.status).toBe(ChannelStatus.manuallyDisabled);
    expect(baidu.name).toMatch(/type 15 \(Baidu\) is not supported here/);
    expect(firstReport.tables.channels.notes.join('\n')).toMatch(
      /channel #6 'Baidu': imported disabled: .*type 15 \(Baidu\) is not supported here/,
    );
    const routing = await target.repos.channels.routingSnapshot();
    const routed = (channelId: number) =>
      routing.abilities
        .filter((a) => a.channelId === channelId)
        .map((a) => `${a.group}/${a.model}`)
        .sort();
    expect(routed(openai.id)).toEqual([
      'default/gpt-4o',
      'default/gpt-4o-mini',
      'vip/gpt-4o',
      'vip/gpt-4o-mini',
    ]);
    expect(routed(baidu.id)).toEqual([]);
    expect(routed(byName('Claude')[0]!.id)).toEqual([]);
    if (project === 'new-api') {
      // A multi-key channel becomes one channel per key.
      const multi = byName('Multi');
      expect(multi.map((c) => c.name)).toEqual(['Multi (key 1/2)', 'Multi (key 2/2)']);
      expect(channels).toHaveLength(9);
    } else {
      expect(channels).toHaveLength(7);
    }

    // Tokens: found by the key clients send, every status as it was.
    const token = async (name: keyof typeof keys) =>
      (await target.repos.tokens.findByKey(keys[name]))!;
    expect(await token('enabled')).toMatchObject({
      userId: alice.id,
      status: 1,
      remainQuota: 500_000,
      usedQuota: 1000,
      unlimitedQuota: false,
      expiredTime: -1,
      keyHint: keys.enabled.slice(-4),
      models: [],
      subnets: [],
    });
    const stored = await target.models.Token.findOne({ where: { name: 'enabled' } });
    expect(stored!.keyHash).toBe(sha256Hex(keys.enabled));
    expect(await token('disabled')).toMatchObject({ status: 2 });
    expect(await token('expired')).toMatchObject({ status: 3, expiredTime: PAST });
    expect(await token('exhausted')).toMatchObject({ status: 4, remainQuota: 0, usedQuota: 9000 });
    expect(await token('unlimited')).toMatchObject({ status: 1, unlimitedQuota: true });
    expect(await token('limited')).toMatchObject({
      models: ['gpt-4o-mini'],
      subnets: ['10.0.0.0/8', '192.168.1.0/24'],
      group: project === 'new-api' ? 'vip' : '',
    });
    expect(await token('root key')).toMatchObject({ userId: roots[0]!.id, remainQuota: 123 });
    // The stored key without its sk- is not a key.
    expect(await target.repos.tokens.findByKey(keys.enabled.slice(3))).toBeNull();
    expect(await target.models.Token.count()).toBe(7);

    // Options: the gateway's own settings, checked; others listed as skipped.
    const option = (key: string) => target.repos.options.get(key);
    expect(await option('SystemName')).toBe('Legacy Gateway');
    expect(await option('RegisterEnabled')).toBe('false');
    expect(await option('SMTPPort')).toBe('465');
    expect(JSON.parse((await option('GroupRatio'))!)).toEqual({ default: 1, vip: 0.8 });
    expect(await option('WeChatServerAddress')).toBeUndefined();
    expect(await option('ChannelDisableThreshold')).toBeUndefined();
    expect(firstReport.tables.options.notes).toEqual(
      expect.arrayContaining([
        'WeChatServerAddress: not a setting of this gateway',
        'ChannelDisableThreshold (expected a number): invalid value',
      ]),
    );
    if (project === 'new-api') {
      expect(JSON.parse((await option('ModelPrice'))!)).toEqual({ 'dall-e-3': 0.04 });
    }

    // Logs: under the imported user, token and channel.
    const logs = await target.models.Log.findAll({
      order: [
        ['createdAt', 'ASC'],
        ['id', 'ASC'],
      ],
    });
    expect(logs).toHaveLength(3);
    const consume = logs.find((log) => log.modelName === 'gpt-4o-mini')!;
    expect(consume).toMatchObject({
      userId: alice.id,
      username: 'alice',
      type: 2,
      channelId: openai.id,
      promptTokens: 100,
      completionTokens: 50,
      tokenName: 'enabled',
    });
    expect(Number(consume.quota)).toBe(1000);
    if (project === 'new-api') {
      expect(consume).toMatchObject({
        tokenId: (await token('enabled')).id,
        isStream: true,
        durationMs: 2000,
      });
    }

    // Redemption codes: hashed as the gateway hashes its own, usable once, statuses kept.
    const redemptions = await target.repos.redemptions.list();
    const code = (n: string) => redemptions.items.find((r) => r.name === n)!;
    expect(code('used')).toMatchObject({ status: 3, quota: 5000 });
    expect(code('used').usedUserId).toBe(project === 'new-api' ? alice.id : 0);
    expect(code('disabled')).toMatchObject({ status: 2 });
    if (project === 'new-api') expect(code('expired')).toMatchObject({ status: 2 });
    const carol = (await target.repos.users.findByUsername('carol'))!;
    expect(await target.repos.redemptions.redeem(codes.disabled, carol)).toBeNull();
    expect(await target.repos.redemptions.redeem(codes.welcome, carol)).toBe(100_000);
    expect(await target.repos.redemptions.redeem(codes.welcome, carol)).toBeNull();
  });

  it.skipIf(skip)('a second run imports nothing and changes nothing', async () => {
    const before = await snapshot(target);
    const report = await importLegacyDatabase(target, fixture.source, { includeLogs: true });
    for (const [table, expected] of Object.entries(EXPECTED[project])) {
      const entry = report.tables[table as keyof ImportReport['tables']];
      expect({ table, imported: entry.imported }).toEqual({ table, imported: 0 });
      // Rows imported the first time are now "already imported"; the rest skip as before.
      if (table !== 'options') {
        expect(entry.skippedBy['already imported']).toBe(expected.imported);
      }
    }
    expect(await snapshot(target)).toEqual(before);
  });

  it.skipIf(skip)(
    'a dry run reports the same import and leaves the gateway as it was',
    async () => {
      const db = await freshTarget();
      const before = await snapshot(db);
      const report = await importLegacyDatabase(db, fixture.source, {
        dryRun: true,
        includeLogs: true,
      });
      expect(report.dryRun).toBe(true);
      expectCounts(report, project);
      expect(await snapshot(db)).toEqual(before);
      // Still a fresh gateway: the real import afterwards does everything.
      expectCounts(await importLegacyDatabase(db, fixture.source, { includeLogs: true }), project);
    },
  );

  it.skipIf(skip)(
    'beside existing data: names taken are renamed, ids remapped, the root in use stays the only root',
    async () => {
      const db = await freshTarget();
      const { User } = db.models;
      // The operator has signed in and changed root's password, and made a user and channels.
      const root = (await User.findOne({ where: { role: Role.root } }))!;
      await root.update({
        password: await hashPassword('operator-pass'),
        mustChangePassword: false,
      });
      const existingAlice = await db.repos.users.create({
        username: 'alice',
        password: 'existing-pass',
        quota: 10,
      });
      for (const n of [1, 2, 3]) {
        await db.repos.channels.create({
          type: 'openai',
          name: `existing ${n}`,
          key: `sk-existing-${n}`,
          models: ['gpt-4o-mini'],
        });
      }
      // The same API key and redemption code already here (brought over some other way), and
      // alice's invitation code taken by the existing alice.
      await db.models.User.update({ affCode: 'AbCd' }, { where: { id: existingAlice.id } });
      await db.models.Token.create({
        userId: existingAlice.id,
        name: 'same key',
        keyHash: sha256Hex(keys.disabled),
        keyHint: keys.disabled.slice(-4),
        createdTime: 1,
      });
      await db.models.Redemption.create({
        userId: root.id,
        name: 'same code',
        keyHash: sha256Hex(codes.welcome),
        keyHint: codes.welcome.slice(-4),
        quota: 1,
        createdTime: 1,
      });
      const report = await importLegacyDatabase(db, fixture.source, { includeLogs: true });
      const expected = EXPECTED[project];
      expect(report.tables.users).toMatchObject({ imported: expected.users!.imported });
      expect(report.tables.tokens).toMatchObject({
        imported: expected.tokens!.imported - 1,
        skippedBy: {
          ...expected.tokens!.skippedBy,
          'the same key is already a token here': 1,
        },
      });
      expect(report.tables.tokens.notes).toContain(
        "token #2 'disabled': the same key is already a token here",
      );
      expect(report.tables.redemptions).toMatchObject({
        imported: expected.redemptions!.imported - 1,
        skippedBy: { 'the same code is already here': 1 },
      });
      expect(report.tables.channels).toMatchObject({ imported: expected.channels!.imported });
      const sameKey = await db.repos.tokens.findByKey(keys.disabled);
      expect(sameKey).toMatchObject({ name: 'same key', userId: existingAlice.id });

      const roots = await User.findAll({ where: { role: Role.root } });
      expect(roots.map((r) => r.id)).toEqual([root.id]);
      expect(await verifyPassword('operator-pass', roots[0]!.password)).toBe(true);
      const importedRoot = (await db.repos.users.findByUsername(`root_${suffix}`))!;
      expect(importedRoot).toMatchObject({ role: Role.admin, quota: 100_000_000 });
      expect(report.tables.users.notes.join('\n')).toMatch(
        /user #1 'root': the target already has a root \('root'\): imported as an admin; renamed 'root_/,
      );

      expect((await db.repos.users.findById(existingAlice.id))!.quota).toBe(10);
      const importedAlice = (await db.repos.users.findByUsername(`alice_${suffix}`))!;
      expect(importedAlice).toMatchObject({ quota: 1_000_000, group: 'vip', affCode: null });
      expect(report.tables.users.notes).toContain(
        `user #2 'alice': renamed 'alice_${suffix}' (username taken in the target); ` +
          'invitation code taken in the target: dropped',
      );
      expect((await db.repos.users.findByUsername('bob'))!.inviterId).toBe(importedAlice.id);
      expect((await db.repos.tokens.findByKey(keys.enabled))!.userId).toBe(importedAlice.id);
      expect((await db.repos.tokens.findByKey(keys['root key']))!.userId).toBe(importedRoot.id);

      // Source channel #1 landed after the existing three; logs point at where it landed.
      const openai = (await db.repos.channels.list()).find((c) => c.name === 'OpenAI main')!;
      expect(openai.id).toBeGreaterThan(3);
      const consume = await db.models.Log.findOne({ where: { modelName: 'gpt-4o-mini' } });
      expect(consume).toMatchObject({ channelId: openai.id, userId: importedAlice.id });
      expect(consume!.username).toBe(`alice_${suffix}`);
    },
  );

  it.skipIf(skip)(
    'a run that fails in one table resumes there on the next run, without duplicates',
    async () => {
      const db = await freshTarget();
      const { Token } = db.models;
      const create = Token.create.bind(Token);
      let calls = 0;
      const spy = vi.spyOn(Token, 'create').mockImplementation(((
        ...args: Parameters<typeof create>
      ) => {
        if (++calls === 3) return Promise.reject(new Error('disk full'));
        return create(...args);
      }) as never);
      await expect(importLegacyDatabase(db, fixture.source, { includeLogs: true })).rejects.toThrow(
        /import stopped in tokens \(rerun to resume there\): disk full/,
      );
      spy.mockRestore();
      // Users and channels were committed; the tokens batch was rolled back as a whole.
      expect(await db.models.User.count()).toBe(4);
      const channelsAfterFailure = await db.models.Channel.count();
      expect(channelsAfterFailure).toBe(project === 'new-api' ? 9 : 7);
      expect(await Token.count()).toBe(0);

      const report = await importLegacyDatabase(db, fixture.source, { includeLogs: true });
      expect(report.tables.users).toMatchObject({ imported: 0 });
      expect(report.tables.users.skippedBy['already imported']).toBe(4);
      expect(report.tables.channels).toMatchObject({ imported: 0 });
      expect(report.tables.tokens).toMatchObject({ imported: 7 });
      expect(report.tables.logs).toMatchObject({ imported: 3 });
      expect(await db.models.User.count()).toBe(4);
      expect(await db.models.Channel.count()).toBe(channelsAfterFailure);
      expect(await Token.count()).toBe(7);
      expect((await db.repos.tokens.findByKey(keys.limited))!.subnets).toEqual([
        '10.0.0.0/8',
        '192.168.1.0/24',
      ]);
    },
  );
});

describe('what is not a One API or New API database', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('is refused before anything is written, saying what it lacks', async () => {
    const before = await snapshot(db);
    // This gateway's own database: users and tokens, but not One API's columns.
    await expect(importLegacyDatabase(db, testDb.env.SQLITE_PATH)).rejects.toThrow(
      /is neither a One API nor a New API database \(missing tokens\.key/,
    );
    await expect(importLegacyDatabase(db, '/nonexistent/one-api.db')).rejects.toThrow(
      /--from: \/nonexistent\/one-api\.db is neither a DSN .* nor a SQLite file/,
    );
    expect(await snapshot(db)).toEqual(before);
  });
});
