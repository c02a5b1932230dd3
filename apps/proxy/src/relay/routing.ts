import { CacheKeys, type ChannelWithKey, type Database } from '@chat-api/db';
import {
  adapterFor,
  RequestNotSupportedError,
  UnknownChannelTypeError,
  type ProviderAdapter,
} from '@chat-api/providers';
import { RoutingIndex } from '../routing/routing-index.js';

/** An enabled channel the gateway can call, with the adapter that speaks its wire format. */
export interface Callable {
  channel: ChannelWithKey;
  adapter: ProviderAdapter;
}

export interface Routing {
  index: RoutingIndex<Callable>;
  /** Callable channels by id, for keys pinned to a channel (sk-KEY-<id>). */
  channels: ReadonlyMap<number, Callable>;
}

/**
 * The routing index of the enabled channels, rebuilt only when a channel changes. Channels of a
 * type this build cannot call are stored but never offered: picked, they could only fail, and
 * would use up a request's retries before a working channel is tried.
 */
export function loadRouting(db: Database): Promise<Routing> {
  return db.cache.getOrLoad(
    CacheKeys.channels,
    async () => {
      const snapshot = await db.repos.channels.routingSnapshot();
      const channels = new Map<number, Callable>();
      for (const channel of snapshot.channels) {
        const adapter = adapterOrNothing(channel.type);
        if (adapter) channels.set(channel.id, { channel, adapter });
      }
      return { index: RoutingIndex.build({ abilities: snapshot.abilities, channels }), channels };
    },
    // Holds upstream keys and is not plain JSON: never leaves the process.
    { localOnly: true },
  );
}

function adapterOrNothing(type: string): ProviderAdapter | undefined {
  try {
    return adapterFor(type);
  } catch (error) {
    // A type this build does not know (a row written by a newer node, or imported).
    if (error instanceof RequestNotSupportedError || error instanceof UnknownChannelTypeError) {
      return undefined;
    }
    throw error;
  }
}
