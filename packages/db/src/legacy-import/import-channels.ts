import type { Transaction } from 'sequelize';
import { CacheKeys } from '../cache/keys.js';
import { ChannelStatus, type ChannelModel } from '../models/channel.js';
import { rebuildAbilities } from '../repositories/channel-abilities.js';
import type { Channel as ChannelView } from '../repositories/channels.js';
import { DEFAULT_ORIGINS, describeSourceType, mapChannelType } from './channel-types.js';
import { forEachBatch, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { float, int, int32, splitList, str, truncate, type SourceRow } from './values.js';

/**
 * Channels, with their abilities (group × model) written as the channels repository writes
 * them. A type this gateway does not serve, or a channel missing what its type needs, comes in
 * disabled with the reason in its name, for the operator to fix or delete.
 */
export async function importChannels(ctx: ImportContext): Promise<void> {
  const moved: string[] = [];
  await forEachBatch(ctx, 'channels', async (row, transaction) => {
    ctx.report.read('channels');
    const id = int(row, 'id');
    const name = str(row, 'name');
    const what = `channel #${id} '${name}'`;
    if (ctx.ids.get('channels', id) !== undefined) {
      return ctx.report.skipped('channels', ALREADY_IMPORTED, what);
    }
    if (str(row, 'key').trim() === '') return ctx.report.skipped('channels', 'no key', what);

    const plan = planChannel(ctx, row);
    const keys = splitKeys(row);
    let firstId: number | undefined;
    for (const [index, key] of keys.entries()) {
      const suffix = keys.length > 1 ? ` (key ${index + 1}/${keys.length})` : '';
      const created = await createChannel(
        ctx,
        { ...plan.fields, key, name: truncate(`${name}${suffix}${plan.nameNote}`, 128) },
        transaction,
      );
      firstId ??= created.id;
    }
    await ctx.ids.record('channels', id, firstId ?? 0, transaction, ctx.now);
    if (firstId !== id) moved.push(`#${id} → #${firstId ?? 0}`);
    const notes = [...plan.notes];
    if (keys.length > 1) notes.push(`a multi-key channel: one channel per key (${keys.length})`);
    ctx.report.imported('channels', notes.length > 0 ? `${what}: ${notes.join('; ')}` : undefined);
  });
  if (moved.length > 0) {
    // Admin keys pinned to a channel (sk-KEY-<id>) name the source's id.
    const shown = moved.slice(0, 20).join(', ') + (moved.length > 20 ? ', …' : '');
    ctx.report.general(`channel ids changed (keys pinned to a channel need the new id): ${shown}`);
  }
  ctx.invalidations.add(CacheKeys.channels);
}

type ChannelFields = Omit<Parameters<typeof createChannel>[1], 'key' | 'name'>;

function planChannel(
  ctx: ImportContext,
  row: SourceRow,
): { fields: ChannelFields; notes: string[]; nameNote: string } {
  const { project, name: projectName } = ctx.detection;
  const sourceType = int(row, 'type');
  const mapped = mapChannelType(project, sourceType);
  const notes: string[] = [];
  const problems: string[] = [];
  if (!mapped)
    problems.push(
      `${projectName} ${describeSourceType(project, sourceType)} is not supported here`,
    );
  const type = mapped ?? 'openai-compatible';
  const baseUrl = normalizeBaseUrl(type, str(row, 'base_url'));
  if (mapped === 'openai-compatible' && baseUrl === '') problems.push('no base URL');
  const config: Record<string, unknown> = {};
  if (type === 'azure') {
    // One API and New API keep Azure's API version in `other`.
    const apiVersion = str(row, 'other').trim();
    if (apiVersion) config.apiVersion = apiVersion;
    else problems.push('no Azure API version');
  }
  const modelMapping = parseModelMapping(str(row, 'model_mapping'));
  // New API's per-channel request rewriting has no counterpart here.
  for (const column of ['param_override', 'header_override', 'status_code_mapping']) {
    const value = str(row, column).trim();
    if (value !== '' && value !== '{}') notes.push(`${column} not imported`);
  }
  if (modelMapping === null) notes.push('model mapping is not a JSON map of names: dropped');

  const sourceStatus = int(row, 'status');
  let status: number =
    sourceStatus === ChannelStatus.enabled || sourceStatus === ChannelStatus.autoDisabled
      ? sourceStatus
      : ChannelStatus.manuallyDisabled;
  if (problems.length > 0) {
    status = ChannelStatus.manuallyDisabled;
    notes.push(`imported disabled: ${problems.join(', ')}`);
  }
  const weight = int32(row, 'weight', 1);
  return {
    fields: {
      type,
      status,
      weight: weight > 0 ? weight : 1,
      priority: int(row, 'priority'),
      baseUrl,
      models: splitList(str(row, 'models')),
      groups: splitList(str(row, 'group')),
      modelMapping: modelMapping ?? {},
      config,
      createdTime: int(row, 'created_time', ctx.now),
      testTime: int(row, 'test_time'),
      responseTime: int32(row, 'response_time'),
      balance: float(row, 'balance'),
      balanceUpdatedTime: int(row, 'balance_updated_time'),
      usedQuota: int(row, 'used_quota'),
    },
    notes,
    nameNote: problems.length > 0 ? ` [disabled on import: ${problems.join(', ')}]` : '',
  };
}

/** New API's multi-key channels hold one key per line (or a JSON array, for Vertex AI). */
function splitKeys(row: SourceRow): string[] {
  const key = str(row, 'key').trim();
  const info = row.channel_info;
  let multi = false;
  if (info !== null && typeof info === 'object' && !Buffer.isBuffer(info)) {
    // PostgreSQL and MySQL hand JSON columns back parsed.
    multi = Boolean((info as { is_multi_key?: unknown }).is_multi_key);
  } else {
    try {
      multi = Boolean(
        (JSON.parse(str(row, 'channel_info') || '{}') as { is_multi_key?: unknown }).is_multi_key,
      );
    } catch {
      multi = false;
    }
  }
  if (!multi) return [key];
  if (key.startsWith('[')) {
    try {
      const keys = JSON.parse(key) as unknown[];
      return keys.map((k) => (typeof k === 'string' ? k : JSON.stringify(k))).filter(Boolean);
    } catch {
      return [key];
    }
  }
  const keys = key
    .split('\n')
    .map((k) => k.trim())
    .filter(Boolean);
  return keys.length > 0 ? keys : [key];
}

/** The provider's origin, without a trailing slash or /v1 (DESIGN §7). */
function normalizeBaseUrl(type: string, raw: string): string {
  const url = raw.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
  return DEFAULT_ORIGINS[type]?.includes(url) ? '' : url;
}

/** A JSON object of strings; {} when empty; null when unusable. */
function parseModelMapping(raw: string): Record<string, string> | null {
  if (raw.trim() === '') return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed === null) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const entries = Object.entries(parsed);
    if (!entries.every(([, value]) => typeof value === 'string')) return null;
    return Object.fromEntries(entries) as Record<string, string>;
  } catch {
    return null;
  }
}

/** As the channels repository creates one: the row, then its abilities, in one transaction. */
async function createChannel(
  ctx: ImportContext,
  input: Omit<ChannelView, 'id' | 'keyHint'> & { key: string },
  transaction: Transaction,
): Promise<ChannelModel> {
  const { Channel, Ability } = ctx.target.models;
  const { models, groups, modelMapping, config, ...columns } = input;
  const groupList = groups.length > 0 ? groups : ['default'];
  const row = await Channel.create(
    {
      ...columns,
      models: models.join(','),
      group: groupList.join(','),
      modelMapping: Object.keys(modelMapping).length > 0 ? JSON.stringify(modelMapping) : null,
      config: Object.keys(config).length > 0 ? JSON.stringify(config) : null,
    },
    { transaction },
  );
  await rebuildAbilities(Ability, row, transaction);
  return row;
}
