import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { readStorageConfig } from '../src/config.js';
import { createSequelize } from '../src/connect.js';
import type { Database } from '../src/database.js';
import { UniqueViolationError } from '../src/errors.js';
import { migrate } from '../src/migrate.js';
import { migrations } from '../src/migrations/index.js';
import { LogType } from '../src/models/log.js';
import { Role } from '../src/models/user.js';
import {
  createTestDatabase,
  databaseBackends,
  type TestDatabase,
} from '../src/testing/backends.js';
import { nowSeconds } from '../src/time.js';
import { openTestDatabase } from './helpers.js';

describe.each(databaseBackends())('database on $name', ({ name, skip }) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    if (skip) return;
    testDb = await createTestDatabase(name);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it.skipIf(skip)('migrates an empty database, and a re-run changes nothing', async () => {
    const sequelize = createSequelize(readStorageConfig(testDb.env).database);
    try {
      expect(await migrate(sequelize)).toEqual(migrations.map((migration) => migration.name));
      expect(await migrate(sequelize)).toEqual([]);
      const tables = (await sequelize.getQueryInterface().showAllTables()).map(String);
      expect(tables).toEqual(
        expect.arrayContaining([
          'users',
          'tokens',
          'channels',
          'abilities',
          'options',
          'logs',
          'redemptions',
        ]),
      );
    } finally {
      await sequelize.close();
    }
  });

  it.skipIf(skip)('two nodes starting together create exactly one root', async () => {
    const fresh = await createTestDatabase(name);
    try {
      const nodes = await Promise.all([
        openTestDatabase(fresh),
        openTestDatabase(fresh),
        openTestDatabase(fresh),
      ]);
      const roots = await nodes[0]!.models.User.findAll({ where: { role: Role.root } });
      expect(roots.map((row) => row.username)).toEqual(['root']);
      expect(await nodes[0]!.repos.users.verifyCredentials('root', '123456')).toMatchObject({
        role: Role.root,
        mustChangePassword: true,
      });
      await Promise.all(nodes.map((node) => node.close()));
      // A restart keeps the data and still has one root.
      const again = await openTestDatabase(fresh);
      expect(await again.models.User.count({ where: { role: Role.root } })).toBe(1);
      await again.close();
    } finally {
      await fresh.drop();
    }
  });

  it.skipIf(skip)('a slave node waits for the master to migrate', async () => {
    const fresh = await createTestDatabase(name);
    try {
      const slave = openTestDatabase(fresh, { nodeType: 'slave' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const master = await openTestDatabase(fresh);
      const slaveDb = await slave;
      expect(await slaveDb.repos.users.findByUsername('root')).not.toBeNull();
      await Promise.all([slaveDb.close(), master.close()]);
    } finally {
      await fresh.drop();
    }
  });

  it.skipIf(skip)('keeps emoji and Chinese intact in names and log content', async () => {
    db = await openTestDatabase(testDb);
    const user = await db.repos.users.create({
      username: '用户🦄',
      password: 'pw-123456',
      displayName: '张三 😀',
    });
    const found = await db.repos.users.findByUsername('用户🦄');
    expect(found).toMatchObject({ id: user.id, displayName: '张三 😀' });
    const content = '调用 gpt-4o 成功 ✅ — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀';
    const id = await db.repos.logs.insert({
      userId: user.id,
      username: user.username,
      type: LogType.system,
      createdAt: nowSeconds(),
      content,
      tokenName: '密钥🔑',
    });
    expect(await db.repos.logs.get(id)).toMatchObject({
      content,
      tokenName: '密钥🔑',
      username: '用户🦄',
    });
  });

  it.skipIf(skip)('stores a 64 KB log content row whole', async () => {
    const content = '日志'.repeat(16 * 1024) + 'x'.repeat(32 * 1024); // 96 KiB of UTF-8 text
    const id = await db.repos.logs.insert({
      userId: 1,
      type: LogType.system,
      createdAt: nowSeconds(),
      content,
    });
    const log = await db.repos.logs.get(id);
    expect(log?.content.length).toBe(content.length);
    expect(log?.content).toBe(content);
  });

  it.skipIf(skip)('writes a batch of consume logs with every value as given', async () => {
    const createdAt = nowSeconds();
    const tricky = `O'Brien \\ "quoted" 😀`;
    await db.repos.logs.insertMany(
      [true, false].map((isStream, i) => ({
        userId: 42,
        type: LogType.consume,
        createdAt,
        username: tricky,
        model: 'gpt-4o-mini',
        quota: 2 ** 40 + i,
        isStream,
        requestId: `batch-${i}`,
        other: i === 0 ? '{"modelRatio":0.075}' : null,
      })),
    );
    const { items } = await db.repos.logs.list({ userId: 42, page: 1, pageSize: 10 });
    expect(items.map(({ id: _id, ...log }) => log).sort((a, b) => a.quota - b.quota)).toEqual([
      expect.objectContaining({
        username: tricky,
        quota: 2 ** 40,
        isStream: true,
        other: '{"modelRatio":0.075}',
        content: '',
      }),
      expect.objectContaining({
        username: tricky,
        quota: 2 ** 40 + 1,
        isStream: false,
        other: null,
        requestId: 'batch-1',
      }),
    ]);
  });

  it.skipIf(skip)('writes a batch larger than one INSERT statement holds, every row', async () => {
    const createdAt = nowSeconds();
    const count = 450;
    await db.repos.logs.insertMany(
      Array.from({ length: count }, (_, i) => ({
        userId: 43,
        type: LogType.consume,
        createdAt,
        model: 'gpt-4o-mini',
        quota: i + 1,
        requestId: `large-batch-${i}`,
      })),
    );
    const { items, total } = await db.repos.logs.list({ userId: 43, page: 1, pageSize: 100 });
    expect(total).toBe(count);
    expect((await db.repos.logs.stats({ userId: 43 })).quota).toBe((count * (count + 1)) / 2);
    expect(new Set(items.map((log) => log.requestId)).size).toBe(items.length);
  });

  it.skipIf(skip)('reports duplicate unique values as UniqueViolationError', async () => {
    await db.repos.users.create({ username: 'alice', password: 'pw-123456' });
    const duplicate = db.repos.users.create({ username: 'alice', password: 'other-pw' });
    await expect(duplicate).rejects.toBeInstanceOf(UniqueViolationError);
    await expect(duplicate).rejects.toMatchObject({ table: 'users' });
    expect(await db.models.User.count({ where: { username: 'alice' } })).toBe(1);

    const { token } = await db.repos.tokens.create(1, { name: 'k' });
    const row = await db.models.Token.findByPk(token.id);
    const copy = db.models.Token.create({ ...row!.get({ plain: true }), id: undefined } as never);
    await expect(copy).rejects.toThrow(); // the key hash is unique at the database level too
  });

  it.skipIf(skip)('finds a token by its key while storing only the hash', async () => {
    const { token, key } = await db.repos.tokens.create(1, {
      name: 'ci',
      models: ['gpt-4o'],
      remainQuota: 500,
    });
    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    expect(await db.repos.tokens.findByKey(key)).toMatchObject({
      id: token.id,
      models: ['gpt-4o'],
      remainQuota: 500,
    });
    const stored = await db.sequelize.query<Record<string, unknown>>(
      'SELECT * FROM tokens WHERE id = ?',
      {
        replacements: [token.id],
        type: QueryTypes.SELECT,
      },
    );
    expect(JSON.stringify(stored)).not.toContain(key.slice(3));
    const newKey = await db.repos.tokens.regenerateKey(token.id, 1);
    expect(await db.repos.tokens.findByKey(key)).toBeNull();
    expect(await db.repos.tokens.findByKey(newKey!)).toMatchObject({ id: token.id });
  });

  it.skipIf(skip)("rebuilds a channel's abilities with every change", async () => {
    const channel = await db.repos.channels.create({
      type: 'openai',
      name: 'main',
      key: 'sk-upstream-secret',
      models: ['gpt-4o', 'gpt-4o-mini'],
      groups: ['default', 'vip'],
      priority: 5,
    });
    expect(channel).not.toHaveProperty('key');
    const abilities = () =>
      db.models.Ability.findAll({
        where: { channelId: channel.id },
        order: [
          ['group', 'ASC'],
          ['model', 'ASC'],
        ],
      });
    expect(
      (await abilities()).map((a) => `${a.group}/${a.model}/${a.enabled ? 'on' : 'off'}`),
    ).toEqual([
      'default/gpt-4o/on',
      'default/gpt-4o-mini/on',
      'vip/gpt-4o/on',
      'vip/gpt-4o-mini/on',
    ]);
    await db.repos.channels.update(channel.id, { models: ['o3'], groups: ['vip'], status: 2 });
    expect(
      (await abilities()).map((a) => `${a.group}/${a.model}/${a.enabled ? 'on' : 'off'}`),
    ).toEqual(['vip/o3/off']);
    await db.repos.channels.delete(channel.id);
    expect(await abilities()).toEqual([]);
  });

  it.skipIf(skip)('lets one of many concurrent redemptions of a code win', async () => {
    const redeemer = await db.repos.users.create({ username: 'redeemer', password: 'pw-123456' });
    const [code] = await db.repos.redemptions.createBatch({
      creatorId: 1,
      name: 'promo',
      quota: 1000,
      count: 1,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.repos.redemptions.redeem(code!, redeemer).catch(() => null),
      ),
    );
    expect(results.filter((quota) => quota === 1000)).toHaveLength(1);
    expect((await db.repos.users.findById(redeemer.id))?.quota).toBe(1000);
    const topups = await db.repos.logs.list({
      userId: redeemer.id,
      type: LogType.topup,
      page: 1,
      pageSize: 10,
    });
    expect(topups.total).toBe(1);
  });
});
