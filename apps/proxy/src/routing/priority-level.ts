/**
 * The channels of one priority for one group × model, and the weighted draw among them.
 * Weight-0 channels are a last resort: drawn only when no weighted channel is left.
 */
export interface LevelEntry<C> {
  channelId: number;
  channel: C;
  weight: number;
}

// Among weight-0 channels (only ever drawn together), each has the same chance.
const drawWeight = (entry: LevelEntry<unknown>): number => (entry.weight > 0 ? entry.weight : 1);

export class PriorityLevel<C> {
  private readonly weighted: LevelEntry<C>[];
  private readonly unweighted: LevelEntry<C>[];
  /** Running totals of `weighted`, for a binary search when nothing is excluded. */
  private readonly cumulative: number[];
  private readonly totalWeight: number;

  constructor(entries: readonly LevelEntry<C>[]) {
    this.weighted = entries.filter((entry) => entry.weight > 0);
    this.unweighted = entries.filter((entry) => !(entry.weight > 0));
    let total = 0;
    this.cumulative = this.weighted.map((entry) => (total += entry.weight));
    this.totalWeight = total;
  }

  /** The channel with this id, when it is of this level. */
  find(channelId: number): C | undefined {
    const found = (entry: LevelEntry<C>) => entry.channelId === channelId;
    return (this.weighted.find(found) ?? this.unweighted.find(found))?.channel;
  }

  /** A channel not in `exclude`, or undefined when this level has none left. */
  pick(exclude: ReadonlySet<number>, random: () => number): C | undefined {
    if (exclude.size === 0 && this.weighted.length > 0) return this.drawAll(random());
    return (
      this.drawRemaining(this.weighted, exclude, random) ??
      this.drawRemaining(this.unweighted, exclude, random)
    );
  }

  private drawAll(r: number): C | undefined {
    const target = r * this.totalWeight;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! > target) high = mid;
      else low = mid + 1;
    }
    return this.weighted[low]?.channel;
  }

  /** By weight among the entries left; uniform when all weights are 0. */
  private drawRemaining(
    entries: readonly LevelEntry<C>[],
    exclude: ReadonlySet<number>,
    random: () => number,
  ): C | undefined {
    let total = 0;
    let last: LevelEntry<C> | undefined;
    for (const entry of entries) {
      if (exclude.has(entry.channelId)) continue;
      total += drawWeight(entry);
      last = entry;
    }
    if (!last) return undefined;
    let target = random() * total;
    for (const entry of entries) {
      if (exclude.has(entry.channelId)) continue;
      target -= drawWeight(entry);
      if (target < 0) return entry.channel;
    }
    // Only reached when random() returned 1 or more.
    return last.channel;
  }
}
