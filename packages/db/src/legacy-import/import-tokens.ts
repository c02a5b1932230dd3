import { CacheKeys } from '../cache/keys.js';
import { TokenStatus } from '../models/token.js';
import { keyHint, sha256Hex } from '../secrets.js';
import { forEachBatch, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { bool, int, isDeleted, splitList, str, truncate, type SourceRow } from './values.js';

/**
 * One API and New API store a key without its `sk-`, and strip `sk-` from what a client sends;
 * clients send `sk-` + the stored key. That whole string is what the proxy hashes and looks up.
 */
export function clientKeyOf(storedKey: string): string {
  return `sk-${storedKey}`;
}

const STATUSES = new Set<number>(Object.values(TokenStatus));

/** API keys, stored as the gateway stores its own: the sha256 of what clients send. */
export async function importTokens(ctx: ImportContext): Promise<void> {
  const { Token } = ctx.target.models;
  await forEachBatch(ctx, 'tokens', async (row, transaction) => {
    ctx.report.read('tokens');
    const id = int(row, 'id');
    const what = `token #${id} '${str(row, 'name')}'`;
    if (ctx.ids.get('tokens', id) !== undefined) {
      return ctx.report.skipped('tokens', ALREADY_IMPORTED, what);
    }
    if (isDeleted(row)) return ctx.report.skipped('tokens', 'deleted in the source', what);
    const storedKey = str(row, 'key').trim();
    if (storedKey === '') return ctx.report.skipped('tokens', 'no key', what);
    const userId = ctx.ids.get('users', int(row, 'user_id'));
    if (userId === undefined) return ctx.report.skipped('tokens', 'owner not imported', what);
    const key = clientKeyOf(storedKey);
    const keyHash = sha256Hex(key);
    const existing = await Token.findOne({ where: { keyHash }, transaction });
    if (existing) {
      return ctx.report.skipped('tokens', 'the same key is already a token here', what);
    }
    const notes: string[] = [];
    let status = int(row, 'status');
    if (!STATUSES.has(status)) {
      notes.push(`unknown status ${status}: imported disabled`);
      status = TokenStatus.disabled;
    }
    const created = await Token.create(
      {
        userId,
        name: truncate(str(row, 'name'), 64),
        keyHash,
        keyHint: keyHint(key),
        status,
        createdTime: int(row, 'created_time', ctx.now),
        accessedTime: int(row, 'accessed_time'),
        expiredTime: int(row, 'expired_time', -1),
        remainQuota: int(row, 'remain_quota'),
        unlimitedQuota: bool(row, 'unlimited_quota'),
        usedQuota: int(row, 'used_quota'),
        models: modelsOf(row).join(','),
        subnets: subnetsOf(row).join(','),
        group: truncate(str(row, 'group').trim(), 64),
      },
      { transaction },
    );
    await ctx.ids.record('tokens', id, created.id, transaction, ctx.now);
    // A proxy may have cached this key as unknown.
    ctx.invalidations.add(CacheKeys.token(keyHash));
    ctx.report.imported('tokens', notes.length > 0 ? `${what}: ${notes.join('; ')}` : undefined);
  });
}

/** One API: `models`, comma-separated. New API: `model_limits`, when `model_limits_enabled`. */
function modelsOf(row: SourceRow): string[] {
  if ('model_limits_enabled' in row) {
    return bool(row, 'model_limits_enabled') ? splitList(str(row, 'model_limits')) : [];
  }
  return splitList(str(row, 'models'));
}

/** One API: `subnet`, comma-separated CIDRs. New API: `allow_ips`, one address or CIDR a line. */
function subnetsOf(row: SourceRow): string[] {
  return splitList('allow_ips' in row ? str(row, 'allow_ips') : str(row, 'subnet'));
}
