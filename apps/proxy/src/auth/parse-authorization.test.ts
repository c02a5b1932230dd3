import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './parse-authorization.js';

const KEY = `sk-${'aB3'.repeat(16)}`;

describe('parseAuthorization', () => {
  it.each([
    ['Bearer with a key', `Bearer ${KEY}`],
    ['lowercase bearer', `bearer ${KEY}`],
    ['uppercase BEARER', `BEARER ${KEY}`],
    ['spaces around and inside', `   Bearer    ${KEY}  `],
    ['a tab after Bearer', `Bearer\t${KEY}`],
    ['a bare key, as One API accepts', KEY],
    ['a key without its sk-, as One API and New API accept', `Bearer ${KEY.slice(3)}`],
  ])('reads the key from %s', (_name, header) => {
    expect(parseAuthorization(header)).toEqual({ key: KEY });
  });

  it('reads headers of the usual length that are not the usual shape like any other', () => {
    const short = `sk-${'a'.repeat(47)}`;
    expect(parseAuthorization(`Bearer ${short} `)).toEqual({ key: short });
    expect(parseAuthorization(`bearer  ${short}`)).toEqual({ key: short });
    expect(parseAuthorization(`Bearer sk-${'a'.repeat(47)}-`)).toEqual({ key: `${short}-` });
  });

  it('reads a channel pin after a well-formed key', () => {
    expect(parseAuthorization(`Bearer ${KEY}-12`)).toEqual({ key: KEY, pinnedChannelId: 12 });
    expect(parseAuthorization(`Bearer ${KEY}-007`)).toEqual({ key: KEY, pinnedChannelId: 7 });
    expect(parseAuthorization(`Bearer ${KEY.slice(3)}-12`)).toEqual({
      key: KEY,
      pinnedChannelId: 12,
    });
  });

  it.each([
    ['channel 0', `${KEY}-0`],
    ['a non-numeric suffix', `${KEY}-abc`],
    ['an absurdly long channel id', `${KEY}-${'9'.repeat(20)}`],
    ['a short key with a suffix', 'sk-short-12'],
    ['a key one character too long', `${KEY}x-12`],
    ['non-ASCII characters', 'sk-ключ-12'],
  ])('keeps %s whole, without a pin, so it is simply not found', (_name, credential) => {
    expect(parseAuthorization(`Bearer ${credential}`)).toEqual({ key: credential });
  });

  it('looks up anything without sk- as the key with it', () => {
    expect(parseAuthorization('Bearer short-12')).toEqual({ key: 'sk-short-12' });
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['only spaces', '   '],
    ['Bearer without a key', 'Bearer'],
    ['Bearer and spaces', 'Bearer    '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['two words after Bearer', `Bearer ${KEY} extra`],
  ])('finds no credential in %s', (_name, header) => {
    expect(parseAuthorization(header)).toBeNull();
  });

  it('does not throw on a huge header', () => {
    const huge = `Bearer sk-${'x'.repeat(100_000)}-1`;
    expect(parseAuthorization(huge)?.key).toHaveLength(100_000 + 5);
  });
});
