import { fromDateInput, toDateTimeInput } from '../../lib/format.ts';
import type { api } from '../../lib/trpc.ts';
import { isIpOrCidr, splitList } from '../../lib/validate.ts';

export type Token = Awaited<ReturnType<typeof api.token.list.query>>['items'][number];
export type TokenSettings = Omit<Parameters<typeof api.token.create.mutate>[0], 'name'>;

/** The key form's fields, as typed. */
export interface KeyForm {
  name: string;
  unlimited: boolean;
  quota: string;
  expiry: 'never' | 'fixed' | 'first_use';
  expiresAt: string;
  duration: string;
  durationUnit: 'hours' | 'days';
  models: string;
  subnets: string;
  group: string;
  rpmLimit: string;
  tpmLimit: string;
  concurrencyLimit: string;
}

/** The per-key limits (0 = none of the key's own: the account's applies). */
export const LIMIT_FIELDS = ['rpmLimit', 'tpmLimit', 'concurrencyLimit'] as const;
const MAX_LIMIT = 1_000_000_000;

export type Problem =
  | { code: 'required' | 'quota' | 'date' | 'past' | 'duration' | 'limit' }
  | { code: 'tooLong'; max: number }
  | { code: 'subnet' | 'model'; entry: string };

export type Problems = Partial<Record<keyof KeyForm, Problem>>;

const UNIT_SECONDS = { hours: 3600, days: 86_400 } as const;

export function emptyForm(): KeyForm {
  return {
    name: '',
    unlimited: true,
    quota: '500000',
    expiry: 'never',
    expiresAt: '',
    duration: '30',
    durationUnit: 'days',
    models: '',
    subnets: '',
    group: '',
    rpmLimit: '0',
    tpmLimit: '0',
    concurrencyLimit: '0',
  };
}

/** A token's settings as the form shows them. */
export function formOf(token: Token): KeyForm {
  const byDays = token.durationSeconds > 0 && token.durationSeconds % 86_400 === 0;
  const expiry =
    token.expiryMode === 'first_use' ? 'first_use' : token.expiredTime === -1 ? 'never' : 'fixed';
  return {
    name: token.name,
    unlimited: token.unlimitedQuota,
    quota: String(token.remainQuota),
    expiry,
    expiresAt: expiry === 'fixed' ? toDateTimeInput(token.expiredTime) : '',
    duration:
      token.durationSeconds > 0
        ? String(token.durationSeconds / UNIT_SECONDS[byDays ? 'days' : 'hours'])
        : '30',
    durationUnit: byDays || token.durationSeconds === 0 ? 'days' : 'hours',
    models: token.models.join('\n'),
    subnets: token.subnets.join('\n'),
    group: token.group,
    rpmLimit: String(token.rpmLimit),
    tpmLimit: String(token.tpmLimit),
    concurrencyLimit: String(token.concurrencyLimit),
  };
}

/**
 * What is wrong with the form, field by field. A fixed expiry must lie ahead, unless it is the
 * one the key already had (`previousExpiresAt`), so an expired key can still be renamed.
 */
export function validate(form: KeyForm, previousExpiresAt = ''): Problems {
  const problems: Problems = {};
  const name = form.name.trim();
  if (!name) problems.name = { code: 'required' };
  else if (name.length > 64) problems.name = { code: 'tooLong', max: 64 };
  if (!form.unlimited && !/^\d+$/.test(form.quota.trim())) problems.quota = { code: 'quota' };
  if (form.expiry === 'fixed') {
    const at = fromDateInput(form.expiresAt);
    if (Number.isNaN(at)) problems.expiresAt = { code: 'date' };
    else if (form.expiresAt !== previousExpiresAt && at * 1000 <= Date.now()) {
      problems.expiresAt = { code: 'past' };
    }
  }
  if (form.expiry === 'first_use') {
    const seconds = Number(form.duration) * UNIT_SECONDS[form.durationUnit];
    if (!(seconds >= 1) || !Number.isFinite(seconds)) problems.duration = { code: 'duration' };
  }
  const badModel = splitList(form.models).find((model) => model.length > 128);
  if (badModel) problems.models = { code: 'model', entry: badModel };
  const badSubnet = splitList(form.subnets).find((subnet) => !isIpOrCidr(subnet));
  if (badSubnet) problems.subnets = { code: 'subnet', entry: badSubnet };
  if (form.group.trim().length > 64) problems.group = { code: 'tooLong', max: 64 };
  for (const field of LIMIT_FIELDS) {
    const value = form[field].trim();
    if (!/^\d+$/.test(value) || Number(value) > MAX_LIMIT) problems[field] = { code: 'limit' };
  }
  return problems;
}

/**
 * token.create / token.update settings from a valid form. The group is sent only by those who
 * may choose one (administrators); others' keys follow their account's group.
 */
export function settingsOf(form: KeyForm, options: { withGroup: boolean }): TokenSettings {
  const seconds = Math.round(Number(form.duration) * UNIT_SECONDS[form.durationUnit]);
  return {
    ...(form.unlimited
      ? { unlimitedQuota: true }
      : { unlimitedQuota: false, remainQuota: Number(form.quota.trim()) }),
    expiryMode: form.expiry === 'first_use' ? 'first_use' : 'fixed',
    expiredTime: form.expiry === 'fixed' ? fromDateInput(form.expiresAt) : -1,
    durationSeconds: form.expiry === 'first_use' ? seconds : 0,
    models: splitList(form.models),
    subnets: splitList(form.subnets),
    rpmLimit: Number(form.rpmLimit.trim()),
    tpmLimit: Number(form.tpmLimit.trim()),
    concurrencyLimit: Number(form.concurrencyLimit.trim()),
    ...(options.withGroup ? { group: form.group.trim() } : {}),
  };
}
