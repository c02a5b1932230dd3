import {
  Counter,
  Histogram,
  type LabelValues,
  type MetricObjectWithValues,
  type MetricType,
  type MetricValue,
  type MetricValueWithName,
  type Registry,
} from 'prom-client';

/*
 * Series the relay updates on every request. prom-client finds a label set by building a string
 * of its labels on each increment (~1 µs a request for the relay's three series); here the
 * caller finds its cell once through its own maps and then only adds to numbers. prom-client
 * still names, registers and writes them: these read the cells when scraped.
 */

// prom-client's types name the type by an enum; what it writes (and reads back) is the string.
const typeNamed = (name: 'counter' | 'histogram') => name as unknown as MetricType;
/** Their types also ask for the collect callback back; the values are read already. */
const noCollect = () => undefined;

interface Described<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

/** A label set's count: the relay adds to `value`. */
export interface CountCell {
  value: number;
}

export class CellCounter<L extends string> extends Counter<L> {
  private readonly cells: { labels: LabelValues<L>; cell: CountCell }[] = [];

  constructor(private readonly description: Described<L>) {
    super(description);
  }

  /** A new label set: keep the cell, as each call adds a series. */
  cell(labels: Record<L, string>): CountCell {
    const cell = { value: 0 };
    this.cells.push({ labels, cell });
    return cell;
  }

  override get(): Promise<MetricObjectWithValues<MetricValue<L>>> {
    return Promise.resolve({
      name: this.description.name,
      help: this.description.help,
      type: typeNamed('counter'),
      aggregator: 'sum',
      collect: noCollect,
      values: this.cells.map(({ labels, cell }) => ({ labels, value: cell.value })),
    });
  }
}

/** A label set's observations: counts per bucket (not cumulative), their sum and number. */
export class Buckets {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const { bounds } = this;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    if (index < bounds.length) this.counts[index]!++;
    this.sum += value;
    this.count++;
  }
}

export class CellHistogram<L extends string> extends Histogram<L> {
  private readonly cells: { labels: LabelValues<L>; buckets: Buckets }[] = [];

  constructor(private readonly description: Described<L> & { buckets: readonly number[] }) {
    super({ ...description, buckets: [...description.buckets] });
  }

  /** A new label set: keep the cell, as each call adds a series. */
  cell(labels: Record<L, string>): Buckets {
    const buckets = new Buckets(this.description.buckets);
    this.cells.push({ labels, buckets });
    return buckets;
  }

  override get(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    const { name, help, buckets: bounds } = this.description;
    const values: MetricValueWithName<L>[] = [];
    for (const { labels, buckets } of this.cells) {
      let cumulative = 0;
      bounds.forEach((bound, index) => {
        cumulative += buckets.counts[index]!;
        values.push({
          labels: Object.assign({ le: bound }, labels),
          value: cumulative,
          metricName: `${name}_bucket`,
        });
      });
      values.push(
        {
          labels: Object.assign({ le: '+Inf' }, labels),
          value: buckets.count,
          metricName: `${name}_bucket`,
        },
        { labels, value: buckets.sum, metricName: `${name}_sum` },
        { labels, value: buckets.count, metricName: `${name}_count` },
      );
    }
    return Promise.resolve({
      name,
      help,
      type: typeNamed('histogram'),
      aggregator: 'sum',
      collect: noCollect,
      values,
    });
  }

  /** The registry writes a histogram from this when it has one (prom-client 15). */
  getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<L>>> {
    return this.get();
  }
}
