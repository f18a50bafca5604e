// Shared set-up for the copy/verify integration tests: option objects, SQLite files built from SQL.
import fs from 'node:fs';
import path from 'node:path';
import type { CopyOptions } from '../../src/copy/copy-data.js';
import type { DatabaseLocation, PostgresLocation } from '../../src/db/database-url.js';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { recordingRuntime, type RecordedRuntime } from '../../src/runtime.js';
import type { CopySettings } from '../../src/settings.js';
import type { VerifyOptions } from '../../src/verify/verify-data.js';

export const REAL = path.resolve('test/fixtures/real');

export function sqliteAt(file: string): DatabaseLocation {
  return { kind: 'sqlite', path: path.resolve(file) };
}

export async function makeSqlite(file: string, sql: string): Promise<DatabaseLocation> {
  fs.rmSync(file, { force: true });
  const Database = await loadSqlite();
  const db = new Database(file);
  db.exec(sql);
  db.close();
  return sqliteAt(file);
}

export function copyOptions(source: DatabaseLocation, target: PostgresLocation, copy: Partial<CopySettings> = {}, runtime: RecordedRuntime = recordingRuntime()): CopyOptions & { runtime: RecordedRuntime } {
  return {
    source,
    target,
    copy: { include: [], exclude: [], createTables: false, onError: 'fail', rejectsFile: path.join(fs.mkdtempSync('/tmp/cutover-rejects-'), 'rejects.jsonl'), ifTargetNotEmpty: 'fail', jobs: 2, checksums: true, ...copy },
    connectAttempts: 1,
    connectTimeoutMs: 10_000,
    runtime,
    sourceInput: "input 'source-url'",
    targetInput: "input 'target-url'",
  };
}

export function verifyOptions(source: DatabaseLocation, target: DatabaseLocation, overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    source,
    target,
    include: [],
    exclude: [],
    checksums: true,
    jobs: 2,
    connectAttempts: 1,
    connectTimeoutMs: 10_000,
    runtime: recordingRuntime(),
    sourceInput: "input 'source-url'",
    targetInput: "input 'target-url'",
    ...overrides,
  };
}

/** A PostgresLocation for the same server and database as `base`, logged in as another role. */
export function asRole(base: PostgresLocation, user: string, password: string): PostgresLocation {
  return { ...base, user, password };
}
