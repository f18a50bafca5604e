// The run-wide advisory lock: concurrent runs (in one process, and four separate processes) apply
// each migration exactly once; a lock held elsewhere makes a run wait, then fail naming the holder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CancelledError, formatError, LockTimeoutError } from '../../src/errors.js';
import { readMigrationFiles } from '../../src/migrate/migration-files.js';
import { acquireMigrationLock, LOCK_KEY } from '../../src/migrate/migration-lock.js';
import { recordingRuntime } from '../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { fixture, historyNames, rejection, resetSchema, run, tableExists } from './migrate-helpers.js';
import { NODE24 } from '../helpers/run-dist.js';

const CONCURRENT = ['001_create_runs', '002_insert_once', '003_insert_again'];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_lock');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

/** A separate session holding the migration lock, as another cutover run would. */
async function holdLock(applicationName: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: db.url, application_name: applicationName });
  await client.connect();
  const { rows } = await client.query('SELECT pg_backend_pid() AS pid, pg_advisory_lock($1, $2)', [LOCK_KEY[0], LOCK_KEY[1]]);
  return { client, pid: rows[0].pid };
}

/** Waiters poll (nothing open while they wait), so a waiter is seen by the line it logs. */
const isWaiting = (text: string) => text.includes('Waiting up to');

/** Starts the child that runs `migrate` once; `stderr()` is what it has logged so far. */
function startChild(dir: string): { done: Promise<{ code: number | null; stdout: string; stderr: string }>; stderr: () => string } {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = spawn(NODE24, ['--import', './scripts/register-ts.mjs', 'test/fixtures/run-migrations-child.ts', db.url, dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { done, stderr: () => stderr };
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function expectExactlyOnce(): Promise<void> {
  expect(await historyNames(db)).toEqual(CONCURRENT);
  const { rows } = await db.query('SELECT note, count(*)::int AS n FROM runs GROUP BY note ORDER BY note');
  expect(rows).toEqual([
    { note: 'inserted by 002', n: 1 },
    { note: 'inserted by 003', n: 1 },
  ]);
}

describe('migration lock', () => {
  test('two concurrent runs in one process: one applies, the other waits and finds nothing pending', async () => {
    const runtimes = [recordingRuntime(), recordingRuntime()];
    const outcomes = await Promise.all(runtimes.map((runtime) => run(db.location, fixture('migrations-concurrent'), { runtime })));
    const applied = outcomes.flatMap((o) => o.applied).sort();
    expect(applied).toEqual(CONCURRENT);
    expect(outcomes.map((o) => o.applied.length).sort()).toEqual([0, 3]);
    expect(outcomes.every((o) => o.pending.length === 0)).toBe(true);
    await expectExactlyOnce();
  });

  test('a held lock makes the run wait, then fail with LockTimeoutError naming the pid and application_name', async () => {
    const holder = await holdLock('other-deploy-job');
    try {
      const runtime = recordingRuntime();
      const started = Date.now();
      const error = await rejection(run(db.location, fixture('migrations-concurrent'), { lockTimeoutMs: 400, runtime }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      expect(error).toBeInstanceOf(LockTimeoutError);
      const text = formatError(error);
      expect(text).toContain(`backend pid ${holder.pid}`);
      expect(text).toContain("application_name 'other-deploy-job'");
      expect(text).toContain('Timed out after 400 ms');
      expect(text).toContain(`pg_terminate_backend(${holder.pid})`);
      expect(runtime.logs.some((l) => l.message.includes('Waiting up to 400 ms for the migration lock') && l.message.includes(`pid ${holder.pid}`))).toBe(true);
      // Nothing changed, not even the history table.
      expect(await tableExists(db, 'public.cutover_migrations')).toBe(false);

      // lock-timeout 0: fail at once.
      const immediate = await rejection(run(db.location, fixture('migrations-concurrent'), { lockTimeoutMs: 0 }));
      expect(immediate).toBeInstanceOf(LockTimeoutError);

      // status does not take the lock: it still answers.
      const status = await run(db.location, fixture('migrations-concurrent'), { mode: 'status', lockTimeoutMs: 0 });
      expect(status.pending).toEqual(CONCURRENT);
    } finally {
      await holder.client.end();
    }
  });

  test('a waiter polls with nothing open, reports progress naming the holder, and stops when cancelled', async () => {
    const holder = await holdLock('long-deploy');
    const client = new pg.Client({ connectionString: db.url, application_name: 'waiting-run' });
    await client.connect();
    try {
      const runtime = recordingRuntime();
      const controller = new AbortController();
      const waiting = acquireMigrationLock(client, { timeoutMs: 30_000, runtime, input: 'the test target', signal: controller.signal, progressEveryMs: 200 });
      await until(async () => runtime.logs.some((l) => l.message.startsWith('Still waiting')), 10_000);
      // Between polls the waiter has no statement and no transaction open; a sample may catch a poll.
      for (let sample = 0; sample < 5; sample++) {
        const { rows } = await db.query(`SELECT state, backend_xmin IS NULL AS no_snapshot, query FROM pg_stat_activity WHERE application_name = 'waiting-run'`);
        expect(rows).toHaveLength(1);
        if (rows[0].state !== 'idle') expect(rows[0]).toEqual({ state: 'active', no_snapshot: false, query: expect.stringContaining('pg_try_advisory_lock') });
        else expect(rows[0].no_snapshot).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      const progress = runtime.logs.find((l) => l.message.startsWith('Still waiting'))!.message;
      expect(progress).toContain(`backend pid ${holder.pid}`);
      expect(progress).toContain("application_name 'long-deploy'");
      controller.abort();
      const error = await rejection(waiting);
      expect(error).toBeInstanceOf(CancelledError);
      expect(error.message).toBe('Cancelled while waiting for the migration lock on the test target: no migration was run by this run.');
    } finally {
      await client.end();
      await holder.client.end();
    }
  });

  test('a run waiting for the lock computes what is pending only after it gets the lock', async () => {
    const dir = fixture('migrations-concurrent');
    const holder = await holdLock('first-run');
    const runtime = recordingRuntime();
    const waiting = run(db.location, dir, { lockTimeoutMs: 30_000, runtime });
    try {
      await until(async () => runtime.logs.some((l) => isWaiting(l.message)), 10_000);
      // While it waits, the lock holder (standing in for another cutover run) applies everything.
      const first = await run(db.location, dir, { lockTimeoutMs: 0 }).catch((error) => error);
      expect(first).toBeInstanceOf(LockTimeoutError);
      for (const file of readMigrationFiles(dir, { requireMigrations: true })) {
        if (file.name === '001_create_runs') {
          await holder.client.query('CREATE TABLE cutover_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer, applied_by text)');
        }
        await holder.client.query(fs.readFileSync(file.upPath, 'utf8'));
        await holder.client.query('INSERT INTO cutover_migrations (name, checksum, applied_by) VALUES ($1, $2, $3)', [file.name, file.checksum, 'first-run']);
      }
    } finally {
      await holder.client.end();
    }
    const outcome = await waiting;
    expect(outcome.applied).toEqual([]);
    expect(outcome.pending).toEqual([]);
    await expectExactlyOnce();
  });

  test('four migrate processes at once apply each migration exactly once', async () => {
    // Hold the lock until all four are queued on it, so they really contend.
    const holder = await holdLock('test-gate');
    const children = Array.from({ length: 4 }, () => startChild(fixture('migrations-concurrent')));
    try {
      await until(async () => children.every((c) => isWaiting(c.stderr())), 45_000);
    } finally {
      await holder.client.end();
    }
    const results = await Promise.all(children.map((c) => c.done));
    for (const result of results) expect({ code: result.code, stderr: result.stderr.replace(/.*ExperimentalWarning.*\n?/g, '') }).toEqual({ code: 0, stderr: expect.any(String) });
    const applied = results.map((r) => JSON.parse(r.stdout.trim().split('\n').pop()!).applied as string[]);
    expect(applied.flat().sort()).toEqual(CONCURRENT);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    await expectExactlyOnce();
    const { rows } = await db.query<{ applied_by: string }>('SELECT DISTINCT applied_by FROM cutover_migrations');
    expect(rows).toHaveLength(1);
    expect(rows[0].applied_by).toMatch(/^child \d+$/);
  }, 90_000);
});
