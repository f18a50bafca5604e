// Runs succeeding and failing commands (Action and CLI, from dist/) with a distinctive password and
// asserts that no form of it appears in stdout, stderr, the step summary, the outputs file or the
// report. The one place it may appear is the runner's own `::add-mask::` command, which the runner
// consumes (it is how core.setSecret works) — we assert that masking happened.
import fs from 'node:fs';
import path from 'node:path';
import { quoteIdent, quoteLiteral } from '../../src/db/pg-identifiers.js';
import { urlForDatabase, withAdmin } from '../helpers/postgres.js';
import { runDistAction, runDistCli } from '../helpers/run-dist.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

const PASSWORD = 'Lk9#Zq@v/x?P%w:Ok';
const WRONG = 'Lk9#Zq@v/x?P%w:Bad';
const ROLE = `leak_probe_${process.pid}`;
const DATABASE = `leak_probe_db_${process.pid}`;

function forms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  // raw, percent-encoded (upper- and lower-case hex), and a distinctive fragment of it
  return [secret, encoded, encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), 'Zq@v/x?P'];
}

function withPassword(password: string, port?: number): string {
  const url = new URL(urlForDatabase(DATABASE));
  return `postgresql://${ROLE}:${encodeURIComponent(password)}@${url.hostname}:${port ?? url.port}/${DATABASE}`;
}

beforeAll(async () => {
  await withAdmin(async (client) => {
    await client.query(`CREATE ROLE ${quoteIdent(ROLE)} LOGIN PASSWORD ${quoteLiteral(PASSWORD)}`);
    await client.query(`CREATE DATABASE ${quoteIdent(DATABASE)} OWNER ${quoteIdent(ROLE)}`);
  });
});
afterAll(async () => {
  await withAdmin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(DATABASE)} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${quoteIdent(ROLE)}`);
  });
});

function assertNoLeak(label: string, texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    const visible = text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of [...forms(PASSWORD), ...forms(WRONG)]) {
      if (visible.includes(secret)) throw new Error(`${label}: a form of the password (${JSON.stringify(secret.slice(0, 3))}…) appears in ${where}:\n${visible}`);
    }
  }
}

const migrationsDir = makeTempDir('cutover-leak-');
writeFiles(migrationsDir, { '001_t.up.sql': 'CREATE TABLE leak_t (id int);\n', '001_t.down.sql': 'DROP TABLE leak_t;\n' });

const actionCases: Array<[string, Record<string, string>, number]> = [
  ['migrate succeeds', { mode: 'migrate', 'target-url': withPassword(PASSWORD), 'migrations-dir': migrationsDir }, 0],
  ['status succeeds', { mode: 'status', 'target-url': withPassword(PASSWORD), 'migrations-dir': migrationsDir }, 0],
  ['wrong password', { mode: 'status', 'target-url': withPassword(WRONG), 'migrations-dir': migrationsDir }, 1],
  ['unencoded password in the URL', { mode: 'migrate', 'target-url': `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:5432/${DATABASE}` }, 1],
  ['unreachable port', { mode: 'migrate', 'target-url': withPassword(PASSWORD, 1), 'connect-attempts': '2', 'migrations-dir': migrationsDir }, 1],
  ['copy from a missing SQLite file', { mode: 'copy', 'source-url': 'sqlite:/nonexistent/app.db', 'target-url': withPassword(PASSWORD) }, 1],
  ['verify with a wrong source password', { mode: 'verify', 'source-url': withPassword(WRONG), 'target-url': withPassword(PASSWORD) }, 1],
];

test.each(actionCases)('action: %s leaks nothing', async (label, inputs, expectedCode) => {
  const run = await runDistAction({ comment: 'false', ...inputs });
  expect(run.code).toBe(expectedCode);
  expect(run.stdout).toContain('::add-mask::');
  const report = run.outputs.report && fs.existsSync(run.outputs.report) ? fs.readFileSync(run.outputs.report, 'utf8') : '';
  const files = fs.readdirSync(run.dir).map((f) => path.join(run.dir, f)).filter((f) => fs.statSync(f).isFile());
  assertNoLeak(label, {
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: run.outputsFile,
    report,
    ...Object.fromEntries(files.map((f) => [f, fs.readFileSync(f, 'utf8')])),
  });
});

test.each([
  ['migrate succeeds', ['migrate', '--target', withPassword(PASSWORD), '--migrations-dir', migrationsDir], 0],
  ['status --json', ['status', '--json', '--target', withPassword(PASSWORD), '--migrations-dir', migrationsDir], 0],
  ['wrong password', ['status', '--target', withPassword(WRONG), '--migrations-dir', migrationsDir], 1],
  ['unencoded password', ['status', '--target', `postgresql://${ROLE}:${PASSWORD}@127.0.0.1:5432/${DATABASE}`], 2],
] as Array<[string, string[], number]>)('CLI: %s leaks nothing', async (label, args, expectedCode) => {
  const run = await runDistCli(args);
  expect(run.code).toBe(expectedCode);
  assertNoLeak(label, { stdout: run.stdout, stderr: run.stderr });
});
