// Runs the action's TypeScript source through @github/local-action, GitHub's own tool for running an
// action locally (it reads inputs from a .env file and stands in for @actions/core).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('e2e_local_action');
});
afterAll(async () => {
  await db.drop();
});

function localAction(envFile: string): Promise<{ code: number | null; output: string }> {
  const bin = path.resolve('node_modules/.bin');
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, 'local-action'), ['run', '.', 'src/main.ts', envFile], {
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('migrate through local-action sets the outputs and applies every migration', async () => {
  const dir = makeTempDir('cutover-local-action-');
  const envFile = path.join(dir, '.env');
  fs.writeFileSync(
    envFile,
    [`INPUT_mode=migrate`, `INPUT_target-url=${db.url}`, `INPUT_migrations-dir=migrations`, `INPUT_comment=false`, `RUNNER_TEMP=${dir}`, `GITHUB_STEP_SUMMARY=${path.join(dir, 'summary.md')}`].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'summary.md'), '');
  const run = await localAction(envFile);
  expect(run.output).toContain('Running Action');
  expect(run.output).toMatch(/::set-output name=applied::\["001_create_users","002_create_orders","003_create_events","004_index_events_by_user_time"\]/);
  expect(run.output).toMatch(/::set-output name=pending::\[\]/);
  const history = await db.query('SELECT count(*)::int AS n FROM cutover_migrations');
  expect(history.rows[0].n).toBe(4);
  expect(run.output).not.toContain(new URL(db.url).password);
}, 120_000);
