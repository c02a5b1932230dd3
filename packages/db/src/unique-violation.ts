import { UniqueConstraintError } from 'sequelize';
import { UniqueViolationError } from './errors.js';

export function isUniqueViolation(error: unknown): error is UniqueConstraintError {
  return error instanceof UniqueConstraintError;
}

/** Runs a write and turns any dialect's duplicate-key error into UniqueViolationError. */
export async function mapUniqueViolation<T>(table: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new UniqueViolationError(table, Object.keys(error.fields ?? {}));
    }
    throw error;
  }
}
