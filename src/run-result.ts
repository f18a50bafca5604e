// What a run produced: the single structure the report renderer, the outputs and the exit code are
// derived from. Engine modules fill it; nothing here is formatted for display yet.
import type { Mode } from './settings.js';
import type { DryRunReport } from './dry-run/dry-run-report.js';

export type MigrationStatus = 'applied' | 'pending' | 'already-applied' | 'failed' | 'rolled-back' | 'baselined' | 'changed' | 'missing-file';

export interface MigrationEntry {
  name: string;
  status: MigrationStatus;
  /** True when the file is not on the PR's base branch (dry runs). */
  isNew?: boolean;
  /** sha256 of the migration's file(s), hex. */
  checksum?: string;
  durationMs?: number;
  appliedAt?: string;
  appliedBy?: string;
  error?: { message: string; file?: string; line?: number };
}

export interface TableEntry {
  /** Display name, e.g. `public."Order Details"`. */
  table: string;
  sourceRows?: number;
  targetRows?: number;
  /** null = checksums not computed. */
  checksumMatch?: boolean | null;
  sourceChecksum?: string;
  targetChecksum?: string;
  /** Rows written to the rejects file (on-error: skip). */
  rejectedRows?: number;
  /** First keys that differ, when verification narrowed a mismatch down. */
  differingKeys?: string[];
  copiedRows?: number;
  durationMs?: number;
  /** verify: the source table has no table in the target, so nothing was compared. */
  missingInTarget?: boolean;
  /** How the rows differ, by primary key (by whole row when there is none), when verification
   *  narrowed a mismatch down. */
  differences?: TableDifferences;
}

export interface TableDifferences {
  /** Source rows whose key the target does not have. */
  missing: number;
  /** Target rows whose key the source does not have. */
  extra: number;
  /** Keys on both sides whose rows differ. */
  changed: number;
  /** true: the counts are exact; false: they are lower bounds (only part of the table was compared row by row). */
  exact: boolean;
  /** A few keys of each kind, e.g. "id=42", in key order. */
  samples: { missing: string[]; extra: string[]; changed: string[] };
}

export interface LeftOutEntry {
  /** Display name, e.g. auth.users. */
  table: string;
  /** e.g. "Supabase platform schema", "excluded by exclude pattern 'tmp_*'". */
  reason: string;
}

/** create-tables: what was made of the SQLite schema (see src/copy/plan/schema-report.ts). */
export interface SchemaCreated {
  created: CreatedTable[];
  /** Tables that existed in the target and were left as they were (display names). */
  existing: string[];
  /** SQLite views and triggers (of copied tables), which create-tables does not make. */
  skipped?: Array<{ kind: string; name: string; sqlite: string; reason: string }>;
}

export interface CreatedTable {
  /** Display name in the target, e.g. public."Order". */
  table: string;
  /** The table's name in SQLite. */
  sqliteName: string;
  columns: number;
  /** What was created: kind ('primary key', 'unique', 'index', 'foreign key', 'check', 'default',
   *  'identity'), the Postgres name, a readable definition, and a note when something changed. */
  objects: Array<{ kind: string; name?: string; definition: string; note?: string }>;
  /** What could not be translated: the SQLite text and why. */
  notTranslated: Array<{ kind: string; sqlite: string; reason: string }>;
  /** Identifiers renamed for Postgres (longer than 63 bytes, or already taken). */
  renames: Array<{ kind: string; from: string; to: string; why: string }>;
}

export interface RunResult {
  mode: Mode;
  ok: boolean;
  /** Redacted display strings. */
  target?: string;
  source?: string;
  /** Dry runs: the throwaway database (never the real target). */
  throwaway?: { provider: string; serverVersion?: string };
  migrations: MigrationEntry[];
  /** Names recorded as applied after the run, in migration order; undefined when not read. */
  history?: string[];
  tables: TableEntry[];
  /** null when verification did not run. */
  verified: boolean | null;
  /** Copies with on-error: skip: rows not copied, and the JSON-lines file that holds them. */
  rejected?: { rows: number; file: string };
  warnings: string[];
  notes: string[];
  /** One-paragraph, redacted error when the run failed. */
  error?: string;
  /** Lines that explain how to undo this run (cutover). */
  rollback?: string[];
  /** The command that undoes this run's migrations, shown as a code block under `rollback`. */
  rollbackCommand?: string;
  /** The CLI command that reproduces this run locally, URLs redacted. */
  reproduce?: string;
  durationMs: number;
  /** copy/verify: source tables that were not copied or compared, and why. */
  leftOut?: LeftOutEntry[];
  /** A cancelled run (SIGINT/SIGTERM): the one line saying so and what state the target is in. */
  cancelled?: string;
  /** Dry runs: order, measured impact of the new migrations, schema diff, down check. */
  dryRun?: DryRunReport;
  /** copy with create-tables: the tables created and what was (and was not) made of the SQLite schema. */
  schema?: SchemaCreated;
  /** Other tools' migration histories read in this run (src/tools/), one per tool. */
  histories?: ToolHistoryEntry[];
}

export interface ToolHistoryEntry {
  tool: string;
  /** e.g. Alembic, the Supabase CLI. */
  label: string;
  /** Its history table, when the database has one, e.g. public.alembic_version. */
  table?: string;
  /** Where its migration files were found. */
  filesDir?: string;
  /** Migrations not applied after the run (as the tool's files name them). */
  pending: string[];
  /** Applied (migrate-command) or rolled back (rollback-command) by this run. */
  changed: string[];
}

export function emptyResult(mode: Mode): RunResult {
  return { mode, ok: true, migrations: [], tables: [], verified: null, warnings: [], notes: [], durationMs: 0 };
}
