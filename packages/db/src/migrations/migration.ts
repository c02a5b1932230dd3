import type { QueryInterface } from 'sequelize';

/** A schema step. Never edit one that has shipped: add the next instead. */
export interface Migration {
  name: string;
  up(queryInterface: QueryInterface): Promise<void>;
}

/** MySQL tables store any Unicode (emoji included) and compare exactly, like SQLite and PostgreSQL. */
export const TABLE_OPTIONS = { charset: 'utf8mb4', collate: 'utf8mb4_bin' } as const;
