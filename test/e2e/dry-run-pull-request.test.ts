// A pull request's dry run, as a runner runs it: dist/index.js on Node 24 with a real pull_request
// event payload, the local throwaway-Postgres provider, the example app's migrations and a SQLite
// source copied through them, and a local HTTP server standing in for the GitHub REST API.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM script without types
import { writeExampleAppDb } from '../../scripts/example-app-db.mjs';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';
import { runDistAction, type DistRun } from '../helpers/run-dist.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let api: FakeGitHubApi;
let eventPath: string;
let source: string;
const firstCommit = execFileSync('git', ['rev-list', '--max-parents=0', 'HEAD'], { encoding: 'utf8' }).trim().split('\n').pop()!;

beforeAll(async () => {
  api = await startFakeGitHubApi({ token: 'ghs_e2e_token', repository: 'acme/shop' });
  const dir = makeTempDir('cutover-e2e-pr-');
  // The real payload shape, with the base SHA pointing at this repository's first commit (before
  // migrations/ existed), so every migration is "new in this PR".
  const event = JSON.parse(fs.readFileSync('test/fixtures/events/pull_request.json', 'utf8'));
  event.pull_request.base.sha = firstCommit;
  eventPath = path.join(dir, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(event));
  source = path.join(dir, 'app.db');
  writeExampleAppDb(source, { users: 200, orders: 600, events: 900 });
});
afterAll(async () => {
  await api.close();
});

// The cluster directory this run started (RUNNER_TEMP, or the system temp dir when running as root);
// other test files start their own clusters at the same time, so look only for this one.
function throwawayDirOf(run: DistRun): string {
  const match = /Starting a throwaway PostgreSQL .* in (\S*cutover-pg-\S+)/.exec(run.stdout);
  if (!match) throw new Error(`no throwaway cluster started:\n${run.stdout}`);
  return match[1];
}

function postgresProcessesUnder(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', dir], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function dryRun(inputs: Record<string, string>): Promise<DistRun> {
  return runDistAction(
    { mode: 'dry-run', 'dry-run-database': 'local', 'github-token': 'ghs_e2e_token', ...inputs },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '77' },
  );
}

test('first run creates the sticky comment, the second updates the same one; the throwaway database is gone', async () => {
  const first = await dryRun({ 'source-url': `sqlite:${source}` });
  expect([first.code, first.stderr]).toEqual([0, '']);
  expect(JSON.parse(first.outputs.applied)).toEqual(['001_create_users', '002_create_orders', '003_create_events', '004_index_events_by_user_time']);
  expect(first.outputs.verified).toBe('true');
  expect(JSON.parse(first.outputs.tables)).toEqual(
    expect.arrayContaining([{ table: 'public.users', sourceRows: 200, targetRows: 200, checksumMatch: true }]),
  );
  expect(first.summary).toContain('Dry run');
  expect(first.summary).toMatch(/`001_create_users` \| 🆕 yes/);
  expect(fs.existsSync(throwawayDirOf(first))).toBe(false);
  expect(postgresProcessesUnder(throwawayDirOf(first))).toEqual([]);

  const second = await dryRun({ 'source-url': `sqlite:${source}` });
  expect(second.code).toBe(0);
  const writes = api.writes();
  expect(writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
  expect(writes[0].path).toBe('/repos/acme/shop/issues/42/comments');
  expect(api.comments).toHaveLength(1);
  expect(writes[1].path).toBe(`/repos/acme/shop/issues/comments/${api.comments[0].id}`);
  expect(api.comments[0].body).toMatch(/^<!-- cutover:report:default -->/);
  expect(api.comments[0].body).toContain('| `public.orders` | 600 | 600 | ✅ |');
  expect(writes.every((w) => w.authorization === 'token ghs_e2e_token')).toBe(true);
}, 120_000);

test('a failing migration fails the step, annotates the file, comments, and still removes the throwaway database', async () => {
  const dir = makeTempDir('cutover-e2e-pr-migrations-');
  for (const file of fs.readdirSync('migrations')) fs.copyFileSync(path.join('migrations', file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, '005_broken.up.sql'), "ALTER TABLE users ADD COLUMN nickname text;\nUPDATE users\n  SET nickname = nme;\n");
  const run = await dryRun({ 'migrations-dir': dir, 'comment-id': 'broken' });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/::error [^\n]*file=[^\n]*005_broken\.up\.sql,line=3/);
  expect(run.summary).toContain('005_broken');
  expect(run.summary).toMatch(/failed/);
  const comment = api.comments.find((c) => c.body.startsWith('<!-- cutover:report:broken -->'));
  expect(comment?.body).toContain('005_broken');
  expect(fs.existsSync(throwawayDirOf(run))).toBe(false);
  expect(postgresProcessesUnder(throwawayDirOf(run))).toEqual([]);
}, 120_000);

test('a fork PR gets a notice and the step summary, not a failed job', async () => {
  const event = JSON.parse(fs.readFileSync('test/fixtures/events/pull_request_fork.json', 'utf8'));
  const forkEvent = path.join(makeTempDir('cutover-e2e-fork-'), 'event.json');
  fs.writeFileSync(forkEvent, JSON.stringify(event));
  const before = api.writes().length;
  const run = await runDistAction(
    { mode: 'dry-run', 'dry-run-database': 'local', 'github-token': 'ghs_e2e_token' },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: forkEvent, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop' },
  );
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/::notice[^\n]*fork/i);
  expect(run.summary).toContain('001_create_users');
  expect(api.writes().length).toBe(before);
}, 120_000);
