// What a cancelled run says about the target, checked against the target itself: runMode with an
// AbortSignal that a recording runtime aborts at a chosen point of the run (after the migrations,
// when the load starts, after the commit), on real PostgreSQL and a real SQLite file.
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { CancelledError } from '../../src/errors.js';
import { recordingRuntime, type RecordedRuntime } from '../../src/runtime.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { engineRun } from '../helpers/engine-run.js';

const { dir, source, database, settings } = engineRun('cutover-cancel-');

/** A recording runtime that aborts `controller` (as a SIGTERM would) when `when` matches something it is told. */
function abortingRuntime(controller: AbortController, when: (event: { kind: 'info' | 'group-end'; text: string }) => boolean): RecordedRuntime {
  const runtime = recordingRuntime();
  const abort = () => controller.abort(new CancelledError('Cancelled (SIGTERM)'));
  const info = runtime.info;
  runtime.info = (message) => {
    info(message);
    if (when({ kind: 'info', text: message })) abort();
  };
  const group = runtime.group;
  runtime.group = async (title, fn) => {
    const value = await group(title, fn);
    if (when({ kind: 'group-end', text: title })) abort();
    return value;
  };
  return runtime;
}

async function rowCounts(db: TestDatabase): Promise<Record<string, number>> {
  const result = await db.query<{ u: number; o: number; e: number }>('SELECT (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM events)::int AS e');
  return result.rows[0];
}

async function appliedMigrations(db: TestDatabase): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cutover_migrations')).rows[0].n;
}

test('cutover cancelled between its migrations and its copy: the migrations stay, the copy never started', async () => {
  const target = await database('cancel_between');
  const controller = new AbortController();
  const runtime = abortingRuntime(controller, (e) => e.kind === 'group-end' && e.text === 'Migrate the target');
  const result = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runtime, process.env, controller.signal);
  expect(result.ok).toBe(false);
  expect(result.cancelled).toMatch(/^Cancelled \(SIGTERM\): the 4 migrations this run applied \(001_[^)]*\) stay applied \(the report has the command that undoes them\); the copy had not started; the target's tables are as the migrations left them\.$/);
  expect(result.error).toBe(result.cancelled);
  expect(await appliedMigrations(target)).toBe(4);
  expect(await rowCounts(target)).toEqual({ u: 0, o: 0, e: 0 });
  expect(result.rollback?.join(' ')).not.toMatch(/copy/i);
  expect(result.rollbackCommand).toMatch(/--steps 4$/);
});

test('cutover cancelled as its load starts: the copy is rolled back and the line says so', async () => {
  const target = await database('cancel_load');
  const controller = new AbortController();
  const runtime = abortingRuntime(controller, (e) => e.kind === 'info' && /^Copying \d+ tables? in/.test(e.text));
  const result = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runtime, process.env, controller.signal);
  expect(result.cancelled).toMatch(/^Cancelled \(SIGTERM\): the 4 migrations this run applied \(.*\) stay applied .*; the copy was rolled back; the target's tables are as the migrations left them\.$/);
  expect(await rowCounts(target)).toEqual({ u: 0, o: 0, e: 0 });
  expect(result.rollback).toContain("The copy was cancelled and rolled back: no row was written to the target's tables (the migrations this run applied remain; see above).");
});

test('copy cancelled after its commit: it completed, and the line says that instead', async () => {
  const target = await database('cancel_late');
  await runMode(settings({ mode: 'migrate', 'target-url': target.url }), recordingRuntime());
  const controller = new AbortController();
  const runtime = abortingRuntime(controller, (e) => e.kind === 'info' && /^Verified .* committed\.$/.test(e.text));
  const result = await runMode(settings({ mode: 'copy', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runtime, process.env, controller.signal);
  expect(controller.signal.aborted).toBe(true);
  expect(result.ok).toBe(true);
  expect(result.cancelled).toBe('Cancelled (SIGTERM), too late to stop the run, which completed: the copy was committed and verified: the target holds the copied rows.');
  expect(result.notes).toContain(result.cancelled);
  expect(await rowCounts(target)).toEqual({ u: 120, o: 300, e: 450 });
});

test('copy cancelled before it began: nothing was written', async () => {
  const target = await database('cancel_before');
  await runMode(settings({ mode: 'migrate', 'target-url': target.url }), recordingRuntime());
  const controller = new AbortController();
  controller.abort(new CancelledError('Cancelled (SIGINT)'));
  const result = await runMode(settings({ mode: 'copy', 'source-url': `sqlite:${source}`, 'target-url': target.url }), recordingRuntime(), process.env, controller.signal);
  expect(result.cancelled).toBe('Cancelled (SIGINT): the run stopped before it began; nothing was written.');
  expect(await rowCounts(target)).toEqual({ u: 0, o: 0, e: 0 });
});

test('verify cancelled mid-run returns at once: it only reads', async () => {
  const target = await database('cancel_verify');
  await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), recordingRuntime());
  const controller = new AbortController();
  // Abort on the first thing verify says; the run must not wait for the verification to finish.
  const runtime = abortingRuntime(controller, () => true);
  const result = await runMode(settings({ mode: 'verify', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runtime, process.env, controller.signal);
  expect(controller.signal.aborted).toBe(true);
  expect(result.cancelled).toBe('Cancelled (SIGTERM): verify only reads; neither database was written.');
  expect(result.verified).toBeNull();
});

test('dry-run cancelled when its copy starts: stops, says the real target was not written, the target untouched', async () => {
  const target = await database('cancel_dry_target');
  const dryRun = await database('cancel_dry_throwaway');
  await target.query('CREATE TABLE untouched (id int PRIMARY KEY); INSERT INTO untouched VALUES (1)');
  const controller = new AbortController();
  const runtime = abortingRuntime(controller, (e) => e.kind === 'info' && /^Copying the source data/.test(e.text));
  const result = await runMode(settings({ mode: 'dry-run', 'source-url': `sqlite:${source}`, 'target-url': target.url, 'dry-run-database': dryRun.url, comment: 'false' }), runtime, {}, controller.signal);
  expect(result.ok).toBe(false);
  expect(result.cancelled).toBe('Cancelled (SIGTERM): the dry run stopped before its end and its dry-run database keeps what it had applied or copied; the real target was not written.');
  expect(await rowCounts(dryRun)).toEqual({ u: 0, o: 0, e: 0 });
  expect((await target.query('SELECT count(*)::int AS n FROM untouched')).rows[0].n).toBe(1);
  expect((await target.query(`SELECT to_regclass('cutover_migrations') AS t`)).rows[0].t).toBeNull();
});
