import { describe, expect, it } from 'vitest';
import { readConsoleEnv } from '../src/server/env.js';

describe('GitHub addresses from the environment', () => {
  it('are github.com by default, and a GitHub Enterprise Server when named', () => {
    expect(readConsoleEnv({}).github).toEqual({
      baseUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
    expect(
      readConsoleEnv({
        GITHUB_BASE_URL: 'https://github.example.com',
        GITHUB_API_URL: 'https://github.example.com/api/v3',
      }).github,
    ).toEqual({
      baseUrl: 'https://github.example.com',
      apiUrl: 'https://github.example.com/api/v3',
    });
  });

  it('stop the start with the variable named when not an http(s) URL', () => {
    expect(() => readConsoleEnv({ GITHUB_BASE_URL: 'github.example.com' })).toThrow(
      /GITHUB_BASE_URL/,
    );
    expect(() => readConsoleEnv({ GITHUB_API_URL: 'ftp://github.example.com' })).toThrow(
      /GITHUB_API_URL: expected a http: or https: URL/,
    );
  });
});
