// kill -9 of the process a runner (or a user) started: the engine must not outlive it. The entry
// re-spawns the engine in a child Node for heap flags (src/heap-flags.ts); SIGKILL cannot be caught
// or forwarded, so the child has to notice on its own that its parent is gone, and stop.
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { childPids, cutoverBackends, holdStall, isAlive, makeSource, makeTarget, makeTwoGroupSource, makeTwoGroupTargetWithHeldJournal, startEntry, tableDigests, waitFor, waitForCommitPhase, waitForStall } from './lifecycle-helpers.js';

let db: TestDatabase;
let source: string;
beforeAll(async () => {
  db = await createTestDatabase('process_orphan');
  source = await makeSource();
});
afterAll(() => db.drop());

test.each([
  ['the Action (src/index.ts)', 'action'],
  ['the CLI (src/cli.ts)', 'cli'],
] as const)('kill -9 of %s mid-copy: no cutover process or backend remains, and nothing is written', async (_label, kind) => {
  await makeTarget(db);
  const before = await tableDigests(db);
  const stall = await holdStall(db);
  const run = startEntry(
    kind === 'action'
      ? { action: { mode: 'copy', 'source-url': source, 'target-url': db.url, 'if-target-not-empty': 'truncate', jobs: '1', comment: 'false' } }
      : { cli: ['copy', '--source-url', source, '--target-url', db.url, '--if-target-not-empty', 'truncate', '--jobs', '1'] },
  );
  try {
    await waitForStall(db, run);
    const engine = childPids(run.pid);
    expect(engine).toHaveLength(1); // the re-spawned engine

    run.child.kill('SIGKILL');
    await run.exit();
    // Let the stalled load go on: a surviving engine would now finish the copy and commit it.
    await stall.release();

    const started = Date.now();
    await waitFor('the engine child to end after its parent was killed', () => (engine.some(isAlive) ? undefined : true), 30_000);
    await waitFor('cutover backends to disappear', async () => ((await cutoverBackends(db)).length === 0 ? true : undefined), 30_000);
    process.stdout.write(`kill -9 (${kind}): engine and backends gone ${Date.now() - started} ms after the stall was released\n`);

    // The engine's output still reaches the pipes it inherited: it said what it left.
    expect(run.output()).toContain("Cancelled (the process that started cutover ended): the copy was rolled back; the target's tables are as they were before this run.");

    // Give anything still alive a chance to commit, then check that nothing was written.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(engine.filter(isAlive)).toEqual([]);
    expect(await cutoverBackends(db)).toEqual([]);
    expect(await tableDigests(db)).toEqual(before);
  } finally {
    await stall.release();
    for (const pid of [run.pid, ...childPids(run.pid)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}, 60_000);

test('kill -9 while the engine is in its commit phase (which a cancel does not interrupt): it still ends, by its deadline', async () => {
  const twoGroups = await makeTwoGroupSource();
  const journal = await makeTwoGroupTargetWithHeldJournal(db);
  const before = await tableDigests(db);
  const run = startEntry({ action: { mode: 'copy', 'source-url': twoGroups, 'target-url': db.url, jobs: '2', comment: 'false' } });
  try {
    await waitForCommitPhase(db, run);
    const engine = childPids(run.pid);
    expect(engine).toHaveLength(1);
    run.child.kill('SIGKILL');
    await run.exit();
    const killed = Date.now();
    // The journal stays locked: the commit phase cannot finish, so only the deadline ends the engine.
    await waitFor('the engine child to end while its commit phase still waits', () => (engine.some(isAlive) ? undefined : true), 30_000);
    process.stdout.write(`kill -9 (commit phase held): engine gone ${Date.now() - killed} ms after its parent was killed\n`);
    expect(run.output()).toMatch(/Stopped: the process that started cutover ended and the run did not stop within \d+ s; work not yet committed is rolled back by the database as the connections close/);
    await waitFor('cutover backends to disappear', async () => ((await cutoverBackends(db)).length === 0 ? true : undefined), 10_000);
    await journal.release();
    expect(await tableDigests(db)).toEqual(before);
  } finally {
    await journal.release();
    for (const pid of [run.pid, ...childPids(run.pid)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}, 60_000);
