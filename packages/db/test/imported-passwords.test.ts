import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/database.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/backends.js';
import { openTestDatabase } from './helpers.js';

/**
 * Users brought over from One API or New API keep their passwords: those store bcrypt hashes,
 * which sign in as they are and are replaced by this gateway's scrypt hash at that moment.
 */
describe('a bcrypt password hash from One API or New API', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite');
    db = await openTestDatabase(testDb);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  async function importedUser(username: string, hash: string) {
    const user = await db.repos.users.create({ username, password: 'placeholder-pass' });
    await db.models.User.update({ password: hash }, { where: { id: user.id } });
    return user;
  }
  const storedHash = async (id: number) =>
    (await db.models.User.findByPk(id, { attributes: ['password'] }))!.password;

  it('signs in with the right password and is rehashed then, not before', async () => {
    const legacy = bcrypt.hashSync('legacy-password-1', 10);
    const user = await importedUser('legacy_a', legacy);

    expect(await db.repos.users.verifyCredentials('legacy_a', 'wrong-password')).toBeNull();
    expect(await storedHash(user.id)).toBe(legacy);

    expect(await db.repos.users.verifyCredentials('legacy_a', 'legacy-password-1')).toMatchObject({
      id: user.id,
    });
    expect(await storedHash(user.id)).toMatch(/^scrypt\$/);
    // The new hash is the same password.
    expect(await db.repos.users.verifyCredentials('legacy_a', 'legacy-password-1')).not.toBeNull();
    expect(await db.repos.users.verifyCredentials('legacy_a', 'wrong-password')).toBeNull();
  });

  it('accepts the $2b$ and PHP $2y$ spellings of the same hash', async () => {
    const hash = bcrypt.hashSync('legacy-password-2', 10);
    await importedUser('legacy_b', hash.replace(/^\$2[ab]\$/, '$2b$'));
    await importedUser('legacy_y', hash.replace(/^\$2[ab]\$/, '$2y$'));
    expect(await db.repos.users.verifyCredentials('legacy_b', 'legacy-password-2')).not.toBeNull();
    expect(await db.repos.users.verifyCredentials('legacy_y', 'legacy-password-2')).not.toBeNull();
  });

  it('checks a bcrypt hash for the current-password step of a password change', async () => {
    const user = await importedUser('legacy_c', bcrypt.hashSync('legacy-password-3', 10));
    expect(await db.repos.users.verifyPassword(user.id, 'legacy-password-3')).toBe(true);
    expect(await db.repos.users.verifyPassword(user.id, 'legacy-password-x')).toBe(false);
  });
});
