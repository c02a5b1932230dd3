import { describe, expect, it } from 'vitest';
import { scrubSecret } from './scrub.js';

describe('scrubSecret', () => {
  const key = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWx';

  it('removes the key wherever it appears', () => {
    expect(scrubSecret(`bad key ${key}, really ${key}`, key)).toBe('bad key ***, really ***');
  });

  it('removes a word that carries a long piece of the key', () => {
    const echoed = `Incorrect API key provided: sk-proj-AbCdEfGhIj****UvWx.`;
    expect(scrubSecret(echoed, key)).toBe('Incorrect API key provided: ***');
  });

  it('keeps ordinary words that also occur inside the key', () => {
    expect(scrubSecret('upstream timed out', 'sk-upstream-0123456789abcdef')).toBe(
      'upstream timed out',
    );
  });

  it('leaves text without the key alone', () => {
    expect(scrubSecret('upstream answered 500: overloaded', key)).toBe(
      'upstream answered 500: overloaded',
    );
  });
});
