// What only the console needs: checking channel settings and asking providers for balances.
// Apart from the main entry because both use zod, which the proxy has no use for and which
// would add some 3 MB of live heap (8 MB of RSS) to every proxy.
export { channelConfigSchema, listChannelTypes } from './channel-config.js';
export { fetchBalance, type BalanceOptions } from './balance.js';
