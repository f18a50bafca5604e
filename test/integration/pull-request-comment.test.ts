// The sticky comment against a local HTTP server standing in for the GitHub REST API.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commentMarker, pullRequestFromEvent, upsertPullRequestComment, type UpsertCommentOptions } from '../../src/report/pull-request-comment.js';
import { recordingRuntime } from '../../src/runtime.js';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';

const events = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/events');
const token = 'ghs_faketoken';
let api: FakeGitHubApi;

beforeEach(async () => {
  api = await startFakeGitHubApi({ token });
});
afterEach(async () => {
  await api.close();
});

function options(overrides: Partial<UpsertCommentOptions> = {}): UpsertCommentOptions {
  return { token, apiUrl: api.url, repository: 'acme/shop', pullNumber: 42, body: '## ✅ Dry run passed\n', commentId: '', runtime: recordingRuntime(), ...overrides };
}

describe('upsertPullRequestComment', () => {
  test('the first run creates the comment, the second updates the same one', async () => {
    const first = await upsertPullRequestComment(options({ body: 'first report' }));
    expect(first.action).toBe('created');
    expect(first.url).toMatch(/^https:\/\/github\.com\/acme\/shop\/pull\/42#issuecomment-\d+$/);
    expect(api.comments).toHaveLength(1);
    const id = api.comments[0].id;
    expect(api.comments[0].body).toBe(`${commentMarker('')}\nfirst report`);

    const second = await upsertPullRequestComment(options({ body: 'second report' }));
    expect(second).toEqual({ action: 'updated', url: first.url });
    expect(api.comments).toHaveLength(1);
    expect(api.comments[0].body).toBe('<!-- cutover:report:default -->\nsecond report');
    expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/shop/issues/42/comments', `PATCH /repos/acme/shop/issues/comments/${id}`]);
    expect(api.requests.every((r) => r.authorization === `token ${token}`)).toBe(true);
    expect(api.requests.filter((r) => r.method === 'GET').every((r) => r.query.per_page === '100')).toBe(true);
  });

  test('two comment ids keep two comments', async () => {
    await upsertPullRequestComment(options({ commentId: 'orders-db', body: 'orders' }));
    await upsertPullRequestComment(options({ commentId: 'analytics-db', body: 'analytics' }));
    await upsertPullRequestComment(options({ commentId: 'orders-db', body: 'orders v2' }));
    expect(api.comments.map((c) => c.body)).toEqual(['<!-- cutover:report:orders-db -->\norders v2', '<!-- cutover:report:analytics-db -->\nanalytics']);
    expect(api.writes().map((r) => r.method)).toEqual(['POST', 'POST', 'PATCH']);
  });

  test('follows pagination to find the marker on a later page', async () => {
    for (let i = 0; i < 230; i += 1) api.seed(42, `LGTM ${i}`);
    const ours = api.seed(42, `${commentMarker('')}\nold report`, 'github-actions[bot]');
    api.seed(42, 'one more human comment');
    const result = await upsertPullRequestComment(options({ body: 'new report' }));
    expect(result.action).toBe('updated');
    expect(ours.body).toBe(`${commentMarker('')}\nnew report`);
    expect(api.requests.filter((r) => r.method === 'GET').map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(api.writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/repos/acme/shop/issues/comments/${ours.id}` })]);
  });

  test('a comment that merely quotes the marker later in its body is not hijacked', async () => {
    api.seed(42, `> quoting the bot:\n> ${commentMarker('')}`);
    const result = await upsertPullRequestComment(options());
    expect(result.action).toBe('created');
    expect(api.comments).toHaveLength(2);
  });

  test('a fork pull request gets a notice and no request at all', async () => {
    const runtime = recordingRuntime();
    const result = await upsertPullRequestComment(options({ isFork: true, runtime }));
    expect(result).toEqual({ action: 'skipped', reason: 'fork' });
    expect(api.requests).toHaveLength(0);
    expect(runtime.logs).toEqual([expect.objectContaining({ level: 'notice', message: expect.stringContaining('comes from a fork') })]);
  });

  test('403 on create is skipped with a warning that names the permission', async () => {
    api.fail('POST', /\/comments$/, 403, 'Resource not accessible by integration');
    const runtime = recordingRuntime();
    const result = await upsertPullRequestComment(options({ runtime }));
    expect(result).toEqual({ action: 'skipped', reason: 'forbidden' });
    const warning = runtime.logs.find((l) => l.level === 'warning')!;
    expect(warning.message).toContain('Resource not accessible by integration');
    expect(warning.message).toContain('permissions: pull-requests: write');
    expect(warning.message).toContain('step summary');
    expect(api.comments).toHaveLength(0);
  });

  test('404 when listing (private repo, token without access) is skipped too', async () => {
    api.fail('GET', /\/comments$/, 404, 'Not Found');
    const runtime = recordingRuntime();
    expect(await upsertPullRequestComment(options({ runtime }))).toEqual({ action: 'skipped', reason: 'forbidden' });
    expect(api.writes()).toHaveLength(0);
  });

  test('an exhausted rate limit is reported as such, not as a permission problem', async () => {
    api.fail('POST', /\/comments$/, 403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' });
    const runtime = recordingRuntime();
    expect(await upsertPullRequestComment(options({ runtime }))).toEqual({ action: 'skipped', reason: 'rate-limited' });
    expect(runtime.logs.find((l) => l.level === 'warning')!.message).toContain('rate limit');
  });

  test('a bad token and an unreachable API are warnings, never thrown', async () => {
    const runtime = recordingRuntime();
    expect(await upsertPullRequestComment(options({ token: 'wrong', runtime }))).toEqual({ action: 'skipped', reason: 'unauthorized' });
    expect(await upsertPullRequestComment(options({ apiUrl: 'http://127.0.0.1:1', runtime }))).toEqual({ action: 'skipped', reason: 'error' });
    expect(runtime.logs.filter((l) => l.level === 'warning')).toHaveLength(2);
    expect(runtime.logs.map((l) => l.message).join('\n')).not.toContain('wrong');
  });

  test('an oversize body is truncated under 65,536 characters with a pointer to the run', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `| \`${i}_migration_with_a_long_name\` | ✅ applied | ${i} ms |`).join('\n');
    expect(body.length).toBeGreaterThan(200_000);
    const summaryUrl = 'https://github.com/acme/shop/actions/runs/99';
    const result = await upsertPullRequestComment(options({ body, summaryUrl }));
    expect(result.action).toBe('created');
    const sent = api.writes()[0].body!.body!;
    expect(sent.length).toBeLessThan(65_536);
    expect(sent.startsWith(commentMarker(''))).toBe(true);
    expect(sent).toContain(`[step summary of this run](${summaryUrl})`);
  });

  test('honours an API URL with a path prefix (GitHub Enterprise Server)', async () => {
    await api.close();
    api = await startFakeGitHubApi({ token, prefix: '/api/v3' });
    expect((await upsertPullRequestComment(options())).action).toBe('created');
    expect(api.requests[0].path).toBe('/repos/acme/shop/issues/42/comments');
  });
});

describe('pullRequestFromEvent', () => {
  test('reads number, base and head SHAs from a pull_request payload', () => {
    expect(pullRequestFromEvent(path.join(events, 'pull_request.json'))).toEqual({
      number: 42,
      baseSha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      headSha: '9f2c1e4a7b3d8e6f0a1b2c3d4e5f60718293a4b5',
      isFork: false,
      repository: 'acme/shop',
    });
  });

  test('a head repository other than the base is a fork', () => {
    expect(pullRequestFromEvent(path.join(events, 'pull_request_fork.json'))).toMatchObject({ number: 57, isFork: true, repository: 'acme/shop' });
  });

  test('other events, missing and unreadable files give undefined', () => {
    expect(pullRequestFromEvent(path.join(events, 'push.json'))).toBeUndefined();
    expect(pullRequestFromEvent(path.join(events, 'nope.json'))).toBeUndefined();
    expect(pullRequestFromEvent(undefined)).toBeUndefined();
  });
});
