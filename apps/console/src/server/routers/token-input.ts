import { z } from 'zod';
import { plainText } from './plain-text.js';
import { isCidr } from '../cidr.js';

/** Unix seconds up to 9999-12-31, so a millisecond timestamp is refused, not taken as year 50000. */
const MAX_UNIX_SECONDS = 253_402_300_799;

export const tokenName = plainText(z.string().trim().min(1).max(64));

/** A per-key limit (DESIGN §5b): a whole number, 0 = none; the column is a 32-bit integer. */
export const requestLimit = z.number().int().min(0).max(1_000_000_000);

export const REQUEST_LIMIT_FIELDS = ['rpmLimit', 'tpmLimit', 'concurrencyLimit'] as const;

/** The per-key limits a token (or, as defaults, a user) is created or updated with. */
export const requestLimitSettings = {
  rpmLimit: requestLimit.optional(),
  tpmLimit: requestLimit.optional(),
  concurrencyLimit: requestLimit.optional(),
};

/** The fields a token is created or updated with (DESIGN §7); all optional, as in an update. */
export const tokenSettings = {
  name: tokenName.optional(),
  remainQuota: z.number().int().min(0).optional(),
  unlimitedQuota: z.boolean().optional(),
  expiredTime: z
    .number()
    .int()
    .refine((t) => t === -1 || (t >= 0 && t <= MAX_UNIX_SECONDS), {
      message: 'expected -1 (never) or a time in unix seconds',
    })
    .optional(),
  expiryMode: z.enum(['fixed', 'first_use']).optional(),
  // 0 is accepted so a client can send every field; first_use needs more (checked on the merge).
  durationSeconds: z.number().int().min(0).max(MAX_UNIX_SECONDS).optional(),
  models: z
    .array(
      plainText(z.string().trim().min(1).max(128))
        // Stored comma-separated.
        .refine((model) => !model.includes(','), { message: 'must not contain a comma' }),
    )
    .max(1000)
    .optional(),
  subnets: z
    .array(
      z.string().trim().refine(isCidr, {
        message: 'expected an IP address or CIDR range such as 10.0.0.0/8 or 2001:db8::/32',
      }),
    )
    .max(1000)
    .optional(),
  group: plainText(z.string().trim().max(64)).optional(),
  ...requestLimitSettings,
};
