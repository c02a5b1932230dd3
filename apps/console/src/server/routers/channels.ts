import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { plainText } from './plain-text.js';
import { ChannelStatus, Role } from '@chat-api/db';
import {
  BalanceNotSupportedError,
  UpstreamError,
  channelTypeNames,
  findChannelType,
  testChannel,
} from '@chat-api/providers';
import { channelConfigSchema, fetchBalance, listChannelTypes } from '@chat-api/providers/admin';
import { channelJobsStatus } from '../jobs/job-status.js';
import { adminProcedure, router } from '../trpc.js';
import { UPSTREAM_TIMEOUT_MS } from '../upstream-timeout.js';

const id = z.number().int().positive();

/** Stored comma-separated (One API's layout), so a name cannot hold a comma. */
const listName = (max: number) =>
  plainText(z.string().trim().min(1).max(max)).refine(
    (value) => !value.includes(','),
    'cannot contain a comma',
  );

const unique = (values: string[]) => [...new Set(values)];

/** JSON with keys sorted, so two equal configs compare equal whatever order their keys came in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash;
}

/** The provider's origin as in One API: '' for the type's default, never a trailing /v1. */
const baseUrl = z
  .string()
  .trim()
  .max(255)
  .refine((value) => value === '' || isHttpUrl(value), 'must be an http(s) URL')
  .refine((value) => !/\/v1\/*$/.test(value), 'leave out the trailing /v1')
  .transform((value) => value.replace(/\/+$/, ''));

/** One key per line creates one channel per key. */
const keys = z
  .string()
  .transform((value) =>
    value
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(z.array(plainText(z.string())).min(1, 'enter the upstream key'));

const oneKey = plainText(
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => !/[\r\n]/.test(value), 'one key per channel when updating'),
);

const settings = {
  name: plainText(z.string().trim().min(1).max(128)),
  type: z.enum(channelTypeNames),
  baseUrl: baseUrl.optional(),
  models: z.array(listName(128)).min(1).transform(unique),
  groups: z.array(listName(64)).min(1).transform(unique).optional(),
  modelMapping: z
    .record(plainText(z.string().trim().min(1)), plainText(z.string().trim().min(1)))
    .optional(),
  priority: z.number().int().optional(),
  weight: z.number().int().min(0).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
};

const createInput = z.object({ ...settings, key: keys });

const updateInput = z.object({
  id,
  ...z.object(settings).partial().shape,
  key: oneKey.optional(),
  /** By hand: enabled or disabled (auto-disabled is the proxy's to set). */
  status: z.literal([ChannelStatus.enabled, ChannelStatus.manuallyDisabled]).optional(),
});

const listInput = z
  .object({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(100).default(20),
    keyword: plainText(z.string().trim().max(128)).optional(),
    type: plainText(z.string().trim().min(1).max(32)).optional(),
    status: z
      .literal([ChannelStatus.enabled, ChannelStatus.manuallyDisabled, ChannelStatus.autoDisabled])
      .optional(),
  })
  .prefault({});

/**
 * The type's own rules, checked on the channel as it will be stored (on update: merged with the
 * stored one): a base URL where the type has no default, and its config. Returns the config.
 */
function checkTypeRules(channel: {
  type: string;
  baseUrl: string;
  config: Record<string, unknown>;
}): Record<string, unknown> {
  const spec = findChannelType(channel.type);
  if (!spec) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `type: ${channel.type} is not a known channel type`,
    });
  }
  const rules = z.object({
    baseUrl: spec.baseUrlRequired
      ? z.string().min(1, `required for ${spec.type} channels`)
      : z.string(),
    config: channelConfigSchema(spec.type),
  });
  const checked = rules.safeParse({ baseUrl: channel.baseUrl, config: channel.config });
  // The error formatter turns a ZodError cause into "field: message".
  if (!checked.success) throw new TRPCError({ code: 'BAD_REQUEST', cause: checked.error });
  return checked.data.config;
}

/** GroupRatio's names that can be a channel's group; option.update keeps it a JSON map. */
function groupRatioNames(json: string): string[] {
  try {
    return Object.keys(JSON.parse(json) as Record<string, unknown>).filter(
      (name) => name.trim() !== '' && !name.includes(','),
    );
  } catch {
    return [];
  }
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'No such channel.' });

function found<T>(value: T | null): T {
  if (value === null) throw notFound();
  return value;
}

/** Channels (upstream providers): admins only; responses carry a key hint, never the key. */
export const channelRouter = router({
  types: adminProcedure.query(() => listChannelTypes()),

  /** Group names for the forms' pickers: GroupRatio's (root-only to read) and the channels'. */
  groups: adminProcedure.query(async ({ ctx }) => {
    const options = await ctx.db.repos.options.effective();
    const names = new Set(['default', ...groupRatioNames(options.GroupRatio)]);
    for (const channel of await ctx.db.repos.channels.list()) {
      for (const group of channel.groups) names.add(group);
    }
    return [...names].sort();
  }),

  list: adminProcedure
    .input(listInput)
    .query(({ ctx, input }) => ctx.db.repos.channels.listPage(input)),

  get: adminProcedure
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => found(await ctx.db.repos.channels.get(input.id))),

  create: adminProcedure.input(createInput).mutation(async ({ ctx, input }) => {
    const { key, ...channel } = input;
    const config = checkTypeRules({
      type: channel.type,
      baseUrl: channel.baseUrl ?? '',
      config: channel.config ?? {},
    });
    const created = await ctx.db.repos.channels.createMany(
      key.map((one) => ({ ...channel, config, key: one })),
    );
    const ids = created.map((row) => row.id);
    return { id: ids[0]!, ids };
  }),

  update: adminProcedure.input(updateInput).mutation(async ({ ctx, input }) => {
    const { id: channelId, ...patch } = input;
    const stored = found(await ctx.db.repos.channels.get(channelId));
    const config = checkTypeRules({
      type: patch.type ?? stored.type,
      baseUrl: patch.baseUrl ?? stored.baseUrl,
      config: patch.config ?? stored.config,
    });
    // The stored key goes wherever the channel points: pointing it elsewhere (and pressing Test)
    // would hand another administrator's key to any server. Root, or the key re-entered, only.
    const moved =
      (patch.baseUrl !== undefined && patch.baseUrl !== stored.baseUrl) ||
      (patch.type !== undefined && patch.type !== stored.type) ||
      (patch.config !== undefined && canonical(config) !== canonical(stored.config));
    if (moved && patch.key === undefined && ctx.user.role !== Role.root) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: "key: enter the channel's key again to change where it sends requests.",
      });
    }
    return found(await ctx.db.repos.channels.update(channelId, { ...patch, config }));
  }),

  delete: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    if (!(await ctx.db.repos.channels.delete(input.id))) throw notFound();
    return { ok: true };
  }),

  /** A one-token chat completion; a pass re-enables an auto-disabled channel (never a manual one). */
  test: adminProcedure
    .input(z.object({ id, model: plainText(z.string().trim().min(1).max(128)).optional() }))
    .mutation(async ({ ctx, input }) => {
      const channel = found(await ctx.db.repos.channels.getWithKey(input.id));
      const model = input.model ?? channel.models[0];
      if (!model) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'model: name a model to test' });
      }
      const result = await testChannel({ channel, model, timeoutMs: UPSTREAM_TIMEOUT_MS });
      await ctx.db.repos.channels.recordTest(channel.id, {
        responseTimeMs: result.latencyMs,
        passed: result.ok,
      });
      return result;
    }),

  updateBalance: adminProcedure.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    const channel = found(await ctx.db.repos.channels.getWithKey(input.id));
    let balance: number;
    try {
      balance = await fetchBalance(channel, { timeoutMs: UPSTREAM_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof BalanceNotSupportedError) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: error.message });
      }
      // Already free of the key (fetchBalance scrubs it).
      if (error instanceof UpstreamError) {
        throw new TRPCError({ code: 'BAD_GATEWAY', message: error.message });
      }
      throw error;
    }
    await ctx.db.repos.channels.setBalance(channel.id, balance);
    return { balance };
  }),

  /** The master's scheduled tests and balance updates: the last run of each and the next. */
  jobs: adminProcedure.query(({ ctx }) => channelJobsStatus(ctx.db.repos.jobLeases)),
});
