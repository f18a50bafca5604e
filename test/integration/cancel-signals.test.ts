// SIGINT / SIGTERM mid-copy through the real entries (the Action's src/index.ts and the CLI's
// src/cli.ts, each re-spawning its engine): the run stops, rolls back, leaves no backend, prints ONE
// line saying it was cancelled and what state the target is in, and exits 130 / 143 — also while the
// load waits on a lock an application holds. The commit phase is not interrupted; a second signal of
// the same kind exits at once.
import fs from 'node:fs';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { childPids, cutoverBackends, holdStall, isAlive, makeSource, makeTarget, makeTwoGroupSource, makeTwoGroupTargetWithHeldJournal, startEntry, tableDigests, waitFor, waitForCommitPhase, waitForStall, type RunningEntry } from './lifecycle-helpers.js';

const ROLLED_BACK = "the copy was rolled back; the target's tables are as they were before this run.";

let db: TestDatabase;
let source: string;
beforeAll(async () => {
  db = await createTestDatabase('cancel_signals');
  source = await makeSource();
});
afterAll(() => db.drop());

function start(kind: 'action' | 'cli'): RunningEntry {
  return kind === 'action'
    ? startEntry({ action: { mode: 'copy', 'source-url': source, 'target-url': db.url, 'if-target-not-empty': 'truncate', jobs: '1', comment: 'false' } })
    : startEntry({ cli: ['copy', '--source-url', source, '--target-url', db.url, '--if-target-not-empty', 'truncate', '--jobs', '1', '--verbose'] });
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

async function cleanUp(run: RunningEntry, stall: { release: () => Promise<void> }): Promise<void> {
  await stall.release();
  for (const pid of [run.pid, ...childPids(run.pid)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s mid-copy', (signal, exitCode) => {
  test.each(['action', 'cli'] as const)(`through the %s entry: rolled back, one line, exit ${exitCode}`, async (kind) => {
    await makeTarget(db);
    const before = await tableDigests(db);
    const stall = await holdStall(db);
    const run = start(kind);
    try {
      await waitForStall(db, run);
      const engine = childPids(run.pid);
      expect(engine).toHaveLength(1);

      const signalled = Date.now();
      run.child.kill(signal);
      // The load waits at the stalled row on a lock an "application" holds: the engine must stop
      // anyway, without waiting for that lock, and leave no backend holding the target's locks.
      const { code } = await run.exit();
      const exitedAfter = Date.now() - signalled;
      await run.closed();
      process.stdout.write(`${signal} (${kind}): exited ${exitedAfter} ms after the signal\n`);

      expect(code).toBe(exitCode);
      const line = `Cancelled (${signal}): ${ROLLED_BACK}`;
      // The log carries the line once: the CLI logs on stderr (stdout is the report), the Action on stdout.
      const log = kind === 'cli' ? run.stderr() : run.stdout();
      expect(occurrences(log, line)).toBe(1);
      if (kind === 'action') {
        expect(log).toContain(`::error::${line}`);
        // The report went out, stating the cancellation.
        const summary = fs.readFileSync(run.summaryFile!, 'utf8');
        expect(summary).toContain(line);
        expect(summary).toMatch(/^## ⏹️ Copy cancelled$/m);
      } else {
        expect(log).toContain(`cutover: ${line}`);
        expect(run.stdout()).toContain(line); // the Markdown report
      }
      expect(engine.filter(isAlive)).toEqual([]);
      await waitFor('cutover backends to disappear while the lock is still held', async () => ((await cutoverBackends(db)).length === 0 ? true : undefined), 10_000);
      await stall.release();
      expect(await tableDigests(db)).toEqual(before);
    } finally {
      await cleanUp(run, stall);
    }
  }, 60_000);

  test(`during the commit phase the first ${signal} waits for the commits; a second one exits at once`, async () => {
    const twoGroups = await makeTwoGroupSource();
    const journal = await makeTwoGroupTargetWithHeldJournal(db);
    const before = await tableDigests(db);
    const run = startEntry({ cli: ['copy', '--source-url', twoGroups, '--target-url', db.url, '--jobs', '2', '--verbose'] });
    try {
      await waitForCommitPhase(db, run);
      const engine = childPids(run.pid);
      run.child.kill(signal);
      await waitFor(`the engine to take the first ${signal}`, () => (run.output().includes(`Cancelling (${signal})`) ? true : undefined), 20_000);
      // The commit phase is not interrupted: the engine is still there a second later.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(run.exited()).toBe(false);
      run.child.kill(signal);
      const { code } = await run.exit();
      await run.closed();
      expect(code).toBe(exitCode);
      expect(run.stderr()).toMatch(new RegExp(`Stopped at once on a second ${signal}: work not yet committed is rolled back by the database as the connections close`));
      expect(run.stderr()).not.toContain(ROLLED_BACK); // it cannot know that, so it does not say it
      expect(engine.filter(isAlive)).toEqual([]);
      // The server drops the dead sessions while they still wait for the test's lock.
      await waitFor('cutover backends to disappear', async () => ((await cutoverBackends(db)).length === 0 ? true : undefined), 10_000);
      await journal.release();
      expect(await tableDigests(db)).toEqual(before);
    } finally {
      await journal.release();
      for (const pid of [run.pid, ...childPids(run.pid)]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
