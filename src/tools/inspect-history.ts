// Reads every migration history a database holds (any tool's, cutover's own included), read-only,
// on a connection of its own: status uses it, and migrate-command/rollback-command read it before
// and after the command to report what the command changed.
import type pg from 'pg';
import fs from 'node:fs';
import type { DatabaseLocation, PostgresLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';
import { openSqlite } from '../db/sqlite-open.js';
import type { Runtime } from '../runtime.js';
import { findHistoryTables, postgresReader, sqliteReader, type HistoryReader, type UnknownHistoryTable } from './find-history-tables.js';
import { readToolHistory, type ToolHistory } from './read-tool-history.js';

export interface HistorySnapshot {
  histories: ToolHistory[];
  /** Tables named like a tool's history whose columns fit no tool. */
  unknown: UnknownHistoryTable[];
}

export interface InspectOptions {
  input: string;
  connectAttempts: number;
  connectTimeoutMs: number;
  runtime: Runtime;
  /** Prefix of application_name, e.g. cutover/status/<run id>. */
  runLabel: string;
}

export async function readHistories(reader: HistoryReader): Promise<HistorySnapshot> {
  const tables = await findHistoryTables(reader);
  const histories: ToolHistory[] = [];
  for (const table of tables.found) histories.push(await readToolHistory(table, reader));
  return { histories, unknown: tables.unknown };
}

/** Opens `target` read-only, reads its histories, closes it. A SQLite file that does not exist has none. */
export async function inspectHistories(target: DatabaseLocation, options: InspectOptions): Promise<HistorySnapshot> {
  if (target.kind === 'sqlite') {
    if (!fs.existsSync(target.path)) return { histories: [], unknown: [] };
    const db = await openSqlite(target, { input: options.input, readonly: true });
    try {
      return await readHistories(sqliteReader(db));
    } finally {
      db.close();
    }
  }
  const client = await connectHistory(target, options);
  try {
    return await readHistories(postgresReader(client));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function connectHistory(target: PostgresLocation, options: InspectOptions): Promise<pg.Client> {
  return connectPostgres(target, {
    input: options.input,
    attempts: options.connectAttempts,
    connectTimeoutMs: options.connectTimeoutMs,
    onRetry: (message) => options.runtime.info(message),
    ...(target.params.application_name ? {} : { applicationName: `${options.runLabel} history` }),
  });
}
