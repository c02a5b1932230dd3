import { CacheKeys } from '../cache/keys.js';
import { isOptionKey, optionValueError } from '../options/definitions.js';
import { inTransaction, type ImportContext } from './context.js';
import { ALREADY_IMPORTED } from './report.js';
import { str } from './values.js';

/**
 * Settings this gateway has under the same name (ratios, prices, site texts, registration and
 * SMTP settings), each checked as the console checks it. An option imported once is not
 * overwritten by a rerun: the operator may have changed it since.
 */
export async function importOptions(ctx: ImportContext): Promise<void> {
  const rows = await ctx.source.all('options');
  rows.sort((a, b) => str(a, 'key').localeCompare(str(b, 'key')));
  await inTransaction(ctx, async (transaction) => {
    for (const row of rows) {
      ctx.report.read('options');
      const key = str(row, 'key');
      const value = str(row, 'value');
      if (ctx.ids.get('options', key) !== undefined) {
        ctx.report.skipped('options', ALREADY_IMPORTED, key);
        continue;
      }
      if (!isOptionKey(key)) {
        ctx.report.skipped('options', 'not a setting of this gateway', key);
        continue;
      }
      const error = optionValueError(key, value);
      if (error) {
        ctx.report.skipped('options', 'invalid value', `${key} (${error})`);
        continue;
      }
      await ctx.target.models.Option.upsert({ key, value }, { transaction });
      await ctx.ids.record('options', key, 0, transaction, ctx.now);
      ctx.report.imported('options');
    }
  });
  ctx.invalidations.add(CacheKeys.options);
}
