import { RedemptionStatus } from '../models/redemption.js';
import { Role } from '../models/user.js';
import { keyHint, sha256Hex } from '../secrets.js';
import { forEachBatch, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { int, isDeleted, str, truncate } from './values.js';

const STATUSES = new Set<number>(Object.values(RedemptionStatus));

/** Redemption codes, stored as the gateway stores its own: the sha256 of the code as typed. */
export async function importRedemptions(ctx: ImportContext): Promise<void> {
  if (!ctx.source.tables.has('redemptions')) {
    ctx.report.general('the source has no redemptions table');
    return;
  }
  const { Redemption, User } = ctx.target.models;
  await forEachBatch(ctx, 'redemptions', async (row, transaction) => {
    ctx.report.read('redemptions');
    const id = int(row, 'id');
    const what = `redemption #${id} '${str(row, 'name')}'`;
    if (ctx.ids.get('redemptions', id) !== undefined) {
      return ctx.report.skipped('redemptions', ALREADY_IMPORTED, what);
    }
    if (isDeleted(row)) return ctx.report.skipped('redemptions', 'deleted in the source', what);
    const code = str(row, 'key').trim();
    if (code === '') return ctx.report.skipped('redemptions', 'no code', what);
    const keyHash = sha256Hex(code);
    if (await Redemption.findOne({ where: { keyHash }, transaction })) {
      return ctx.report.skipped('redemptions', 'the same code is already here', what);
    }
    const notes: string[] = [];
    let creatorId = ctx.ids.get('users', int(row, 'user_id'));
    if (creatorId === undefined) {
      // The creator is only shown; the code still works.
      const root = await User.findOne({ where: { role: Role.root }, transaction });
      creatorId = root?.id ?? 0;
      notes.push('creator not imported: shown as created by root');
    }
    let status = int(row, 'status');
    if (!STATUSES.has(status)) {
      notes.push(`unknown status ${status}: imported disabled`);
      status = RedemptionStatus.disabled;
    }
    // New API codes may expire; here a code does not, so an expired one comes in disabled.
    const expiredTime = int(row, 'expired_time');
    if (status === RedemptionStatus.enabled && expiredTime > 0) {
      if (expiredTime < ctx.now) {
        status = RedemptionStatus.disabled;
        notes.push('expired in the source: imported disabled');
      } else {
        notes.push('its expiry time is not kept (codes do not expire here)');
      }
    }
    const usedBy = int(row, 'used_user_id');
    const created = await Redemption.create(
      {
        userId: creatorId,
        name: truncate(str(row, 'name'), 64),
        keyHash,
        keyHint: keyHint(code),
        status,
        quota: int(row, 'quota'),
        createdTime: int(row, 'created_time', ctx.now),
        redeemedTime: int(row, 'redeemed_time'),
        usedUserId: usedBy > 0 ? (ctx.ids.get('users', usedBy) ?? 0) : 0,
      },
      { transaction },
    );
    await ctx.ids.record('redemptions', id, created.id, transaction, ctx.now);
    ctx.report.imported(
      'redemptions',
      notes.length > 0 ? `${what}: ${notes.join('; ')}` : undefined,
    );
  });
}
