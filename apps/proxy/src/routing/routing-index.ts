import { PriorityLevel, type LevelEntry } from './priority-level.js';

const NO_MODELS: readonly string[] = Object.freeze([]);

/** One enabled ability: this channel serves this model to this group. */
export interface AbilityRow {
  group: string;
  model: string;
  channelId: number;
  priority: number;
  weight: number;
}

export interface RoutingSnapshot<C> {
  /** Enabled abilities only; rows whose channel is missing from `channels` are ignored. */
  abilities: Iterable<AbilityRow>;
  channels: ReadonlyMap<number, C>;
}

export interface PickRequest {
  group: string;
  model: string;
  /** Channels already tried for this request. */
  exclude: ReadonlySet<number>;
  /** [0, 1); Math.random unless a test injects one. */
  random?: () => number;
}

/**
 * Channel selection for one snapshot of abilities, built once when the snapshot changes
 * (DESIGN §5): highest priority first, weighted random inside a priority.
 */
export class RoutingIndex<C> {
  private constructor(
    private readonly levels: ReadonlyMap<string, ReadonlyMap<string, readonly PriorityLevel<C>[]>>,
    private readonly models: ReadonlyMap<string, readonly string[]>,
  ) {}

  static build<C>({ abilities, channels }: RoutingSnapshot<C>): RoutingIndex<C> {
    // group → model → priority → entries
    const grouped = new Map<string, Map<string, Map<number, LevelEntry<C>[]>>>();
    for (const { group, model, channelId, priority, weight } of abilities) {
      const channel = channels.get(channelId);
      if (channel === undefined) continue;
      let byModel = grouped.get(group);
      if (!byModel) grouped.set(group, (byModel = new Map()));
      let byPriority = byModel.get(model);
      if (!byPriority) byModel.set(model, (byPriority = new Map()));
      let entries = byPriority.get(priority);
      if (!entries) byPriority.set(priority, (entries = []));
      entries.push({ channelId, channel, weight });
    }

    const levels = new Map<string, Map<string, PriorityLevel<C>[]>>();
    const models = new Map<string, readonly string[]>();
    for (const [group, byModel] of grouped) {
      const forGroup = new Map<string, PriorityLevel<C>[]>();
      for (const [model, byPriority] of byModel) {
        const sorted = [...byPriority].sort(([a], [b]) => b - a);
        forGroup.set(
          model,
          sorted.map(([, entries]) => new PriorityLevel(entries)),
        );
      }
      levels.set(group, forGroup);
      models.set(group, [...forGroup.keys()].sort());
    }
    return new RoutingIndex(levels, models);
  }

  /**
   * A channel for the group and model that is not excluded: from the highest priority that has
   * one left. Failover calls it again with the failed channels excluded.
   */
  pick({ group, model, exclude, random = Math.random }: PickRequest): C | undefined {
    const levels = this.levels.get(group)?.get(model);
    if (!levels) return undefined;
    for (const level of levels) {
      const channel = level.pick(exclude, random);
      if (channel !== undefined) return channel;
    }
    return undefined;
  }

  /** This channel when it serves the model to the group (whatever its priority), else undefined. */
  find(group: string, model: string, channelId: number): C | undefined {
    for (const level of this.levels.get(group)?.get(model) ?? []) {
      const channel = level.find(channelId);
      if (channel !== undefined) return channel;
    }
    return undefined;
  }

  /** The models the group can use, sorted (GET /v1/models). */
  modelsFor(group: string): readonly string[] {
    return this.models.get(group) ?? NO_MODELS;
  }

  hasModel(group: string, model: string): boolean {
    return this.levels.get(group)?.has(model) ?? false;
  }
}
