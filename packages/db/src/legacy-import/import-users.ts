import { Op, type Transaction } from 'sequelize';
import { DEFAULT_ROOT } from '../bootstrap.js';
import { CacheKeys } from '../cache/keys.js';
import { Role, UserStatus, type UserModel } from '../models/user.js';
import { verifyPassword } from '../secrets.js';
import { forEachBatch, inTransaction, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { int, int32, isDeleted, str, truncate, type SourceRow } from './values.js';

/**
 * Users, with their bcrypt hashes as they are (sign-in accepts them and rehashes). A username
 * already taken here gets a suffix; there is never a second root (see importRoot).
 */
export async function importUsers(ctx: ImportContext): Promise<void> {
  let rootSeen = false;
  await forEachBatch(ctx, 'users', async (row, transaction) => {
    ctx.report.read('users');
    const id = int(row, 'id');
    const username = str(row, 'username').trim();
    const what = `user #${id} '${username}'`;
    if (ctx.ids.get('users', id) !== undefined) {
      return ctx.report.skipped('users', ALREADY_IMPORTED, what);
    }
    if (isDeleted(row)) return ctx.report.skipped('users', 'deleted in the source', what);
    if (username === '') return ctx.report.skipped('users', 'no username', what);

    const notes: string[] = [];
    let role = int(row, 'role', Role.common);
    if (role === Role.root && !rootSeen) {
      rootSeen = true;
      const targetRoot = await ctx.target.models.User.findOne({
        where: { role: Role.root },
        transaction,
      });
      if (targetRoot && (await isUntouchedDefaultRoot(targetRoot))) {
        return adoptRoot(ctx, row, targetRoot, transaction);
      }
      if (targetRoot) {
        role = Role.admin;
        notes.push(
          `the target already has a root ('${targetRoot.username}'): imported as an admin`,
        );
      }
    } else if (role === Role.root) {
      role = Role.admin;
      notes.push('a second root in the source: imported as an admin');
    } else if (role !== Role.common && role !== Role.admin) {
      notes.push(`unknown role ${role}: imported as a common user`);
      role = Role.common;
    }

    const name = await freeUsername(ctx, username, transaction);
    if (name !== username) notes.push(`renamed '${name}' (username taken in the target)`);
    const affCode = await freeAffCode(ctx, str(row, 'aff_code'), transaction);
    if (affCode === null && str(row, 'aff_code') !== '') {
      notes.push('invitation code taken in the target: dropped');
    }
    const created = await ctx.target.models.User.create(
      { ...userFields(row, ctx.now), username: name, role, affCode },
      { transaction },
    );
    await ctx.ids.record('users', id, created.id, transaction, ctx.now);
    ctx.report.imported('users', notes.length > 0 ? `${what}: ${notes.join('; ')}` : undefined);
  });
  await linkInviters(ctx);
}

function userFields(row: SourceRow, now: number) {
  const createdTime = int(row, 'created_time', int(row, 'created_at', now));
  return {
    password: str(row, 'password'),
    displayName: truncate(str(row, 'display_name'), 64),
    email: truncate(str(row, 'email'), 128),
    status: int(row, 'status') === UserStatus.enabled ? UserStatus.enabled : UserStatus.disabled,
    quota: int(row, 'quota'),
    usedQuota: int(row, 'used_quota'),
    requestCount: int32(row, 'request_count'),
    group: truncate(str(row, 'group').trim(), 64) || 'default',
    mustChangePassword: false,
    createdTime: createdTime > 0 ? createdTime : now,
  };
}

/** The root `npm start` made (root / 123456) that nobody has signed in to yet. */
async function isUntouchedDefaultRoot(root: UserModel): Promise<boolean> {
  return (
    Boolean(root.mustChangePassword) && (await verifyPassword(DEFAULT_ROOT.password, root.password))
  );
}

/**
 * A fresh install's default root is replaced by the source's root (its name, password hash,
 * quota): the operator signs in as before. A root that is in use stays; the source's becomes
 * an admin (importUsers).
 */
async function adoptRoot(
  ctx: ImportContext,
  row: SourceRow,
  root: UserModel,
  transaction: Transaction,
): Promise<void> {
  const id = int(row, 'id');
  const username = str(row, 'username').trim();
  const name = await freeUsername(ctx, username, transaction, root.id);
  const affCode = await freeAffCode(ctx, str(row, 'aff_code'), transaction, root.id);
  await root.update(
    { ...userFields(row, ctx.now), createdTime: root.createdTime, username: name, affCode },
    { transaction },
  );
  ctx.invalidations.add(CacheKeys.user(root.id));
  await ctx.ids.record('users', id, root.id, transaction, ctx.now);
  ctx.report.imported(
    'users',
    `user #${id} '${username}' replaced the default root (root / ${DEFAULT_ROOT.password}, never signed in)` +
      (name !== username ? ` as '${name}'` : ''),
  );
}

/** The username, or with a suffix naming the source when it is taken here. */
async function freeUsername(
  ctx: ImportContext,
  username: string,
  transaction: Transaction,
  selfId?: number,
): Promise<string> {
  const base = truncate(username, 48);
  const suffix = ctx.detection.project === 'one-api' ? 'oneapi' : 'newapi';
  for (let attempt = 0; ; attempt++) {
    const candidate = attempt === 0 ? username : `${base}_${suffix}${attempt === 1 ? '' : attempt}`;
    const taken = await ctx.target.models.User.findOne({
      where: {
        username: candidate,
        ...(selfId === undefined ? {} : { id: { [Op.ne]: selfId } }),
      },
      transaction,
    });
    if (!taken) return candidate;
  }
}

/** Invitation codes are unique; One API's are 4 characters, so a clash is possible. */
async function freeAffCode(
  ctx: ImportContext,
  affCode: string,
  transaction: Transaction,
  selfId?: number,
): Promise<string | null> {
  const code = affCode.trim();
  if (code === '' || code.length > 32) return null;
  const taken = await ctx.target.models.User.findOne({
    where: { affCode: code, ...(selfId === undefined ? {} : { id: { [Op.ne]: selfId } }) },
    transaction,
  });
  return taken ? null : code;
}

/** Inviters last: an inviter may come after the user it invited. Never overwrites a link. */
async function linkInviters(ctx: ImportContext): Promise<void> {
  const rows = (await ctx.source.all('users')).filter((row) => int(row, 'inviter_id') > 0);
  if (rows.length === 0) return;
  await inTransaction(ctx, async (transaction) => {
    for (const row of rows) {
      const userId = ctx.ids.get('users', int(row, 'id'));
      const inviterId = ctx.ids.get('users', int(row, 'inviter_id'));
      if (userId === undefined || inviterId === undefined) continue;
      await ctx.target.models.User.update(
        { inviterId },
        { where: { id: userId, inviterId: null }, transaction },
      );
    }
  });
}
