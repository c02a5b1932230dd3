import { ConfigError } from './errors.js';

export type Env = Record<string, string | undefined>;

/** An integer variable; empty or unset gives the default, anything else must be an integer ≥ min. */
export function intVar(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(name, `expected an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

export function portVar(env: Env, name: string, fallback: number): number {
  const port = intVar(env, name, fallback);
  if (port > 65535) throw new ConfigError(name, `expected a port number up to 65535, got ${port}`);
  return port;
}

/** An IANA time zone name such as Asia/Shanghai; unset → the system's. */
export function timeZoneVar(env: Env, name: string): string {
  const zone = stringVar(env, name, Intl.DateTimeFormat().resolvedOptions().timeZone);
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(name, `unknown time zone "${zone}"`);
  }
  return zone;
}

/**
 * Which peers may set X-Forwarded-For / -Proto: proxy-addr's names (loopback, linklocal,
 * uniquelocal) or addresses and CIDRs, comma-separated. Trusting everyone would let any client
 * pick its own IP past a key's subnet list and the rate limits.
 */
export function trustedProxiesVar(env: Env, name: string): string {
  return stringVar(env, name, 'loopback');
}

export function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

export function stringVar(env: Env, name: string, fallback = ''): string {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? fallback : raw;
}

export function oneOfVar<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = stringVar(env, name, fallback).toLowerCase();
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function urlVar(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = stringVar(env, name);
  if (raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `cannot parse "${raw.replace(/:[^:@/]*@/, ':***@')}" as a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got ${url.protocol}`);
  }
  return raw;
}
