import { ConfigError } from './errors.js';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

export interface SqliteTarget {
  dialect: 'sqlite';
  storage: string;
}

export interface ServerTarget {
  dialect: 'postgres' | 'mysql';
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  /** Unix socket path (Go form `unix(/path)`), used instead of host and port. */
  socketPath?: string;
  /** undefined: no TLS; otherwise TLS, verifying the server unless rejectUnauthorized is false. */
  tls?: { rejectUnauthorized: boolean };
}

export type DatabaseTarget = SqliteTarget | ServerTarget;

/**
 * Parses SQL_DSN as One API does: empty → SQLite; `postgres://` → PostgreSQL;
 * anything else is MySQL, either `mysql://user:pass@host:port/db` or Go's
 * `user:pass@tcp(host:port)/db?param=value`.
 */
export function parseDsn(dsn: string, sqlitePath: string): DatabaseTarget {
  const trimmed = dsn.trim();
  if (trimmed === '') return { dialect: 'sqlite', storage: sqlitePath };
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return parseUrl(trimmed, 'postgres');
  if (/^mysql:\/\//i.test(trimmed)) return parseUrl(trimmed, 'mysql');
  return parseGoMysql(trimmed);
}

function parseUrl(dsn: string, dialect: 'postgres' | 'mysql'): ServerTarget {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new ConfigError('SQL_DSN', `cannot parse "${redact(dsn)}" as a ${dialect} URL`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) {
    throw new ConfigError('SQL_DSN', `"${redact(dsn)}" needs a host and a database name`);
  }
  const params = url.searchParams;
  const tls =
    dialect === 'postgres'
      ? postgresTls(params.get('sslmode'))
      : mysqlTls(params.get('tls') ?? params.get('ssl'));
  return {
    dialect,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : dialect === 'postgres' ? 5432 : 3306,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    ...(tls ? { tls } : {}),
  };
}

// [user[:password]@][protocol[(address)]]/dbname[?params] — the Go MySQL driver's DSN.
const GO_MYSQL =
  /^(?:(?<user>[^:@]*)(?::(?<password>.*))?@)?(?<protocol>\w+)?(?:\((?<address>[^)]*)\))?\/(?<database>[^?]+)(?:\?(?<params>.*))?$/;

function parseGoMysql(dsn: string): ServerTarget {
  const match = GO_MYSQL.exec(dsn);
  const groups = match?.groups;
  if (!groups || !groups.database) {
    throw new ConfigError(
      'SQL_DSN',
      `cannot parse "${redact(dsn)}": expected empty (SQLite), postgres://…, mysql://… or user:pass@tcp(host:3306)/db`,
    );
  }
  const protocol = groups.protocol ?? 'tcp';
  const address = groups.address ?? '';
  const params = new URLSearchParams(groups.params ?? '');
  const tls = mysqlTls(params.get('tls'));
  const base = {
    dialect: 'mysql' as const,
    username: groups.user ?? '',
    password: groups.password ?? '',
    database: groups.database,
    ...(tls ? { tls } : {}),
  };
  if (protocol === 'unix') return { ...base, host: 'localhost', port: 3306, socketPath: address };
  if (protocol !== 'tcp') {
    throw new ConfigError('SQL_DSN', `unsupported protocol "${protocol}" (use tcp or unix)`);
  }
  const [host, port] = splitHostPort(address || '127.0.0.1:3306');
  return { ...base, host, port };
}

function splitHostPort(address: string): [string, number] {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(address);
  if (bracketed) return [bracketed[1] ?? '', Number(bracketed[2] ?? 3306)];
  const colon = address.lastIndexOf(':');
  if (colon === -1) return [address, 3306];
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConfigError('SQL_DSN', `invalid port in "${address}"`);
  }
  return [address.slice(0, colon), port];
}

function postgresTls(sslmode: string | null): ServerTarget['tls'] {
  switch (sslmode) {
    case null:
    case 'disable':
    case 'allow':
    case 'prefer':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw new ConfigError('SQL_DSN', `unknown sslmode "${sslmode}"`);
  }
}

function mysqlTls(tls: string | null): ServerTarget['tls'] {
  switch (tls) {
    case null:
    case 'false':
      return undefined;
    case 'skip-verify':
    case 'preferred':
      return { rejectUnauthorized: false };
    case 'true':
      return { rejectUnauthorized: true };
    default:
      // Go registers custom TLS configs by name; the nearest meaning here is verified TLS.
      return { rejectUnauthorized: true };
  }
}

/** The DSN with its password replaced, for error messages. */
export function redact(dsn: string): string {
  return dsn
    .replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
    .replace(/^([^:@/]*:)[^@]*@(\w*\()/, '$1***@$2');
}
