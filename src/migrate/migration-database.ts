// The little the migration runner needs from a database, for PostgreSQL (node-postgres client) and
// SQLite (better-sqlite3): run a script, run a parameterised query, and transactions. SQLite's write
// transactions start with BEGIN IMMEDIATE so that two processes serialise on the file's write lock.
import type pg from 'pg';
import type { SqliteDatabase } from '../db/sqlite-driver.js';

export type Dialect = 'postgres' | 'sqlite';

export interface MigrationDatabase {
  dialect: Dialect;
  /** The driver's own object, handed to JS migrations as `client`. */
  raw: pg.Client | SqliteDatabase;
  /** Runs one or more statements without parameters. */
  execScript(sql: string): Promise<void>;
  /** Runs one statement; placeholders are $1… on PostgreSQL and ? on SQLite. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Starts a write transaction. */
  begin(): Promise<void>;
  commit(): Promise<void>;
  /** Rolls back if a transaction is open; never throws. */
  rollback(): Promise<void>;
}

export function postgresDatabase(client: pg.Client): MigrationDatabase {
  return {
    dialect: 'postgres',
    raw: client,
    async execScript(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      const result: pg.QueryResult | pg.QueryResult[] = await client.query(sql, params as unknown[] | undefined);
      // A multi-statement script returns one result per statement: hand back the last one's rows.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last?.rows ?? []) as T[];
    },
    async begin() {
      await client.query('BEGIN');
    },
    async commit() {
      await client.query('COMMIT');
    },
    async rollback() {
      await client.query('ROLLBACK').catch(() => undefined);
    },
  };
}

function sqliteQuery<T>(db: SqliteDatabase, sql: string, params: unknown[] = []): T[] {
  let statement;
  try {
    statement = db.prepare(sql);
  } catch (error) {
    // prepare() takes exactly one statement; a parameterless script goes through exec().
    if (params.length === 0 && /more than one statement/i.test((error as Error).message)) {
      db.exec(sql);
      return [];
    }
    throw error;
  }
  if (statement.reader) return statement.all(...params) as T[];
  statement.run(...params);
  return [];
}

export function sqliteDatabase(db: SqliteDatabase): MigrationDatabase {
  return {
    dialect: 'sqlite',
    raw: db,
    async execScript(sql) {
      db.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]) {
      return sqliteQuery<T>(db, sql, params);
    },
    async begin() {
      db.exec('BEGIN IMMEDIATE');
    },
    async commit() {
      db.exec('COMMIT');
    },
    async rollback() {
      if (db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // SQLite may already have rolled back after the error
        }
      }
    },
  };
}

/** The `sql(text, params?)` helper JS migrations receive: returns the rows (empty for non-queries). */
export function sqlHelper(database: MigrationDatabase): (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]> {
  // Without parameters, node-postgres uses the simple protocol and SQLite falls back to exec(), so a
  // multi-statement script works in both.
  return (text, params) => database.query(text, params ?? []);
}
