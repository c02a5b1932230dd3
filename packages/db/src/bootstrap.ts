import type { Repositories } from './repositories/index.js';
import { Role } from './models/user.js';

export const DEFAULT_ROOT = { username: 'root', password: '123456' } as const;

/**
 * Creates root / 123456 when the database has no root user yet. Two nodes doing this at once
 * both try the insert; the unique username lets exactly one succeed.
 */
export async function ensureRootUser(repos: Repositories): Promise<boolean> {
  if (await repos.users.existsWithRole(Role.root)) return false;
  return repos.users.createIfUsernameFree({
    username: DEFAULT_ROOT.username,
    password: DEFAULT_ROOT.password,
    displayName: 'Root User',
    role: Role.root,
    quota: 100_000_000,
    mustChangePassword: true,
  });
}
