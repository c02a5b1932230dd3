/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** A write that would duplicate a unique value (a username, a key hash, …), on every dialect. */
export class UniqueViolationError extends Error {
  constructor(
    readonly table: string,
    readonly fields: string[],
  ) {
    super(`duplicate value for ${table}.${fields.join(', ') || 'unique key'}`);
    this.name = 'UniqueViolationError';
  }
}
