import { describe, expect, it } from 'vitest';
import { effectiveGroup } from './effective-group.js';

describe('effectiveGroup', () => {
  it("uses the token's group when set, else the owner's", () => {
    expect(effectiveGroup({ group: 'vip' }, { group: 'default' })).toBe('vip');
    expect(effectiveGroup({ group: '' }, { group: 'default' })).toBe('default');
  });
});
