import { describe, expect, it } from 'vitest';
import { parseDsn, redact } from './dsn.js';
import { ConfigError } from './errors.js';

describe('parseDsn', () => {
  it.each([
    ['', { dialect: 'sqlite', storage: './data/chat-api.db' }],
    ['   ', { dialect: 'sqlite', storage: './data/chat-api.db' }],
    [
      'root:123456@tcp(localhost:3306)/oneapi?charset=utf8mb4&parseTime=True&loc=Local',
      {
        dialect: 'mysql',
        host: 'localhost',
        port: 3306,
        username: 'root',
        password: '123456',
        database: 'oneapi',
      },
    ],
    [
      'root:p@ss:w0rd@tcp(db.internal:3307)/oneapi?tls=skip-verify',
      {
        dialect: 'mysql',
        host: 'db.internal',
        port: 3307,
        username: 'root',
        password: 'p@ss:w0rd',
        database: 'oneapi',
        tls: { rejectUnauthorized: false },
      },
    ],
    [
      'oneapi@tcp(10.0.0.5)/chat',
      {
        dialect: 'mysql',
        host: '10.0.0.5',
        port: 3306,
        username: 'oneapi',
        password: '',
        database: 'chat',
      },
    ],
    [
      'root:pw@unix(/run/mysqld/mysqld.sock)/oneapi',
      {
        dialect: 'mysql',
        host: 'localhost',
        port: 3306,
        username: 'root',
        password: 'pw',
        database: 'oneapi',
        socketPath: '/run/mysqld/mysqld.sock',
      },
    ],
    [
      'mysql://chat:s%40cret@127.0.0.1:13306/chat_api?tls=true',
      {
        dialect: 'mysql',
        host: '127.0.0.1',
        port: 13306,
        username: 'chat',
        password: 's@cret',
        database: 'chat_api',
        tls: { rejectUnauthorized: true },
      },
    ],
    [
      'postgres://postgres:123456@localhost:5432/oneapi',
      {
        dialect: 'postgres',
        host: 'localhost',
        port: 5432,
        username: 'postgres',
        password: '123456',
        database: 'oneapi',
      },
    ],
    [
      'postgresql://u:p@pg.example.com/db?sslmode=require',
      {
        dialect: 'postgres',
        host: 'pg.example.com',
        port: 5432,
        username: 'u',
        password: 'p',
        database: 'db',
        tls: { rejectUnauthorized: false },
      },
    ],
    [
      'postgres://u@pg.example.com:6543/db?sslmode=verify-full',
      {
        dialect: 'postgres',
        host: 'pg.example.com',
        port: 6543,
        username: 'u',
        password: '',
        database: 'db',
        tls: { rejectUnauthorized: true },
      },
    ],
    [
      'postgres://u:p@localhost/db?sslmode=disable',
      {
        dialect: 'postgres',
        host: 'localhost',
        port: 5432,
        username: 'u',
        password: 'p',
        database: 'db',
      },
    ],
  ])('parses %j', (dsn, expected) => {
    expect(parseDsn(dsn, './data/chat-api.db')).toEqual(expected);
  });

  it.each([
    'garbage',
    'postgres://',
    'postgres://host-only',
    'root:pw@tcp(localhost:99999)/db',
    'root:pw@udp(x)/db',
  ])('refuses %j with an error naming SQL_DSN', (dsn) => {
    expect(() => parseDsn(dsn, 'x.db')).toThrow(ConfigError);
    expect(() => parseDsn(dsn, 'x.db')).toThrow(/^SQL_DSN: /);
  });

  it('never repeats a password in its errors', () => {
    expect(() => parseDsn('postgres://u:hunter2@/db', 'x.db')).toThrow(/^(?!.*hunter2)/);
    expect(redact('root:hunter2@tcp(h:1)/db')).toBe('root:***@tcp(h:1)/db');
    expect(redact('mysql://root:hunter2@h/db')).toBe('mysql://root:***@h/db');
  });
});
