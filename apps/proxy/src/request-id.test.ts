import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

describe('newRequestId', () => {
  it('is a version 7 UUID that carries its millisecond', () => {
    const id = newRequestId(Date.UTC(2026, 10, 28, 12, 0, 0, 123));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(
      Date.UTC(2026, 10, 28, 12, 0, 0, 123),
    );
  });

  it('sorts by time, and ids of one millisecond differ', () => {
    const earlier = newRequestId(1_700_000_000_000);
    const later = newRequestId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(newRequestId(1_700_000_000_000)).not.toBe(newRequestId(1_700_000_000_000));
  });
});
