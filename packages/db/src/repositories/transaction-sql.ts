import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** Literal SQL run inside a transaction, for statements written out by hand. */
export interface TransactionSql {
  update(sql: string): Promise<void>;
  insert(sql: string): Promise<void>;
  select<Row extends object>(sql: string): Promise<Row[]>;
}

/** The sqlite3 connection Sequelize runs a SQLite transaction on. */
interface SqliteConnection {
  exec(sql: string, done: (error: Error | null) => void): void;
  all(sql: string, done: (error: Error | null, rows: unknown[]) => void): void;
}

/**
 * On SQLite the statements go to the transaction's own connection: Sequelize's SQLite query
 * costs ~100 µs of CPU (a stack trace captured and formatted, its result handling) and
 * separate trips to the database thread to prepare and to run, where exec takes one trip.
 * A bill batch runs about ten statements.
 */
export function transactionSql(sequelize: Sequelize, transaction: Transaction): TransactionSql {
  if (sequelize.getDialect() === 'sqlite') {
    return sqliteSql((transaction as unknown as { connection: SqliteConnection }).connection);
  }
  return {
    update: async (sql) => {
      await sequelize.query(sql, { transaction, type: QueryTypes.UPDATE });
    },
    // Typed as an insert, so Sequelize does not lower-case the whole statement to find out.
    insert: async (sql) => {
      await sequelize.query(sql, { transaction, type: QueryTypes.INSERT });
    },
    select: <Row extends object>(sql: string) =>
      sequelize.query<Row>(sql, { transaction, type: QueryTypes.SELECT }),
  };
}

function sqliteSql(connection: SqliteConnection): TransactionSql {
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => {
      connection.exec(sql, (error) => (error ? reject(error) : resolve()));
    });
  return {
    update: exec,
    insert: exec,
    select: <Row extends object>(sql: string) =>
      new Promise<Row[]>((resolve, reject) => {
        connection.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as Row[])));
      }),
  };
}
