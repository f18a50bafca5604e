// A dry run killed mid-way (a cancelled job: the runner kills the step's process tree) leaves its throwaway Postgres running; the Action's post
// step (dist/post/index.js), given the state the main step saved, removes it.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { NODE24, parseOutputsFile, runDistAction } from '../helpers/run-dist.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { childPids } from '../integration/lifecycle-helpers.js';

function postgresProcesses(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', dir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function startSlowDryRun(): Promise<{ main: ReturnType<typeof spawn>; clusterDir: string; stateValue: string; log: () => string }> {
  const dir = makeTempDir('cutover-post-');
  const migrations = path.join(dir, 'migrations');
  writeFiles(migrations, { '001_slow.up.sql': 'SELECT pg_sleep(60);\n' });
  const stateFile = path.join(dir, 'state');
  fs.writeFileSync(stateFile, '');
  const main = spawn(NODE24, [path.resolve('dist/index.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RUNNER_TEMP: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_STATE: stateFile,
      'INPUT_MODE': 'dry-run',
      'INPUT_DRY-RUN-DATABASE': 'local',
      'INPUT_MIGRATIONS-DIR': migrations,
      INPUT_COMMENT: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the test can kill the whole tree as the runner does on cancellation
    // (dist/index.js runs the engine in a child process: see src/heap-flags.ts).
    detached: true,
  });
  let log = '';
  main.stdout.on('data', (d) => (log += d));
  // Wait until the migration is running on the throwaway server.
  const deadline = Date.now() + 60_000;
  while (!/Applying 1 migration/.test(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(log).toMatch(/Applying 1 migration/);
  const state = parseOutputsFile(fs.readFileSync(stateFile, 'utf8'));
  expect(state.throwaway).toBeTruthy();
  const clusterDir = path.dirname(state.throwaway);
  expect(postgresProcesses(clusterDir).length).toBeGreaterThan(0);

  return { main, clusterDir, stateValue: state.throwaway, log: () => log };
}

test('SIGKILL of the whole process tree, then the post step removes the server and its directory', async () => {
  const { main, clusterDir, stateValue } = await startSlowDryRun();
  // The engine child runs in its own process group (src/heap-flags.ts): kill both, as a runner that
  // kills every process of the job would.
  const engine = childPids(main.pid!);
  expect(engine).toHaveLength(1);
  process.kill(-main.pid!, 'SIGKILL');
  for (const pid of engine) process.kill(pid, 'SIGKILL');
  await new Promise((r) => main.on('close', r));
  expect(fs.existsSync(clusterDir)).toBe(true);
  expect(postgresProcesses(clusterDir).length).toBeGreaterThan(0);

  const post = await runDistAction({}, { STATE_throwaway: stateValue }, 'dist/post/index.js');
  expect([post.code, post.stderr]).toEqual([0, '']);
  expect(fs.existsSync(clusterDir)).toBe(false);
  expect(postgresProcesses(clusterDir)).toEqual([]);
}, 120_000);

test('SIGKILL of only the top process: the engine notices, removes the throwaway itself, and the post step has nothing left to do', async () => {
  const { main, clusterDir, stateValue, log } = await startSlowDryRun();
  process.kill(-main.pid!, 'SIGKILL');
  await new Promise((r) => main.on('close', r));
  const deadline = Date.now() + 30_000;
  while ((fs.existsSync(clusterDir) || postgresProcesses(clusterDir).length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(fs.existsSync(clusterDir)).toBe(false);
  expect(postgresProcesses(clusterDir)).toEqual([]);
  expect(log()).toMatch(/Cancelled \(the process that started cutover ended\): the dry run stopped before its end and its throwaway database is removed; the real target was not written\./);
  const post = await runDistAction({}, { STATE_throwaway: stateValue }, 'dist/post/index.js');
  expect([post.code, post.stderr]).toEqual([0, '']);
}, 120_000);
