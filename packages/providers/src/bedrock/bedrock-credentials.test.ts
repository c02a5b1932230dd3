import { describe, expect, it } from 'vitest';
import { BedrockKeyError, parseBedrockKey } from './bedrock-credentials.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('parseBedrockKey', () => {
  it('reads an access key id and secret', () => {
    expect(parseBedrockKey(`AKIAIOSFODNN7EXAMPLE|${SECRET}`)).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: SECRET,
    });
  });

  it('reads a session token as a third part, trimming spaces around the parts', () => {
    expect(
      parseBedrockKey(` ASIAIOSFODNN7EXAMPLE | ${SECRET} | FwoGZXIvYXdzEJr//token= \n`),
    ).toEqual({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: SECRET,
      sessionToken: 'FwoGZXIvYXdzEJr//token=',
    });
  });

  it.each([
    ['one part', SECRET],
    ['four parts', `AKIAIOSFODNN7EXAMPLE|${SECRET}|token|more`],
    ['a lower-case key id', `akiaiosfodnn7example|${SECRET}`],
    ['an empty secret', 'AKIAIOSFODNN7EXAMPLE|'],
    ['a secret with a space', `AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI K7MDENG`],
    ['an empty session token', `AKIAIOSFODNN7EXAMPLE|${SECRET}|`],
  ])('refuses %s without echoing the secret', (_case, key) => {
    let error: unknown;
    try {
      parseBedrockKey(key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BedrockKeyError);
    const message = (error as Error).message;
    expect(message).toMatch(/AWS Bedrock key/);
    expect(message).not.toContain('wJalrXUtnFEMI');
    expect(message).not.toContain('K7MDENG');
  });
});
