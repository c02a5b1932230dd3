import bcrypt from 'bcryptjs';
import type { LegacyProject } from '../../legacy-import/index.js';

/** The fixtures' users' passwords; their bcrypt hashes are what the source stores. */
export const LEGACY_PASSWORDS = {
  root: 'legacy-root-pass',
  alice: 'alice-pass-123',
  bob: 'bob-pass-456',
  carol: 'carol-pass-789',
} as const;

export type LegacyUsername = keyof typeof LEGACY_PASSWORDS;

/** Token names, one per status / kind the fixtures cover. */
export const LEGACY_TOKEN_NAMES = [
  'enabled',
  'disabled',
  'expired',
  'exhausted',
  'unlimited',
  'limited',
  'root key',
] as const;
export type LegacyTokenName = (typeof LEGACY_TOKEN_NAMES)[number];

/** 48 letters and digits, as One API and New API generate keys. */
function key48(seed: string): string {
  return (seed.replace(/[^A-Za-z0-9]/g, '') + 'Z9'.repeat(24)).slice(0, 48);
}

function storedKeys(prefix: string): Record<LegacyTokenName, string> {
  return Object.fromEntries(
    LEGACY_TOKEN_NAMES.map((name) => [name, key48(`${prefix}${name}key`)]),
  ) as Record<LegacyTokenName, string>;
}

/** What the source's `tokens.key` holds (no `sk-`). */
export const LEGACY_STORED_KEYS: Record<LegacyProject, Record<LegacyTokenName, string>> = {
  'one-api': storedKeys('oneapi'),
  'new-api': storedKeys('newapi'),
};

/** What clients send: `sk-` + the stored key. */
export const LEGACY_CLIENT_KEYS: Record<LegacyProject, Record<LegacyTokenName, string>> = {
  'one-api': clientKeys('one-api'),
  'new-api': clientKeys('new-api'),
};

function clientKeys(project: LegacyProject): Record<LegacyTokenName, string> {
  return Object.fromEntries(
    Object.entries(LEGACY_STORED_KEYS[project]).map(([name, key]) => [name, `sk-${key}`]),
  ) as Record<LegacyTokenName, string>;
}

/** Redemption codes (32 hex characters, as both generate them). */
export const LEGACY_REDEMPTION_CODES: Record<
  LegacyProject,
  { welcome: string; used: string; disabled: string }
> = {
  'one-api': {
    welcome: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    used: '11111111222222223333333344444444',
    disabled: 'deadbeefdeadbeefdeadbeefdeadbeef',
  },
  'new-api': {
    welcome: 'f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4',
    used: '55555555666666667777777788888888',
    disabled: 'cafebabecafebabecafebabecafebabe',
  },
};

let hashes: Promise<Record<LegacyUsername, string>> | undefined;

/** bcrypt at cost 10, as One API's Password2Hash (bcrypt.DefaultCost) makes them; made once. */
export function legacyPasswordHashes(): Promise<Record<LegacyUsername, string>> {
  hashes ??= Promise.all(
    Object.entries(LEGACY_PASSWORDS).map(
      async ([name, password]) => [name, await bcrypt.hash(password, 10)] as const,
    ),
  ).then((entries) => Object.fromEntries(entries) as Record<LegacyUsername, string>);
  return hashes;
}

export const PAST = 1_600_000_000;
export const CREATED = 1_700_000_000;
