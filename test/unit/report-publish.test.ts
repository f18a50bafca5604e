// publishReport: file, step summary, outputs, and the sticky comment only on pull-request events.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishReport, reportOutputs } from '../../src/report/publish-report.js';
import { emptyResult, type RunResult } from '../../src/run-result.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type Settings } from '../../src/settings.js';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const events = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/events');
const token = 'ghs_publishtoken';
const password = 'pUbl1sh-s3cret';
let api: FakeGitHubApi;
let dir: string;

beforeEach(async () => {
  api = await startFakeGitHubApi({ token });
  dir = makeTempDir('cutover-publish-');
});
afterEach(async () => {
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function settings(extra: Record<string, string> = {}): Settings {
  return buildSettings(
    { mode: 'migrate', 'target-url': `postgresql://app:${password}@db.example.com/shop`, 'github-token': token, 'report-path': path.join(dir, 'out/report.md'), ...extra },
    { origin: 'action', cwd: dir, env: {} },
  );
}

function env(event: string, eventName: string): NodeJS.ProcessEnv {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: path.join(events, event),
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '555',
  };
}

const result: RunResult = {
  ...emptyResult('migrate'),
  target: 'postgresql://app:***@db.example.com:5432/shop',
  migrations: [
    { name: '001_users', status: 'already-applied' },
    { name: '002_orders', status: 'applied', durationMs: 12 },
    { name: '003_index', status: 'pending' },
  ],
  tables: [{ table: 'public.users', sourceRows: 3, targetRows: 3, checksumMatch: true, copiedRows: 3 }],
  verified: true,
  // A raw URL slipping into a result must still not be published.
  reproduce: `npx cutover migrate --target-url postgresql://app:${password}@db.example.com/shop`,
  durationMs: 900,
};

describe('reportOutputs', () => {
  test('applied, pending, tables and verified as GitHub output strings', () => {
    expect(reportOutputs(result)).toEqual({
      applied: '["002_orders"]',
      pending: '["003_index"]',
      tables: '[{"table":"public.users","sourceRows":3,"targetRows":3,"checksumMatch":true}]',
      history: '',
      verified: 'true',
      rejected: '',
      'schema-changes': '',
      warnings: String(result.warnings.length),
    });
    const rolled = { ...emptyResult('rollback'), migrations: [{ name: '002_orders', status: 'rolled-back' as const }] };
    // rolled back by this run, so pending again
    expect(reportOutputs(rolled)).toMatchObject({ applied: '["002_orders"]', pending: '["002_orders"]', tables: '[]', verified: '' });
  });
});

describe('publishReport', () => {
  test('a push run writes the file, the summary and the outputs, and does not comment', async () => {
    const runtime = recordingRuntime();
    const s = settings();
    await publishReport(result, s, runtime, env('push.json', 'push'));
    const file = fs.readFileSync(s.report.path, 'utf8');
    expect(file).toContain('## ✅ Migrate succeeded');
    expect(file).toContain('[workflow run](https://github.com/acme/shop/actions/runs/555)');
    expect(runtime.summary).toEqual([file]);
    expect(runtime.outputs).toEqual({ report: s.report.path, applied: '["002_orders"]', pending: '["003_index"]', tables: expect.any(String), verified: 'true', rejected: '', history: '', 'schema-changes': '', warnings: String(result.warnings.length) });
    expect(api.requests).toHaveLength(0);
    expect(file).not.toContain(password);
  });

  test('a pull_request run creates the sticky comment, the next run updates it', async () => {
    await publishReport(result, settings(), recordingRuntime(), env('pull_request.json', 'pull_request'));
    await publishReport({ ...result, ok: false, error: 'boom' }, settings(), recordingRuntime(), env('pull_request.json', 'pull_request'));
    expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/shop/issues/42/comments', `PATCH /repos/acme/shop/issues/comments/${api.comments[0].id}`]);
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0].body.startsWith('<!-- cutover:report:default -->\n## ❌ Migrate failed')).toBe(true);
    expect(api.comments[0].body).not.toContain(password);
  });

  test('comment-id selects the marker', async () => {
    await publishReport(result, settings({ 'comment-id': 'orders' }), recordingRuntime(), env('pull_request.json', 'pull_request'));
    expect(api.comments[0].body.split('\n')[0]).toBe('<!-- cutover:report:orders -->');
  });

  test('comment: false and a missing token do not comment', async () => {
    await publishReport(result, settings({ comment: 'false' }), recordingRuntime(), env('pull_request.json', 'pull_request'));
    const runtime = recordingRuntime();
    await publishReport(result, settings({ 'github-token': '' }), runtime, env('pull_request.json', 'pull_request'));
    expect(api.requests).toHaveLength(0);
    expect(runtime.logs.some((l) => l.level === 'warning' && l.message.includes('github-token'))).toBe(true);
  });

  test('a fork PR on pull_request gets a notice; on pull_request_target it is commented', async () => {
    const runtime = recordingRuntime();
    await publishReport(result, settings(), runtime, env('pull_request_fork.json', 'pull_request'));
    expect(api.requests).toHaveLength(0);
    expect(runtime.logs.some((l) => l.level === 'notice' && l.message.includes('fork'))).toBe(true);
    expect(runtime.summary).toHaveLength(1);

    await publishReport(result, settings(), recordingRuntime(), env('pull_request_fork.json', 'pull_request_target'));
    expect(api.writes()).toEqual([expect.objectContaining({ method: 'POST', path: '/repos/acme/shop/issues/57/comments' })]);
  });

  test('a 403 on the comment leaves the run alone: summary written, warning logged', async () => {
    api.fail('POST', /comments$/, 403, 'Resource not accessible by integration');
    const runtime = recordingRuntime();
    await expect(publishReport(result, settings(), runtime, env('pull_request.json', 'pull_request'))).resolves.toBeUndefined();
    expect(runtime.summary).toHaveLength(1);
    expect(runtime.logs.some((l) => l.level === 'warning' && l.message.includes('pull-requests: write'))).toBe(true);
  });
});
