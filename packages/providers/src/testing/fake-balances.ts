export interface FakeBalances {
  openai: { hardLimitUsd: number; totalUsageCents: number; hasPaymentMethod: boolean };
  deepseek: { currency: string; totalBalance: string }[];
  openrouter: { totalCredits: number; totalUsage: number };
  siliconflow: { totalBalance: string };
}

export const defaultBalances = (): FakeBalances => ({
  openai: { hardLimitUsd: 120, totalUsageCents: 2050, hasPaymentMethod: true },
  deepseek: [
    { currency: 'CNY', totalBalance: '110.00' },
    { currency: 'USD', totalBalance: '15.50' },
  ],
  openrouter: { totalCredits: 50, totalUsage: 12.25 },
  siliconflow: { totalBalance: '88.80' },
});

/** The answer of a provider's balance endpoint at this path, if it is one. */
export function balanceAnswer(path: string, balances: FakeBalances): object | undefined {
  const { openai, deepseek, openrouter, siliconflow } = balances;
  if (path.endsWith('/dashboard/billing/subscription')) {
    return {
      object: 'billing_subscription',
      has_payment_method: openai.hasPaymentMethod,
      hard_limit_usd: openai.hardLimitUsd,
      soft_limit_usd: openai.hardLimitUsd,
      system_hard_limit_usd: openai.hardLimitUsd,
      access_until: 0,
    };
  }
  if (path.endsWith('/dashboard/billing/usage')) {
    return { object: 'list', total_usage: openai.totalUsageCents };
  }
  if (path.endsWith('/user/balance')) {
    return {
      is_available: true,
      balance_infos: deepseek.map((info) => ({
        currency: info.currency,
        total_balance: info.totalBalance,
        granted_balance: '0.00',
        topped_up_balance: info.totalBalance,
      })),
    };
  }
  if (path.endsWith('/credits')) {
    return {
      data: { total_credits: openrouter.totalCredits, total_usage: openrouter.totalUsage },
    };
  }
  if (path.endsWith('/user/info')) {
    const { totalBalance } = siliconflow;
    return {
      code: 20000,
      message: 'OK',
      status: true,
      data: { id: 'fake', name: 'fake', balance: totalBalance, totalBalance, status: 'normal' },
    };
  }
  return undefined;
}
