import { expect } from 'vitest';
import parsePrometheusTextFormat, {
  type PrometheusFamily,
  type PrometheusSample,
} from 'parse-prometheus-text-format';

export interface Scrape {
  status: number;
  text: string;
  /** The families as the parser reads them (its histograms keep no labels, only buckets). */
  families: Map<string, PrometheusFamily>;
  /** Every sample line by its own name: a histogram's `_bucket`, `_sum` and `_count` too. */
  samples: Map<string, PrometheusSample[]>;
}

function byName(families: PrometheusFamily[]): Map<string, PrometheusFamily> {
  return new Map(families.map((family) => [family.name, family]));
}

/** GET /metrics, parsed by a Prometheus text parser (nothing parsed when refused). */
export async function scrape(base: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(`${base}/metrics`, { headers });
  const text = await response.text();
  const scraped: Scrape = {
    status: response.status,
    text,
    families: new Map(),
    samples: new Map(),
  };
  if (!response.ok) return scraped;
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  scraped.families = byName(parsePrometheusTextFormat(text));
  // Parsed again as untyped, each sample name is a family of its own, labels and all.
  const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
  for (const family of parsePrometheusTextFormat(untyped)) {
    scraped.samples.set(family.name, family.metrics);
  }
  return scraped;
}

const sameLabels = (sample: PrometheusSample, labels: Record<string, string>) => {
  const have = sample.labels ?? {};
  const keys = Object.keys(labels);
  return Object.keys(have).length === keys.length && keys.every((key) => have[key] === labels[key]);
};

function samplesNamed(scraped: Scrape, name: string): PrometheusSample[] {
  const samples = scraped.samples.get(name);
  if (!samples) throw new Error(`no ${name} in /metrics`);
  return samples;
}

/**
 * The value of the sample with exactly these labels (a histogram's by `<name>_count`,
 * `<name>_bucket` with `le`…); 0 when the series does not exist.
 */
export function valueOf(
  scraped: Scrape,
  name: string,
  labels: Record<string, string> = {},
): number {
  const sample = samplesNamed(scraped, name).find((each) => sameLabels(each, labels));
  return Number(sample?.value ?? 0);
}

/** Every series of a counter, as "label=value,…" → value. */
export function seriesOf(scraped: Scrape, name: string): Record<string, number> {
  return Object.fromEntries(
    samplesNamed(scraped, name).map((sample) => [
      Object.entries(sample.labels ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
      Number(sample.value),
    ]),
  );
}
