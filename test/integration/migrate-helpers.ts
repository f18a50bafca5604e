// Shared set-up for the migration tests: options with a recording runtime, fixture paths, and a
// way to give each test an empty public schema in the test file's database.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseLocation } from '../../src/db/database-url.js';
import { runMigrations, type MigrationOptions, type MigrationOutcome } from '../../src/migrate/run-migrations.js';
import { recordingRuntime, type RecordedRuntime } from '../../src/runtime.js';
import type { TestDatabase } from '../helpers/postgres.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_MIGRATIONS = path.resolve(here, '../../migrations');
export const fixture = (name: string) => path.resolve(here, '../fixtures', name);
export const INPUT = "input 'target-url'";

export function migrationOptions(target: DatabaseLocation, migrationsDir: string, overrides: Partial<MigrationOptions> = {}): MigrationOptions & { runtime: RecordedRuntime } {
  return {
    mode: 'migrate',
    target,
    migrationsDir,
    steps: 1,
    allowChangedMigrations: false,
    lockTimeoutMs: 10_000,
    connectAttempts: 1,
    connectTimeoutMs: 5_000,
    appliedBy: 'jest',
    input: INPUT,
    ...overrides,
    runtime: (overrides.runtime as RecordedRuntime | undefined) ?? recordingRuntime(),
  };
}

export function run(target: DatabaseLocation, migrationsDir: string, overrides: Partial<MigrationOptions> = {}): Promise<MigrationOutcome> {
  return runMigrations(migrationOptions(target, migrationsDir, overrides));
}

/** The error `promise` rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the promise to reject');
}

export async function resetSchema(db: TestDatabase): Promise<void> {
  await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
}

export async function tableExists(db: TestDatabase, table: string): Promise<boolean> {
  const { rows } = await db.query<{ oid: string | null }>('SELECT to_regclass($1) AS oid', [table]);
  return rows[0].oid !== null;
}

export async function historyNames(db: TestDatabase): Promise<string[]> {
  if (!(await tableExists(db, 'public.cutover_migrations'))) return [];
  const { rows } = await db.query<{ name: string }>('SELECT name FROM cutover_migrations ORDER BY name');
  return rows.map((r) => r.name);
}
