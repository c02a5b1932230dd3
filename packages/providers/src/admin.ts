// What only the console needs: checking channel settings and asking providers for balances.
// Apart from the main entry because both use zod, which the proxy has no use for and which
// would add some 6 MB to every proxy's heap.
export { channelConfigSchema, listChannelTypes } from './channel-config.js';
export { fetchBalance, type BalanceOptions } from './balance.js';
