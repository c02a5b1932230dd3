import type { CreationAttributes, Transaction } from 'sequelize';
import { LogType, type LogModel } from '../models/log.js';
import { forEachBatch, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { bool, int, int32, str, truncate, type SourceRow } from './values.js';

const TYPES = new Set<number>(Object.values(LogType));

/**
 * Usage and top-up history, under the imported users, tokens and channels. Request ids are not
 * kept (they are unique here and mean nothing to this gateway).
 */
export async function importLogs(ctx: ImportContext): Promise<void> {
  if (!ctx.source.tables.has('logs')) {
    ctx.report.general('the source has no logs table');
    return;
  }
  const usernames = new Map(
    (await ctx.target.models.User.findAll({ attributes: ['id', 'username'], raw: true })).map(
      (user) => [user.id, user.username],
    ),
  );
  // Logs may number millions: each batch is written with two statements, not two per row.
  let imported = new Set<string>();
  let batch: { sourceId: number; values: CreationAttributes<LogModel> }[] = [];
  const beforeBatch = async (rows: SourceRow[], transaction: Transaction) => {
    imported = await ctx.ids.importedAmong(
      'logs',
      rows.map((row) => int(row, 'id')),
      transaction,
    );
    batch = [];
  };
  const afterBatch = async (transaction: Transaction) => {
    if (batch.length === 0) return;
    await ctx.target.models.Log.bulkCreate(
      batch.map((entry) => entry.values),
      { transaction },
    );
    await ctx.ids.recordUnheld(
      batch.map((entry) => entry.sourceId),
      transaction,
      ctx.now,
    );
  };
  const handle = async (row: SourceRow) => {
    ctx.report.read('logs');
    const id = int(row, 'id');
    const what = `log #${id}`;
    if (imported.has(String(id))) {
      return ctx.report.skipped('logs', ALREADY_IMPORTED, what);
    }
    const type = int(row, 'type');
    if (!TYPES.has(type)) return ctx.report.skipped('logs', `type ${type} is not kept here`, what);
    const userId = ctx.ids.get('users', int(row, 'user_id'));
    if (userId === undefined) return ctx.report.skipped('logs', 'user not imported', what);
    const tokenId = int(row, 'token_id');
    const channelId = int(row, 'channel_id');
    // New API: use_time in seconds; One API: elapsed_time in milliseconds.
    const durationMs = 'use_time' in row ? int(row, 'use_time') * 1000 : int(row, 'elapsed_time');
    batch.push({
      sourceId: id,
      values: {
        userId,
        createdAt: int(row, 'created_at', ctx.now),
        type,
        content: str(row, 'content'),
        username: truncate(usernames.get(userId) ?? str(row, 'username'), 64),
        tokenName: truncate(str(row, 'token_name'), 64),
        tokenId: tokenId > 0 ? (ctx.ids.get('tokens', tokenId) ?? 0) : 0,
        modelName: truncate(str(row, 'model_name'), 128),
        quota: int(row, 'quota'),
        promptTokens: int32(row, 'prompt_tokens'),
        completionTokens: int32(row, 'completion_tokens'),
        channelId: channelId > 0 ? (ctx.ids.get('channels', channelId) ?? 0) : 0,
        isStream: bool(row, 'is_stream'),
        durationMs: Math.min(durationMs, 2 ** 31 - 1),
        other: str(row, 'other') || null,
      },
    });
    ctx.report.imported('logs');
  };
  await forEachBatch(ctx, 'logs', handle, beforeBatch, afterBatch);
}
