import { CacheKeys, type ChannelWithKey, type Database } from '@chat-api/db';
import { RoutingIndex } from '../routing/routing-index.js';

export interface Routing {
  index: RoutingIndex<ChannelWithKey>;
  /** Enabled channels by id, for keys pinned to a channel (sk-KEY-<id>). */
  channels: ReadonlyMap<number, ChannelWithKey>;
}

/** The routing index of the enabled channels, rebuilt only when a channel changes. */
export function loadRouting(db: Database): Promise<Routing> {
  return db.cache.getOrLoad(
    CacheKeys.channels,
    async () => {
      const snapshot = await db.repos.channels.routingSnapshot();
      const channels = new Map(snapshot.channels.map((channel) => [channel.id, channel]));
      return { index: RoutingIndex.build({ abilities: snapshot.abilities, channels }), channels };
    },
    // Holds upstream keys and is not plain JSON: never leaves the process.
    { localOnly: true },
  );
}
