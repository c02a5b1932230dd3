import { DataTypes, type QueryInterface } from 'sequelize';
import { longText } from '../long-text.js';
import { TABLE_OPTIONS, type Migration } from './migration.js';

// Factories, not shared objects: createTable mutates the attribute objects it is given.
const id = () => ({
  type: DataTypes.INTEGER,
  primaryKey: true,
  autoIncrement: true,
  allowNull: false,
});
const int = (defaultValue?: number) => ({
  type: DataTypes.INTEGER,
  allowNull: false,
  defaultValue,
});
const bigint = (defaultValue?: number) => ({
  type: DataTypes.BIGINT,
  allowNull: false,
  defaultValue,
});
const string = (length: number, defaultValue?: string) => ({
  type: DataTypes.STRING(length),
  allowNull: false,
  defaultValue,
});
const bool = (defaultValue: boolean) => ({
  type: DataTypes.BOOLEAN,
  allowNull: false,
  defaultValue,
});
// MySQL before 8.0.13 refuses defaults on TEXT columns; the models supply them on insert.
const text = () => ({ type: DataTypes.TEXT, allowNull: false });

const nullableText = () => ({ type: DataTypes.TEXT, allowNull: true });

async function createUsers(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'users',
    {
      id: id(),
      username: string(64),
      password: string(255),
      display_name: string(64, ''),
      role: int(1),
      status: int(1),
      email: string(128, ''),
      access_token_hash: { type: DataTypes.STRING(64), allowNull: true },
      quota: bigint(0),
      used_quota: bigint(0),
      request_count: int(0),
      group: string(64, 'default'),
      aff_code: { type: DataTypes.STRING(32), allowNull: true },
      inviter_id: { type: DataTypes.INTEGER, allowNull: true },
      must_change_password: bool(false),
      created_time: bigint(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('users', ['username'], { unique: true, name: 'users_username' });
  await qi.addIndex('users', ['access_token_hash'], {
    unique: true,
    name: 'users_access_token_hash',
  });
  await qi.addIndex('users', ['aff_code'], { unique: true, name: 'users_aff_code' });
}

async function createTokens(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'tokens',
    {
      id: id(),
      user_id: int(),
      name: string(64, ''),
      key_hash: string(64),
      key_hint: string(16, ''),
      status: int(1),
      created_time: bigint(),
      accessed_time: bigint(0),
      expired_time: bigint(-1),
      expiry_mode: string(16, 'fixed'),
      duration_seconds: bigint(0),
      first_used_time: bigint(0),
      remain_quota: bigint(0),
      unlimited_quota: bool(false),
      used_quota: bigint(0),
      models: text(),
      subnets: text(),
      group: string(64, ''),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('tokens', ['key_hash'], { unique: true, name: 'tokens_key_hash' });
  await qi.addIndex('tokens', ['user_id'], { name: 'tokens_user_id' });
}

async function createChannels(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'channels',
    {
      id: id(),
      type: string(32),
      name: string(128, ''),
      key: text(),
      status: int(1),
      weight: int(1),
      priority: bigint(0),
      base_url: string(255, ''),
      models: text(),
      group: string(255, 'default'),
      model_mapping: nullableText(),
      config: nullableText(),
      created_time: bigint(),
      test_time: bigint(0),
      response_time: int(0),
      balance: { type: DataTypes.DOUBLE, allowNull: false, defaultValue: 0 },
      balance_updated_time: bigint(0),
      used_quota: bigint(0),
    },
    TABLE_OPTIONS,
  );
}

async function createAbilities(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'abilities',
    {
      group: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      model: { type: DataTypes.STRING(128), allowNull: false, primaryKey: true },
      channel_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
      enabled: bool(true),
      priority: bigint(0),
      weight: int(1),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('abilities', ['group', 'model', 'enabled', 'priority'], {
    name: 'abilities_route',
  });
  await qi.addIndex('abilities', ['channel_id'], { name: 'abilities_channel_id' });
}

async function createOptions(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'options',
    {
      key: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      value: { type: longText(qi.sequelize.getDialect()), allowNull: false },
    },
    TABLE_OPTIONS,
  );
}

async function createLogs(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'logs',
    {
      id: id(),
      user_id: int(),
      created_at: bigint(),
      type: int(),
      content: { type: longText(qi.sequelize.getDialect()), allowNull: false },
      username: string(64, ''),
      token_name: string(64, ''),
      token_id: int(0),
      model_name: string(128, ''),
      quota: bigint(0),
      prompt_tokens: int(0),
      completion_tokens: int(0),
      channel_id: int(0),
      is_stream: bool(false),
      ttft_ms: int(0),
      duration_ms: int(0),
      request_id: string(64, ''),
      other: nullableText(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('logs', ['user_id', 'created_at'], { name: 'logs_user_time' });
  await qi.addIndex('logs', ['token_id', 'created_at'], { name: 'logs_token_time' });
  await qi.addIndex('logs', ['model_name', 'created_at'], { name: 'logs_model_time' });
  await qi.addIndex('logs', ['channel_id', 'created_at'], { name: 'logs_channel_time' });
  await qi.addIndex('logs', ['created_at'], { name: 'logs_time' });
  await qi.addIndex('logs', ['request_id'], { name: 'logs_request_id' });
}

async function createRedemptions(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'redemptions',
    {
      id: id(),
      user_id: int(),
      name: string(64, ''),
      key_hash: string(64),
      key_hint: string(16, ''),
      status: int(1),
      quota: bigint(),
      created_time: bigint(),
      redeemed_time: bigint(0),
      used_user_id: int(0),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('redemptions', ['key_hash'], { unique: true, name: 'redemptions_key_hash' });
}

async function createSessions(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'sessions',
    {
      id: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
      user_id: int(),
      created_time: bigint(),
      expires_time: bigint(),
    },
    TABLE_OPTIONS,
  );
  await qi.addIndex('sessions', ['user_id'], { name: 'sessions_user_id' });
}

async function createCacheEvents(qi: QueryInterface): Promise<void> {
  await qi.createTable(
    'cache_events',
    { id: id(), key: string(191), created_time: bigint() },
    TABLE_OPTIONS,
  );
  await qi.addIndex('cache_events', ['created_time'], { name: 'cache_events_time' });
}

export const initial: Migration = {
  name: '0001-initial',
  async up(qi) {
    await createUsers(qi);
    await createTokens(qi);
    await createChannels(qi);
    await createAbilities(qi);
    await createOptions(qi);
    await createLogs(qi);
    await createRedemptions(qi);
    await createSessions(qi);
    await createCacheEvents(qi);
  },
};
