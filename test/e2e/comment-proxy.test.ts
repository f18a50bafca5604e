// The Action's bundle (dist/index.js) posts its pull-request comment through HTTP_PROXY, as on a
// self-hosted runner behind a proxy: GITHUB_API_URL names a host only the local proxy can reach.
import fs from 'node:fs';
import path from 'node:path';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { runDistAction } from '../helpers/run-dist.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let api: FakeGitHubApi;
let proxy: HttpProxy;
let db: TestDatabase;
let eventPath: string;

beforeAll(async () => {
  api = await startFakeGitHubApi({ token: 'ghs_proxy_e2e', repository: 'acme/shop' });
  proxy = await startHttpProxy({ 'api.github.test': { host: '127.0.0.1', port: Number(new URL(api.url).port) } });
  db = await createTestDatabase('e2e_comment_proxy');
  eventPath = path.join(makeTempDir('cutover-proxy-event-'), 'event.json');
  fs.copyFileSync('test/fixtures/events/pull_request.json', eventPath);
});
afterAll(async () => {
  await db.drop();
  await proxy.close();
  await api.close();
});

test('a status run on a pull_request event comments through HTTP_PROXY', async () => {
  const run = await runDistAction(
    { mode: 'status', 'target-url': db.url, 'github-token': 'ghs_proxy_e2e' },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: `http://api.github.test:${new URL(api.url).port}`, GITHUB_REPOSITORY: 'acme/shop', HTTP_PROXY: proxy.url },
  );
  expect([run.code, run.stderr]).toEqual([0, '']);
  expect(run.stdout).toContain('Commented on pull request #42');
  expect(api.comments).toHaveLength(1);
  expect(api.comments[0].body).toMatch(/^<!-- cutover:report:default -->\n/);
  expect(proxy.requests.length).toBeGreaterThan(0);
  expect(proxy.requests.every((r) => r.target.startsWith('api.github.test:'))).toBe(true);
});
