// What a dry run found about the pull request's new migrations, as data: the order it ran in, the
// measured impact of each new migration statement by statement, the schema diff, what the new
// migrations did to the copied tables, and the down check. Filled by src/dry-run/, rendered by
// src/report/render-dry-run*.ts; nothing here is formatted for display.

/** An object whose definition differs between two states (compared by name). */
export interface SchemaDifference {
  object: string;
  /** Definition in the expected state; undefined: the object should not exist. */
  expected?: string;
  /** Definition in the actual state; undefined: the object is missing. */
  actual?: string;
}

/** PostgreSQL's lock modes as pg_locks names them. */
export type LockMode =
  | 'AccessShareLock'
  | 'RowShareLock'
  | 'RowExclusiveLock'
  | 'ShareUpdateExclusiveLock'
  | 'ShareLock'
  | 'ShareRowExclusiveLock'
  | 'ExclusiveLock'
  | 'AccessExclusiveLock';

/** What the application can no longer do on a relation while the lock is held. */
export type Blocks = 'nothing' | 'writes' | 'reads and writes';

export interface LockTaken {
  /** schema.name of the relation (as it was named before the statement). */
  relation: string;
  /** r table, p partitioned table, i index, m materialized view, v view, S sequence, f foreign table. */
  relkind: string;
  mode: LockMode;
  blocks: Blocks;
}

export interface MeasuredStatement {
  /** 0-based position in the migration. */
  index: number;
  /** 1-based line in the file where the statement's code starts. */
  line: number;
  /** The statement (clipped), or undefined for a JS migration measured as a whole. */
  sql?: string;
  /** False for a no-transaction statement: its locks were sampled while it ran, not read in its transaction. */
  inTransaction: boolean;
  durationMs: number;
  failed?: boolean;
  error?: string;
  /** Locks on relations that existed before the statement, taken by it. */
  locks: LockTaken[];
  /** No-transaction statements: how many samples of pg_locks were taken while it ran (0: it ran between two). */
  lockSamples?: number;
  /** Tables whose storage was rewritten (relfilenode changed), with the rows they hold afterwards. */
  rewrites: Array<{ table: string; rows: number }>;
  /** INSERT / UPDATE / DELETE / MERGE: the command and the rows it affected. */
  rows?: { command: string; count: number };
  /** Indexes the statement built on tables that existed before, with the table's rows. */
  indexesBuilt: Array<{ index: string; table: string; rows: number; concurrently: boolean }>;
  /** NOT NULL set on an existing column, or a CHECK / FOREIGN KEY added valid: checked by a full scan. */
  validations: Array<{ what: string; table: string; rows: number }>;
}

export type FindingRule = 'index-blocks-writes' | 'table-rewrite' | 'validation-scan' | 'long-exclusive-lock' | 'drops-data';

/** A measured effect that would hurt production; the reason and a safer pattern are per rule (impact-rules.ts). */
export interface Finding {
  rule: FindingRule;
  migration: string;
  /** Line of the statement in the up file (absent for drops, found by the schema diff). */
  line?: number;
  table: string;
  /** Rows of the table (drops-data on a column: its non-null values). */
  rows?: number;
  /** The statement's time; long-exclusive-lock: how long the lock was held. */
  durationMs?: number;
  mode?: LockMode;
  /** The index built, the constraint checked, or the column dropped. */
  detail?: string;
  /** Seen by sampling another tool's sessions (migrate-command): a lower bound, not a statement's own time. */
  sampled?: boolean;
}

export interface MeasuredMigration {
  name: string;
  status: 'applied' | 'failed' | 'not-run';
  durationMs?: number;
  /** Statements measured, in order (the failing one included, marked failed). */
  statements: MeasuredStatement[];
  /** Statements that did not run because an earlier one failed (SQL files). */
  notRun?: number;
  /** The migration was stopped by dry-run-timeout. */
  timedOut?: boolean;
  findings: Finding[];
  /** The up file's text (clipped), for the report's <details>. */
  source: { file: string; text: string; language: 'sql' | 'js'; clippedLines?: number };
  hasDown: boolean;
}

/** One change in the schema, before → after the new migrations. */
export interface SchemaChange {
  kind: 'table' | 'column' | 'constraint' | 'index' | 'trigger' | 'policy' | 'row-security' | 'sequence' | 'enum' | 'view' | 'function';
  name: string;
  change: 'added' | 'dropped' | 'changed' | 'renamed';
  /** Definition before / after (type, null, default; constraint or index definition; …). */
  before?: string;
  after?: string;
  /** renamed: the old name. */
  from?: string;
  /** Loses data or breaks readers: dropped tables and columns, type changes, dropped enum values. */
  destructive: boolean;
  /** Dropped tables: rows they held; dropped columns: non-null values they held (on the throwaway). */
  rows?: number;
}

export interface TableSchemaChanges {
  /** schema.name after the change (before it, for a dropped table). */
  table: string;
  change: 'added' | 'dropped' | 'changed' | 'renamed';
  from?: string;
  destructive: boolean;
  /** Dropped tables: the rows they held on the throwaway. */
  rows?: number;
  items: SchemaChange[];
}

export interface SchemaChanges {
  /** Grouped by table, destructive first. */
  tables: TableSchemaChanges[];
  /** Objects that belong to no table: sequences, enums, views, functions. */
  others: SchemaChange[];
}

/** A copied table after the new migrations: what can still be compared with the source. */
export interface TableAfter {
  table: string;
  /** Rows after the copy (equal to the source's, as verified before commit). */
  rowsBefore: number;
  /** Rows after the new migrations; undefined when dropped. */
  rowsAfter?: number;
  /**
   * written: a new migration wrote rows to it or emptied it (its row count may differ on purpose);
   * dropped; otherwise its row count must still be the one copied: renamed (to `renamedTo`),
   * altered (its schema changed) or unchanged.
   */
  state: 'unchanged' | 'written' | 'altered' | 'dropped' | 'renamed';
  renamedTo?: string;
  /** Which new migrations changed its schema. */
  by?: string[];
  /** Which new migrations wrote rows to it or emptied it. */
  writtenBy?: string[];
}

export interface DownResult {
  migration: string;
  outcome: 'verified' | 'differs' | 'failed' | 'missing' | 'not-checked';
  /** differs: the objects whose schema is not what it was before the migration. */
  differences?: SchemaDifference[];
  error?: string;
  /** not-checked: why. */
  reason?: string;
}

export interface DownCheck {
  /** Newest first, as they were run down. */
  results: DownResult[];
  /** After the downs, the new migrations applied again: the schema must equal the first result. */
  reapply: { outcome: 'same' | 'differs' | 'failed' | 'not-run'; differences?: SchemaDifference[]; error?: string; migrations?: string[] };
}

export type DryRunOrder =
  /** (a) base state (b) data (c) the new migrations, measured (d) verification. */
  | { kind: 'base-then-new'; baseCommit?: string; schemaFrom: 'migrations' | 'target'; baseMigrations: number; newMigrations: string[] }
  /** Nothing at the base commit to load the data into: the migrations run first, on the empty database. */
  | { kind: 'new-then-data'; baseCommit: string; newMigrations: string[] }
  /** The base commit is unknown: every migration, then the data (nothing measured). */
  | { kind: 'fallback'; reason: string }
  /** Another tool's migrate-command: base state, data, then the PR's run measured as a whole (CommandImpact). */
  | { kind: 'command'; base: string; data: boolean; newMigrations: string[] };

/** What the PR's migrate-command did, measured around it (src/tools/command/command-impact.ts). */
export interface CommandImpact {
  /** Locks were sampled this often: one held for less may be missing. */
  sampledEveryMs: number;
  /** The strongest lock seen per table, strongest first. */
  locks: Array<{ relation: string; mode: LockMode }>;
  rewritten: Array<{ table: string; rows: number }>;
  schemaChanges: SchemaChanges;
  /** The same rules as for cutover's own migrations, on what could be seen from outside. */
  findings: Finding[];
}

export interface DryRunReport {
  order: DryRunOrder;
  migrations: MeasuredMigration[];
  schemaChanges?: SchemaChanges;
  /** migrate-command dry runs: what the PR's run did (schemaChanges holds its schema diff too). */
  commandImpact?: CommandImpact;
  tablesAfter?: TableAfter[];
  downCheck?: DownCheck;
  /** dry-run-timeout in ms (0: none), for the report's wording. */
  timeoutMs: number;
  /** sample-rows: at most this many rows per table were copied. */
  sampleRows?: number;
}
