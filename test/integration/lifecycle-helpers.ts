// Shared set-up for the process-lifecycle tests (kill -9, SIGINT, SIGTERM): a real entry (the Action's
// src/index.ts or the CLI's src/cli.ts, run by Node 24 through scripts/register-ts.mjs, so it re-spawns
// its engine child exactly as dist/ does), a SQLite source of a few hundred thousand rows, and a target
// whose load stalls at a known row until the test lets it go: "mid-copy" without any timing.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestDatabase } from '../helpers/postgres.js';
import { NODE24 } from '../helpers/run-dist.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeSqlite } from './copy-helpers.js';

export const ROWS = 300_000;
/** The row at which the target's trigger waits for the test's advisory lock. */
export const STALL_AT = 150_000;
const STALL_LOCK = 815_001;

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function makeSource(): Promise<string> {
  const file = path.join(makeTempDir('cutover-lifecycle-'), 'source.db');
  await makeSqlite(file, `
    CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
    CREATE TABLE items (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), body TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO accounts SELECT i, 'user' || i || '@example.com' FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
      INSERT INTO items SELECT i, 1 + i % 100, 'item body number ' || i FROM n;`);
  return file;
}

/**
 * Target tables that already hold rows (the copy runs with if-target-not-empty: truncate, so "untouched"
 * means the TRUNCATE was rolled back too). `items` has a column the source lacks, whose default counts
 * the rows COPY writes and, at row STALL_AT, waits for an advisory lock the test holds (a default, not
 * a trigger: the copy lifts user triggers on tables it owns).
 */
export async function makeTarget(db: TestDatabase): Promise<void> {
  await db.query(`
    DROP TABLE IF EXISTS items, accounts, kv, notes, cutover_copy_journal;
    CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
    CREATE TABLE items (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), body text NOT NULL);
    INSERT INTO accounts VALUES (1, 'old@example.com'), (2, 'older@example.com');
    INSERT INTO items VALUES (1, 1, 'kept'), (2, 2, 'kept too');
    DROP SEQUENCE IF EXISTS stall_rows;
    CREATE SEQUENCE stall_rows;
    CREATE OR REPLACE FUNCTION stall_copy() RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE n bigint := nextval('stall_rows');
    BEGIN
      IF n = ${STALL_AT} THEN PERFORM pg_advisory_xact_lock(${STALL_LOCK}); END IF;
      RETURN n;
    END $$;
    ALTER TABLE items ADD COLUMN load_order bigint DEFAULT stall_copy();
    ALTER SEQUENCE stall_rows RESTART;`);
}

/** Holds the advisory lock the trigger waits for, on its own connection, until release(). */
export async function holdStall(db: TestDatabase): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [STALL_LOCK]);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.end();
    },
  };
}

/** md5 of every table's rows (in a stable order): "untouched" means equal before and after. */
export async function tableDigests(db: TestDatabase): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
  const digests: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const row = await db.query<{ md5: string }>(`SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM "${name}" t`);
    digests[name] = row.rows[0].md5;
  }
  return digests;
}

/** cutover's backends on the test database (any state), by application_name. */
export interface Backend {
  pid: number;
  application_name: string;
  state: string | null;
  wait_event_type: string | null;
  query: string;
}

export async function cutoverBackends(db: TestDatabase): Promise<Backend[]> {
  const result = await db.query<Backend>(
    `SELECT pid, application_name, state, wait_event_type, query FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'cutover%' AND pid <> pg_backend_pid()`,
    [db.name],
  );
  return result.rows;
}

/** Waits until cutover's load is blocked in the trigger at row STALL_AT (rows before it are in its open transaction). */
export function waitForStall(db: TestDatabase, run: RunningEntry): Promise<unknown> {
  return waitFor(`the copy to reach row ${STALL_AT} of items (output so far: ${run.output().slice(-2000)})`, async () => {
    if (run.exited()) throw new Error(`the run exited before it stalled: ${run.output()}`);
    const backends = await cutoverBackends(db);
    return backends.find((b) => b.wait_event_type === 'Lock' && /COPY/i.test(b.query)) ?? undefined;
  });
}

export interface RunningEntry {
  child: ChildProcess;
  pid: number;
  /** stdout and stderr interleaved as they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  exited(): boolean;
  /** Resolves with the exit code or the signal that ended it; rejects after `timeoutMs`. */
  exit(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when every holder of the output pipes is gone (all output read); rejects after `timeoutMs`. */
  closed(timeoutMs?: number): Promise<void>;
  /** Files of the Action's runtime (summary, outputs), for the Action entry. */
  summaryFile?: string;
}

/** Starts the Action (src/index.ts) with INPUT_* variables, or the CLI (src/cli.ts) with argv. */
export function startEntry(entry: { action: Record<string, string> } | { cli: string[] }, extraEnv: Record<string, string> = {}): RunningEntry {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extraEnv };
  let args: string[];
  let summaryFile: string | undefined;
  if ('action' in entry) {
    const dir = makeTempDir('cutover-lifecycle-run-');
    summaryFile = path.join(dir, 'summary.md');
    for (const name of ['summary.md', 'outputs', 'state']) fs.writeFileSync(path.join(dir, name), '');
    Object.assign(env, {
      RUNNER_TEMP: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: path.join(dir, 'outputs'),
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_STATE: path.join(dir, 'state'),
      GITHUB_WORKSPACE: process.cwd(),
    });
    for (const [name, value] of Object.entries(entry.action)) env[`INPUT_${name.toUpperCase()}`] = value;
    args = ['--import', './scripts/register-ts.mjs', 'src/index.ts'];
  } else {
    args = ['--import', './scripts/register-ts.mjs', 'src/cli.ts', ...entry.cli];
  }
  const child = spawn(NODE24, args, { env, cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => ((output += chunk.toString()), (stdout += chunk.toString())));
  child.stderr!.on('data', (chunk: Buffer) => ((output += chunk.toString()), (stderr += chunk.toString())));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const pipesClosed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const bounded = <T>(promise: Promise<T>, timeoutMs: number, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms; output: ${output}`)), timeoutMs).unref())]);
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    pid: child.pid!,
    output: () => output,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: () => done,
    exit: (timeoutMs = 30_000) => bounded(exited, timeoutMs, 'the run did not exit'),
    closed: (timeoutMs = 30_000) => bounded(pipesClosed, timeoutMs, 'the output pipes did not close'),
    ...(summaryFile ? { summaryFile } : {}),
  };
}

/** Direct children of `pid`, from /proc (Linux). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces), e.g. "S 1234 …": state, then ppid.
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we listed /proc.
    }
  }
  return children;
}

/** Whether `pid` is a live process (a zombie, dead but not yet reaped, counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A copy that loads in two transactions (two tables without foreign keys between them, jobs 2),
 * so it writes the commit journal in its commit phase: the one part of a copy a cancel does not
 * interrupt (src/copy/load/load-groups.ts).
 */
export async function makeTwoGroupSource(): Promise<string> {
  const file = path.join(makeTempDir('cutover-lifecycle-'), 'two-groups.db');
  await makeSqlite(file, `
    CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);
    CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO kv SELECT 'k' || i, 'v' || i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO notes SELECT i, 'note ' || i FROM n;`);
  return file;
}

/**
 * The two target tables, and the commit journal table locked by the test until release(): the
 * copy's commit phase then waits on it, with everything loaded and verified but nothing committed.
 */
export async function makeTwoGroupTargetWithHeldJournal(db: TestDatabase): Promise<{ release: () => Promise<void> }> {
  const { CopyJournal } = await import('../../src/copy/load/copy-journal.js');
  await db.query(`DROP TABLE IF EXISTS kv, notes, items, accounts, cutover_copy_journal; CREATE TABLE kv (k text PRIMARY KEY, v text); CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await new CopyJournal('public', 'held-by-test', 2).ensure(client);
  await client.query('BEGIN');
  // SHARE: the copy may read the journal (it looks for an interrupted run first), but not write it.
  await client.query('LOCK TABLE cutover_copy_journal IN SHARE MODE');
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

/** Waits until the copy's commit phase is blocked on the journal the test holds. */
export function waitForCommitPhase(db: TestDatabase, run: RunningEntry): Promise<unknown> {
  return waitFor(`the copy to reach its commit phase (output so far: ${run.output().slice(-2000)})`, async () => {
    if (run.exited()) throw new Error(`the run exited before its commit phase: ${run.output()}`);
    const backends = await cutoverBackends(db);
    return backends.find((b) => b.wait_event_type === 'Lock' && /INSERT INTO .*cutover_copy_journal/.test(b.query)) ?? undefined;
  });
}
