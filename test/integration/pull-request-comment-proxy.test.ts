// The sticky comment through a proxy, as on a self-hosted runner with HTTP(S)_PROXY: the API is
// addressed by a name that resolves nowhere (api.github.test), which only the local proxy maps to
// the fake GitHub API, so a comment that arrives came through the proxy. NO_PROXY is honoured.
import { upsertPullRequestComment, type UpsertCommentOptions } from '../../src/report/pull-request-comment.js';
import { recordingRuntime } from '../../src/runtime.js';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';

const token = 'ghs_proxytoken';
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const saved = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]));
let api: FakeGitHubApi;
let proxy: HttpProxy;
let apiUrl: string;
let target: string;

beforeEach(async () => {
  api = await startFakeGitHubApi({ token });
  const port = Number(new URL(api.url).port);
  proxy = await startHttpProxy({ 'api.github.test': { host: '127.0.0.1', port } });
  apiUrl = `http://api.github.test:${port}`;
  target = `api.github.test:${port}`;
  for (const name of PROXY_VARIABLES) delete process.env[name];
});
afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await proxy.close();
  await api.close();
});

function options(overrides: Partial<UpsertCommentOptions> = {}): UpsertCommentOptions {
  return { token, apiUrl, repository: 'acme/shop', pullNumber: 7, body: 'report', commentId: '', runtime: recordingRuntime(), ...overrides };
}

test('with HTTP_PROXY the comment is created, then updated, through the proxy', async () => {
  process.env.HTTP_PROXY = proxy.url;
  expect((await upsertPullRequestComment(options({ body: 'first' }))).action).toBe('created');
  expect((await upsertPullRequestComment(options({ body: 'second' }))).action).toBe('updated');
  expect(api.comments.map((c) => c.body)).toEqual(['<!-- cutover:report:default -->\nsecond']);
  expect(api.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
  expect(proxy.requests.length).toBeGreaterThan(0);
  expect(proxy.requests.every((r) => r.target === target)).toBe(true);
});

test('the lower-case http_proxy works too', async () => {
  process.env.http_proxy = proxy.url;
  expect((await upsertPullRequestComment(options())).action).toBe('created');
  expect(proxy.requests.length).toBeGreaterThan(0);
});

test('NO_PROXY naming the API host sends it direct: the name resolves nowhere, so a warning and no comment', async () => {
  process.env.HTTP_PROXY = proxy.url;
  process.env.NO_PROXY = 'localhost,.github.test';
  const runtime = recordingRuntime();
  expect(await upsertPullRequestComment(options({ runtime }))).toEqual({ action: 'skipped', reason: 'error' });
  expect(proxy.requests).toEqual([]);
  expect(api.requests).toEqual([]);
  expect(runtime.logs).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/could not read the comments on pull request #7 \(GET http:\/\/api\.github\.test:\d+\/\S+ failed: getaddrinfo ENOTFOUND api\.github\.test\)\. The report is in the step summary\./) })]);
});

test('without proxy variables nothing goes through the proxy', async () => {
  expect((await upsertPullRequestComment(options())).action).toBe('skipped');
  expect(proxy.requests).toEqual([]);
});
