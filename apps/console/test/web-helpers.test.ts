import { describe, expect, it } from 'vitest';
import { isCidr } from '../src/server/cidr.js';
import { isIpOrCidr, splitList } from '../web/src/lib/validate.js';
import {
  dayAxis,
  niceMax,
  seriesOf,
  type UsageRow,
} from '../web/src/pages/dashboard/usage-data.js';

describe("the key form's subnet check", () => {
  it('accepts and refuses exactly what token.create does', () => {
    for (const value of [
      '10.0.0.0/8',
      '192.168.1.7',
      '0.0.0.0/0',
      '2001:db8::/32',
      '::1',
      '::ffff:10.0.0.1',
      'fe80::1%eth0',
      '10.0.0.0/33',
      '2001:db8::/129',
      '256.1.1.1',
      '01.2.3.4',
      '10.0.0/8',
      '10.0.0.0/8/8',
      'example.com',
      '[::1]',
      '',
    ]) {
      expect(isIpOrCidr(value), value).toBe(isCidr(value));
    }
  });

  it('reads one entry per line or comma', () => {
    expect(splitList(' 10.0.0.0/8,\n\n2001:db8::/32 ,')).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });
});

const row = (day: string, model: string, requests: number, quota = requests * 10): UsageRow => ({
  day,
  model,
  requests,
  promptTokens: 0,
  completionTokens: 0,
  quota,
});

describe('dashboard chart data', () => {
  it('shows every day of the period, including days without requests', () => {
    expect(dayAxis([row('2025-03-01', 'a', 1)], 3, '2025-03-02')).toEqual([
      '2025-02-28',
      '2025-03-01',
      '2025-03-02',
    ]);
  });

  it("keeps the server's days when its time zone is a day ahead of or behind the browser's", () => {
    expect(dayAxis([row('2025-03-03', 'a', 1)], 2, '2025-03-02')).toEqual([
      '2025-03-02',
      '2025-03-03',
    ]);
    expect(dayAxis([row('2025-02-28', 'a', 1)], 2, '2025-03-02')).toEqual([
      '2025-02-28',
      '2025-03-01',
      '2025-03-02',
    ]);
  });

  it('gives the busiest models a colour each and folds the rest into "other"', () => {
    const rows = ['a', 'b', 'c', 'd'].map((model, i) => row('2025-03-01', model, 1, 100 - i));
    const series = seriesOf(rows, 3);
    expect(series.map((s) => s.model)).toEqual(['a', 'b', null]);
    expect(series[2]!.byDay.get('2025-03-01')).toEqual({ requests: 2, quota: 98 + 97 });
  });

  it('rounds the axis so its quarter lines are whole, round numbers', () => {
    for (let value = 0; value <= 5000; value += 7) {
      const max = niceMax(value);
      expect(max).toBeGreaterThanOrEqual(Math.max(value, 1));
      expect(max).toBeLessThanOrEqual(Math.max(4, value * 2.5));
      expect(Number.isInteger(max / 4), `${value} → ${max}`).toBe(true);
    }
    expect([3, 9, 9000].map((value) => niceMax(value))).toEqual([4, 12, 10_000]);
  });
});
