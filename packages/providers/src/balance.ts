import { z } from 'zod';
import type { UpstreamChannel } from './channel.js';
import { BalanceNotSupportedError, UpstreamError } from './errors.js';
import { callUpstream } from './http.js';
import { isChannelType, type ChannelType } from './registry.js';
import { scrubSecret } from './scrub.js';
import { upstreamErrorMessage } from './upstream-error.js';
import { buildUpstreamRequest } from './upstream-request.js';

export interface BalanceOptions {
  timeoutMs?: number;
  /** The clock for OpenAI's usage window. */
  now?: Date;
}

type GetJson = (path: string) => Promise<unknown>;
type BalanceReader = (get: GetJson, now: Date) => Promise<number>;

const openaiSubscription = z.object({
  hard_limit_usd: z.number(),
  has_payment_method: z.boolean().optional(),
});
const openaiUsage = z.object({ total_usage: z.number() });
const deepseekBalance = z.object({
  balance_infos: z.array(z.object({ currency: z.string(), total_balance: z.coerce.number() })),
});
const openrouterCredits = z.object({
  data: z.object({ total_credits: z.number(), total_usage: z.number() }),
});
const siliconflowInfo = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
  data: z.object({ totalBalance: z.coerce.number() }).optional(),
});

/** Per provider, where its balance is and how to read it in USD (One API's behaviour). */
const readers: Partial<Record<ChannelType, BalanceReader>> = {
  async openai(get, now) {
    const subscription = openaiSubscription.parse(await get('/v1/dashboard/billing/subscription'));
    // Without a payment method (prepaid grants) One API looks back 100 days, else this month.
    const start = subscription.has_payment_method
      ? new Date(now.getFullYear(), now.getMonth(), 1)
      : new Date(now.getFullYear(), now.getMonth(), now.getDate() - 100);
    const usage = openaiUsage.parse(
      await get(`/v1/dashboard/billing/usage?start_date=${day(start)}&end_date=${day(now)}`),
    );
    // total_usage is in cents.
    return subscription.hard_limit_usd - usage.total_usage / 100;
  },

  async deepseek(get) {
    const { balance_infos: infos } = deepseekBalance.parse(await get('/user/balance'));
    const info = infos.find((entry) => entry.currency === 'USD') ?? infos[0];
    if (!info) throw new UpstreamError('deepseek reported no balance');
    return info.total_balance;
  },

  async openrouter(get) {
    const { data } = openrouterCredits.parse(await get('/v1/credits'));
    return data.total_credits - data.total_usage;
  },

  async siliconflow(get) {
    const info = siliconflowInfo.parse(await get('/v1/user/info'));
    if ((info.code !== undefined && info.code !== 20000) || !info.data) {
      throw new UpstreamError(`siliconflow answered code ${info.code}: ${info.message ?? ''}`);
    }
    return info.data.totalBalance;
  },
};

/** The channel's remaining balance in USD; BalanceNotSupportedError where there is no endpoint. */
export async function fetchBalance(
  channel: UpstreamChannel,
  { timeoutMs = 30_000, now = new Date() }: BalanceOptions = {},
): Promise<number> {
  const reader = isChannelType(channel.type) ? readers[channel.type] : undefined;
  if (!reader) throw new BalanceNotSupportedError(channel.type);

  const get: GetJson = async (path) => {
    const { url, headers } = buildUpstreamRequest({ channel, path });
    const reply = await callUpstream({ method: 'GET', url, headers, timeoutMs });
    if (reply.status < 200 || reply.status >= 300) {
      throw new UpstreamError(upstreamErrorMessage(reply.status, reply.text), reply.status);
    }
    try {
      return JSON.parse(reply.text) as unknown;
    } catch {
      throw new UpstreamError(`upstream answered ${reply.status} with a body that is not JSON`);
    }
  };

  try {
    const balance = await reader(get, now);
    if (!Number.isFinite(balance)) throw new UpstreamError('upstream reported no usable balance');
    return balance;
  } catch (error) {
    throw new UpstreamError(
      scrubSecret(describe(channel.type, error), channel.key),
      statusOf(error),
    );
  }
}

function describe(type: string, error: unknown): string {
  if (error instanceof z.ZodError) return `unexpected balance response from ${type}`;
  return error instanceof Error ? error.message : String(error);
}

function statusOf(error: unknown): number | undefined {
  return error instanceof UpstreamError ? error.status : undefined;
}

/** YYYY-MM-DD in local time, as the usage endpoint takes it. */
function day(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
