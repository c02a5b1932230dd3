import type { LegacyProject } from '../../legacy-import/index.js';
import {
  CREATED,
  LEGACY_REDEMPTION_CODES,
  LEGACY_STORED_KEYS,
  PAST,
  legacyPasswordHashes,
} from './data.js';

type Row = Record<string, unknown>;

/**
 * The rows each fixture holds. Both projects get the same users, channels, tokens, codes,
 * options and logs in their own columns; New API's also hold what only it has (soft-deleted
 * rows, a multi-key channel, an expiring code, a refund log).
 */
export async function legacyRows(project: LegacyProject): Promise<Record<string, Row[]>> {
  const newApi = project === 'new-api';
  const hash = await legacyPasswordHashes();
  const keys = LEGACY_STORED_KEYS[project];
  const codes = LEGACY_REDEMPTION_CODES[project];

  const user = (row: Row): Row => ({
    display_name: row.username,
    email: `${String(row.username)}@legacy.example`,
    access_token: `${String(row.username).padEnd(8, 'x')}${'0'.repeat(24)}`,
    github_id: '',
    wechat_id: '',
    group: 'default',
    inviter_id: 0,
    request_count: 0,
    used_quota: 0,
    ...row,
  });
  const users = [
    user({
      id: 1,
      username: 'root',
      password: hash.root,
      role: 100,
      status: 1,
      quota: 100_000_000,
      used_quota: 5000,
      request_count: 40,
      aff_code: 'R00t',
    }),
    user({
      id: 2,
      username: 'alice',
      password: hash.alice,
      role: 1,
      status: 1,
      quota: 1_000_000,
      used_quota: 2345,
      request_count: 12,
      group: 'vip',
      aff_code: 'AbCd',
    }),
    user({
      id: 3,
      username: 'bob',
      password: hash.bob,
      role: 10,
      status: 2,
      quota: 5000,
      aff_code: 'BoB1',
      inviter_id: 2,
    }),
    user({
      id: 4,
      username: 'carol',
      password: hash.carol,
      role: 1,
      status: 1,
      quota: 42,
      aff_code: 'Ca12',
      inviter_id: 2,
    }),
    ...(newApi
      ? [
          user({
            id: 5,
            username: 'dave',
            password: hash.carol,
            role: 1,
            status: 1,
            quota: 7,
            aff_code: 'Dv55',
            deleted_at: new Date(PAST * 1000),
          }),
        ]
      : []),
  ];

  const channel = (row: Row): Row => ({
    status: 1,
    weight: 1,
    created_time: CREATED,
    base_url: '',
    other: '',
    group: 'default',
    model_mapping: '',
    priority: 0,
    balance: 0,
    used_quota: 0,
    ...row,
  });
  const channels = [
    channel({
      id: 1,
      type: 1,
      name: 'OpenAI main',
      key: 'sk-upstream-openai-000000000001',
      models: 'gpt-4o-mini,gpt-4o',
      group: 'default,vip',
      priority: 10,
      weight: 5,
      model_mapping: '{"gpt-4o":"gpt-4o-2024-08-06"}',
      used_quota: 1234,
      balance: 12.5,
    }),
    channel({
      id: 2,
      type: 3,
      name: 'Azure east',
      key: 'azure-key-0000000000000002',
      base_url: 'https://east.openai.azure.com/',
      other: '2024-02-01',
      models: 'gpt-4o-mini',
    }),
    channel({
      id: 3,
      type: 14,
      name: 'Claude',
      key: 'sk-ant-upstream-0000000000003',
      models: 'claude-3-5-sonnet-20241022',
      status: 3,
    }),
    channel({
      id: 4,
      type: 24,
      name: 'Gemini',
      key: 'AIzaUpstreamGemini000000000004',
      models: 'gemini-1.5-pro',
      status: 2,
    }),
    channel({
      id: 5,
      type: 8,
      name: 'In-house',
      key: 'internal-key-0000000000000005',
      base_url: 'https://llm.internal.example/v1/',
      models: 'llama-3-70b',
      group: 'vip',
    }),
    channel({
      id: 6,
      type: 15,
      name: 'Baidu',
      key: 'baidu-key|baidu-secret-000006',
      models: 'ERNIE-4.0',
    }),
    channel({
      id: 7,
      type: newApi ? 43 : 36,
      name: 'DeepSeek',
      key: 'sk-upstream-deepseek-00000007',
      models: 'deepseek-chat',
    }),
    ...(newApi
      ? [
          channel({
            id: 8,
            type: 1,
            name: 'Multi',
            key: 'sk-multi-key-one-0000000008\nsk-multi-key-two-0000000008',
            models: 'gpt-4o-mini',
            channel_info: JSON.stringify({
              is_multi_key: true,
              multi_key_size: 2,
              multi_key_mode: 'random',
            }),
          }),
        ]
      : []),
  ];

  const token = (row: Row): Row => {
    const { models = '', subnet = '', ...rest } = row;
    const limits = newApi
      ? {
          model_limits_enabled: models !== '',
          model_limits: models,
          allow_ips: String(subnet).split(',').join('\n'),
          group: '',
        }
      : { models, subnet };
    return {
      user_id: 2,
      status: 1,
      created_time: CREATED,
      accessed_time: CREATED + 60,
      expired_time: -1,
      remain_quota: 500_000,
      unlimited_quota: false,
      used_quota: 0,
      ...limits,
      ...rest,
    };
  };
  const tokens = [
    token({ id: 1, name: 'enabled', key: keys.enabled, used_quota: 1000 }),
    token({ id: 2, name: 'disabled', key: keys.disabled, status: 2 }),
    token({ id: 3, name: 'expired', key: keys.expired, status: 3, expired_time: PAST }),
    token({
      id: 4,
      name: 'exhausted',
      key: keys.exhausted,
      status: 4,
      remain_quota: 0,
      used_quota: 9000,
    }),
    token({
      id: 5,
      name: 'unlimited',
      key: keys.unlimited,
      unlimited_quota: true,
      remain_quota: 0,
    }),
    token({
      id: 6,
      name: 'limited',
      key: keys.limited,
      models: 'gpt-4o-mini',
      subnet: '10.0.0.0/8,192.168.1.0/24',
      ...(newApi ? { group: 'vip' } : {}),
    }),
    token({ id: 7, name: 'root key', key: keys['root key'], user_id: 1, remain_quota: 123 }),
    ...(newApi
      ? [
          token({
            id: 8,
            name: 'deleted',
            key: 'newapiDeletedKey'.padEnd(48, '7'),
            deleted_at: new Date(PAST * 1000),
          }),
        ]
      : []),
  ];

  const redemption = (row: Row): Row => ({
    user_id: 1,
    status: 1,
    created_time: CREATED,
    redeemed_time: 0,
    ...(newApi ? { used_user_id: 0, expired_time: 0 } : {}),
    ...row,
  });
  const redemptions = [
    redemption({ id: 1, name: 'welcome', key: codes.welcome, quota: 100_000 }),
    redemption({
      id: 2,
      name: 'used',
      key: codes.used,
      quota: 5000,
      status: 3,
      redeemed_time: CREATED + 3600,
      ...(newApi ? { used_user_id: 2 } : {}),
    }),
    redemption({ id: 3, name: 'disabled', key: codes.disabled, quota: 777, status: 2 }),
    ...(newApi
      ? [
          redemption({
            id: 4,
            name: 'expired',
            key: 'abababababababababababababababab',
            quota: 10,
            expired_time: PAST,
          }),
        ]
      : []),
  ];

  const options = [
    ['ModelRatio', '{"gpt-4o-mini":0.075,"gpt-4o":1.25}'],
    ['CompletionRatio', '{"gpt-4o-mini":4}'],
    ['GroupRatio', '{"default":1,"vip":0.8}'],
    ['SystemName', 'Legacy Gateway'],
    ['Notice', 'Welcome to the old gateway'],
    ['Footer', 'Legacy footer'],
    ['TopUpLink', 'https://shop.legacy.example'],
    ['QuotaPerUnit', '500000'],
    ['RegisterEnabled', 'false'],
    ['SMTPServer', 'smtp.legacy.example'],
    ['SMTPPort', '465'],
    ['SMTPAccount', 'mailer@legacy.example'],
    ['WeChatServerAddress', 'https://wechat.legacy.example'],
    ['ChannelDisableThreshold', 'five'],
    ...(newApi ? [['ModelPrice', '{"dall-e-3":0.04}']] : []),
  ].map(([key, value]) => ({ key, value }));

  const log = (row: Row): Row => ({
    user_id: 2,
    created_at: CREATED + 100,
    content: '',
    username: 'alice',
    token_name: '',
    model_name: '',
    quota: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    channel_id: 0,
    ...row,
  });
  const logs = [
    log({
      id: 1,
      type: 2,
      token_name: 'enabled',
      model_name: 'gpt-4o-mini',
      quota: 1000,
      prompt_tokens: 100,
      completion_tokens: 50,
      channel_id: 1,
      ...(newApi
        ? { token_id: 1, use_time: 2, is_stream: true, other: '{"model_ratio":0.075}' }
        : {}),
    }),
    log({ id: 2, type: 1, content: 'redeemed a code', quota: 5000 }),
    log({
      id: 3,
      type: 2,
      user_id: 1,
      username: 'root',
      token_name: 'root key',
      model_name: 'deepseek-chat',
      quota: 77,
      channel_id: 7,
      ...(newApi ? { token_id: 7 } : {}),
    }),
    ...(newApi
      ? [
          log({ id: 4, type: 6, content: 'refund', quota: 10 }),
          log({ id: 5, type: 2, user_id: 5, username: 'dave', quota: 3 }),
        ]
      : []),
  ];

  return { users, channels, tokens, redemptions, options, logs, abilities: [] };
}
