// Redaction that keeps reports readable, run as a runner runs it (dist/ on Node 24): a common-word
// password (`postgres:postgres`, as in the example workflow) or a one-letter one is hidden inside the
// URL only, so the scheme, the user name and words such as "Fix" survive; a distinctive password that
// ends up in an error text is still masked in every output, the pull-request comment included.
import fs from 'node:fs';
import path from 'node:path';
import { quoteIdent, quoteLiteral } from '../../src/db/pg-identifiers.js';
import { startFakeGitHubApi, type FakeGitHubApi } from '../helpers/fake-github-api.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { runDistAction, runDistCli } from '../helpers/run-dist.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { VERSION } from '../../src/version.js';

// Markdown-special characters on purpose: the report escapes them, the redaction must still see them.
const DISTINCTIVE = 'Rq7_Zx*Ww|pk#2';
const ROLE = `redaction_probe_${process.pid}`;

let database: TestDatabase;
let api: FakeGitHubApi;
let eventPath: string;
let host: string;
let port: string;

beforeAll(async () => {
  database = await createTestDatabase('redaction');
  ({ hostname: host, port } = new URL(database.url));
  await withAdmin(async (client) => {
    await client.query(`CREATE ROLE ${quoteIdent(ROLE)} LOGIN PASSWORD ${quoteLiteral(DISTINCTIVE)}`);
    await client.query(`ALTER DATABASE ${quoteIdent(database.name)} OWNER TO ${quoteIdent(ROLE)}`);
  });
  api = await startFakeGitHubApi({ token: 'ghs_redaction_token', repository: 'acme/shop' });
  eventPath = path.join(makeTempDir('cutover-redaction-event-'), 'event.json');
  fs.copyFileSync('test/fixtures/events/pull_request.json', eventPath);
});
afterAll(async () => {
  await api.close();
  await database.drop();
  await withAdmin((client) => client.query(`DROP ROLE IF EXISTS ${quoteIdent(ROLE)}`));
});

const emptyMigrations = makeTempDir('cutover-redaction-none-');

test('postgres:postgres: the report keeps the scheme, the user and the database name; the password is hidden in the URL only', async () => {
  // The server's postgres password is another one, so this fails authentication: the report then
  // shows the URL, the endpoint and Postgres' own message naming the user.
  const url = `postgresql://postgres:postgres@${host}:${port}/postgres`;
  const run = await runDistAction({ mode: 'status', 'target-url': url, 'connect-attempts': '1', 'migrations-dir': emptyMigrations, comment: 'false' });
  expect(run.code).toBe(1);
  expect(run.summary).toContain(`postgresql://postgres:***@${host}:${port}/postgres`);
  expect(run.summary).toContain('user "postgres"');
  expect(run.summary).toContain('password authentication failed for user "postgres"');
  expect(run.stdout).toContain(`::error::Could not connect to input 'target-url' (host ${host}, port ${port}, database "postgres", user "postgres"`);
  for (const text of [run.summary, run.stdout, run.outputsFile]) expect(text).not.toContain('***ql');
  // Masking "postgres" job-wide would garble every later line: it is not registered, and the log says why.
  expect(run.stdout).not.toMatch(/^::add-mask::postgres$/m);
  expect(run.stdout).toContain("The password in input 'target-url' is the same as the user name: cutover hides it where it is written as a password");
  expect(run.stdout.match(/The password in input 'target-url'/g)).toHaveLength(1);
}, 60_000);

test('password x: "Fix" stays "Fix" in the CLI and in the Action', async () => {
  const url = `postgresql://postgres:x@${host}:${port}/postgres`;
  const cli = await runDistCli(['status', '--target', url, '--connect-attempts', '1', '--migrations-dir', emptyMigrations]);
  expect(cli.code).toBe(1);
  expect(cli.stderr).toContain('Fix: check the user name and password in --target-url');
  expect(cli.stderr).toContain("The password in --target-url is shorter than 8 characters");
  expect(cli.stdout).toContain(`npx cutover@${VERSION} status --target-url 'postgresql://postgres:***@${host}:${port}/postgres'`);
  expect(`${cli.stdout}${cli.stderr}`).not.toContain('Fi***');

  const action = await runDistAction({ mode: 'status', 'target-url': url, 'connect-attempts': '1', 'migrations-dir': emptyMigrations, comment: 'false' });
  expect(action.code).toBe(1);
  expect(action.summary).toContain('Fix: check the user name and password');
  expect(`${action.stdout}${action.summary}`).not.toContain('Fi***');
  expect(action.stdout).not.toMatch(/^::add-mask::x$/m);
}, 60_000);

function visible(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Every piece of the password long enough to identify it, raw or as Markdown would escape it. */
function leaks(text: string): string[] {
  const pieces = [DISTINCTIVE, encodeURIComponent(DISTINCTIVE), 'Rq7', 'Ww|pk', 'Ww\\|pk', 'pk#2', 'pk\\#2', 'Zx*Ww', 'Zx\\*Ww', 'Rq7\\_Zx'];
  return pieces.filter((piece) => text.includes(piece));
}

test('a distinctive password inside an error text is masked in logs, summary, outputs, report, PR comment and CLI output', async () => {
  const migrations = makeTempDir('cutover-redaction-migrations-');
  // An error whose text carries the password, as a misconfigured extension or a DO block might print it.
  writeFiles(migrations, {
    '001_leaky.up.sql': `DO $$ BEGIN RAISE EXCEPTION 'cannot log in with %', ${quoteLiteral(DISTINCTIVE)}; END $$;\n`,
  });
  const url = `postgresql://${ROLE}:${encodeURIComponent(DISTINCTIVE)}@${host}:${port}/${database.name}`;

  const action = await runDistAction(
    { mode: 'migrate', 'target-url': url, 'migrations-dir': migrations, 'github-token': 'ghs_redaction_token' },
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '78' },
  );
  expect(action.code).toBe(1);
  // The distinctive password is handed to the runner's masking, in its raw and encoded forms.
  expect(action.stdout).toMatch(new RegExp(`^::add-mask::${DISTINCTIVE.replace(/[|*#]/g, (c) => `\\${c}`)}$`, 'm'));
  expect(action.stdout).not.toContain('The password in input');
  const comment = api.comments.at(-1)?.body ?? '';
  // Markdown escapes the mask in the report; the logs show it as is.
  expect(comment).toContain('cannot log in with \\*\\*\\*');
  expect(action.summary).toContain('cannot log in with \\*\\*\\*');
  expect(action.stdout).toContain('cannot log in with ***');
  const report = fs.readFileSync(action.outputs.report, 'utf8');
  const actionTexts = { stdout: visible(action.stdout), stderr: action.stderr, summary: action.summary, outputs: action.outputsFile, report, comment };
  for (const [where, text] of Object.entries(actionTexts)) expect([where, leaks(text)]).toEqual([where, []]);

  for (const args of [
    ['migrate', '--target', url, '--migrations-dir', migrations],
    ['migrate', '--json', '--target', url, '--migrations-dir', migrations],
  ]) {
    const cli = await runDistCli(args);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('cannot log in with ***');
    for (const [where, text] of Object.entries({ stdout: cli.stdout, stderr: cli.stderr })) expect([args[1], where, leaks(text)]).toEqual([args[1], where, []]);
  }
}, 60_000);
