import { describe, expect, it } from 'vitest';
import { RoutingIndex, type AbilityRow } from './routing-index.js';

interface TestChannel {
  id: number;
}

const NONE: ReadonlySet<number> = new Set();

function indexOf(rows: Partial<AbilityRow>[]): RoutingIndex<TestChannel> {
  const abilities = rows.map((row) => ({
    group: 'default',
    model: 'gpt-4o',
    channelId: 1,
    priority: 0,
    weight: 1,
    ...row,
  }));
  const channels = new Map(abilities.map((row) => [row.channelId, { id: row.channelId }]));
  return RoutingIndex.build({ abilities, channels });
}

const pickId = (
  index: RoutingIndex<TestChannel>,
  random: number,
  exclude: ReadonlySet<number> = NONE,
  group = 'default',
  model = 'gpt-4o',
) => index.pick({ group, model, exclude, random: () => random })?.id;

/** Every channel `pick` returns when failover excludes each one in turn. */
function failoverOrder(index: RoutingIndex<TestChannel>, random = 0): number[] {
  const tried = new Set<number>();
  for (;;) {
    const id = pickId(index, random, tried);
    if (id === undefined) return [...tried];
    expect(tried.has(id)).toBe(false);
    tried.add(id);
  }
}

/**
 * How often each channel is picked for `steps` random values evenly spread over [0, 1), each in
 * the middle of its step so no value sits on a weight boundary.
 */
function sweep(
  index: RoutingIndex<TestChannel>,
  exclude: ReadonlySet<number> = NONE,
  steps = 1000,
) {
  const counts = new Map<number | undefined, number>();
  for (let i = 0; i < steps; i++) {
    const id = pickId(index, (i + 0.5) / steps, exclude);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

describe('RoutingIndex.pick', () => {
  it('picks from the highest priority, whatever the row order', () => {
    const index = indexOf([
      { channelId: 1, priority: 0 },
      { channelId: 2, priority: 10 },
      { channelId: 3, priority: -5 },
      { channelId: 4, priority: 5 },
    ]);
    for (const random of [0, 0.5, 0.999]) expect(pickId(index, random)).toBe(2);
  });

  it('draws by weight inside a priority', () => {
    const index = indexOf([
      { channelId: 1, weight: 3 },
      { channelId: 2, weight: 1 },
    ]);
    expect(pickId(index, 0)).toBe(1);
    expect(pickId(index, 0.74)).toBe(1);
    expect(pickId(index, 0.75)).toBe(2);
    expect(pickId(index, 0.999)).toBe(2);
    expect(sweep(index)).toEqual({ 1: 750, 2: 250 });
  });

  it('draws by weight among the channels left when some are excluded', () => {
    const index = indexOf([
      { channelId: 1, weight: 1 },
      { channelId: 2, weight: 2 },
      { channelId: 3, weight: 1 },
    ]);
    expect(sweep(index)).toEqual({ 1: 250, 2: 500, 3: 250 });
    expect(sweep(index, new Set([2]))).toEqual({ 1: 500, 3: 500 });
    // An exclusion from elsewhere leaves the draw unchanged.
    expect(sweep(index, new Set([99]))).toEqual({ 1: 250, 2: 500, 3: 250 });
  });

  it('uses weight-0 channels only when no weighted channel of the priority is left', () => {
    const index = indexOf([
      { channelId: 1, weight: 0 },
      { channelId: 2, weight: 5 },
      { channelId: 3, weight: 0 },
      { channelId: 4, weight: 1, priority: -1 },
    ]);
    expect(sweep(index)).toEqual({ 2: 1000 });
    // Then the weight-0 channels share the load, before any lower priority.
    expect(sweep(index, new Set([2]))).toEqual({ 1: 500, 3: 500 });
    expect(sweep(index, new Set([1, 2, 3]))).toEqual({ 4: 1000 });
  });

  it('picks a priority made only of weight-0 channels', () => {
    const index = indexOf([
      { channelId: 1, weight: 0, priority: 1 },
      { channelId: 2, weight: 10, priority: 0 },
    ]);
    expect(pickId(index, 0.5)).toBe(1);
  });

  it('walks down the priorities as failover excludes channels, then gives up', () => {
    const index = indexOf([
      { channelId: 1, priority: 10, weight: 1 },
      { channelId: 2, priority: 10, weight: 1 },
      { channelId: 3, priority: 5, weight: 0 },
      { channelId: 4, priority: 0, weight: 1 },
    ]);
    expect(failoverOrder(index, 0)).toEqual([1, 2, 3, 4]);
    expect(failoverOrder(index, 0.9)).toEqual([2, 1, 3, 4]);
    expect(pickId(index, 0, new Set([1, 2, 3, 4]))).toBeUndefined();
  });

  it('finds nothing for an unknown group or model', () => {
    const index = indexOf([{ channelId: 1, group: 'vip', model: 'o3' }]);
    expect(pickId(index, 0, NONE, 'vip', 'o3')).toBe(1);
    expect(pickId(index, 0, NONE, 'default', 'o3')).toBeUndefined();
    expect(pickId(index, 0, NONE, 'vip', 'gpt-4o')).toBeUndefined();
  });

  it('keeps groups and models apart', () => {
    const index = indexOf([
      { channelId: 1, group: 'default', model: 'gpt-4o' },
      { channelId: 2, group: 'vip', model: 'gpt-4o', priority: 9 },
      { channelId: 3, group: 'default', model: 'o3', priority: 9 },
    ]);
    expect(pickId(index, 0, NONE, 'default', 'gpt-4o')).toBe(1);
    expect(pickId(index, 0, NONE, 'vip', 'gpt-4o')).toBe(2);
    expect(pickId(index, 0, NONE, 'default', 'o3')).toBe(3);
  });

  it('ignores abilities whose channel is not in the snapshot', () => {
    const index = RoutingIndex.build({
      abilities: [
        { group: 'default', model: 'gpt-4o', channelId: 1, priority: 9, weight: 1 },
        { group: 'default', model: 'gpt-4o', channelId: 2, priority: 0, weight: 1 },
      ],
      channels: new Map([[2, { id: 2 }]]),
    });
    expect(pickId(index, 0)).toBe(2);
  });

  it('uses Math.random when no random is given', () => {
    const index = indexOf([{ channelId: 1 }, { channelId: 2 }]);
    expect([1, 2]).toContain(index.pick({ group: 'default', model: 'gpt-4o', exclude: NONE })?.id);
  });

  it('spreads over many channels by weight and fails over through all of them', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      channelId: i + 1,
      priority: i % 4,
      weight: i % 3,
    }));
    const index = indexOf(rows);
    // Priority 3 holds 250 channels: 84 of weight 0, 83 of weight 1, 83 of weight 2.
    const top = rows.filter((row) => row.priority === 3);
    const total = top.reduce((sum, row) => sum + row.weight, 0);
    expect(total).toBe(249);
    const counts = sweep(index, NONE, total * 4);
    for (const row of top) expect(counts[row.channelId] ?? 0).toBe(row.weight * 4);

    // Each priority in turn, its weighted channels before its weight-0 ones.
    const order = failoverOrder(index, 0.5);
    expect(new Set(order).size).toBe(1000);
    const rank = (id: number) => rows[id - 1]!.priority * 2 + (rows[id - 1]!.weight > 0 ? 1 : 0);
    const ranks = order.map(rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });
});

describe('RoutingIndex.find', () => {
  const index = indexOf([
    { channelId: 1, priority: 10 },
    { channelId: 2, priority: 0, weight: 0 },
    { channelId: 3, group: 'vip' },
    { channelId: 4, model: 'o3' },
  ]);

  it('finds a channel that serves the model to the group, at any priority or weight', () => {
    expect(index.find('default', 'gpt-4o', 1)?.id).toBe(1);
    expect(index.find('default', 'gpt-4o', 2)?.id).toBe(2);
  });

  it('never finds one of another group or model, or one that is gone', () => {
    expect(index.find('default', 'gpt-4o', 3)).toBeUndefined();
    expect(index.find('default', 'gpt-4o', 4)).toBeUndefined();
    expect(index.find('default', 'gpt-4o', 99)).toBeUndefined();
  });
});

describe('RoutingIndex.modelsFor / hasModel', () => {
  const index = indexOf([
    { channelId: 1, model: 'o3' },
    { channelId: 2, model: 'gpt-4o' },
    { channelId: 3, model: 'gpt-4o', priority: 1 },
    { channelId: 4, model: 'claude-sonnet-4', group: 'vip' },
  ]);

  it('lists each model a group can use once, sorted', () => {
    expect(index.modelsFor('default')).toEqual(['gpt-4o', 'o3']);
    expect(index.modelsFor('vip')).toEqual(['claude-sonnet-4']);
    expect(index.modelsFor('nobody')).toEqual([]);
  });

  it('knows which models a group has', () => {
    expect(index.hasModel('default', 'o3')).toBe(true);
    expect(index.hasModel('default', 'claude-sonnet-4')).toBe(false);
    expect(index.hasModel('nobody', 'o3')).toBe(false);
  });
});
