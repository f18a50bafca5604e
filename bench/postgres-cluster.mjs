// The benchmark's Postgres: a throwaway cluster from Debian's server binaries (every tool loads into
// the same server, so the comparison is fair), or an existing server given with --pg URL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureTool, run } from './system-tools.mjs';

// Settings for a disposable benchmark server: durability off (fsync, full-page writes), checkpoints
// rare so no tool pays for another's dirty pages by chance; the run also checkpoints between tools.
const SERVER_SETTINGS = [
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'shared_buffers=256MB',
  'maintenance_work_mem=256MB',
  'max_wal_size=8GB',
  'checkpoint_timeout=30min',
  'max_connections=60',
];

function serverBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  // pgcopydb from Debian 12 supports servers up to 15: prefer 15 when several are installed.
  const chosen = versions.includes('15') ? '15' : versions[0];
  return chosen ? path.join(root, chosen, 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function asPostgresUser(command, args) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Starts a cluster (or adopts --pg URL). Returns { url(db), admin(), stop(), version, postmasterPid, describe }. */
export async function startPostgres({ pgUrl, log }) {
  if (pgUrl) return adopt(pgUrl);
  let binDir = serverBinDir();
  if (!binDir) {
    const installed = ensureTool('pg_ctlcluster', 'postgresql', log);
    if (!installed.ok) throw new Error(`no PostgreSQL server binaries and none installable: ${installed.reason}`);
    binDir = serverBinDir();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-bench-pg-'));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    fs.chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  const [initCmd, initArgs] = asPostgresUser(path.join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const init = await run(initCmd, initArgs);
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr.trim()}`);
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...SERVER_SETTINGS.map((s) => `-c ${s}`)].join(' ');
  const [ctlCmd, ctlArgs] = asPostgresUser(path.join(binDir, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', options, 'start']);
  const start = await run(ctlCmd, ctlArgs);
  if (start.code !== 0) throw new Error(`pg_ctl start failed: ${start.stderr.trim() || start.stdout.trim()}\n${fs.existsSync(path.join(dir, 'log')) ? fs.readFileSync(path.join(dir, 'log'), 'utf8') : ''}`);
  const base = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const postmasterPid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const version = await serverVersion(base);
  return {
    url: (database) => withDatabase(base, database),
    version,
    postmasterPid,
    describe: `throwaway cluster, ${binDir.split('/').at(-2)} (${path.dirname(binDir)}), ${SERVER_SETTINGS.join(' ')}`,
    async stop() {
      const [stopCmd, stopArgs] = asPostgresUser(path.join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      await run(stopCmd, stopArgs);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adopt(pgUrl) {
  const version = await serverVersion(pgUrl);
  return { url: (database) => withDatabase(pgUrl, database), version, postmasterPid: null, describe: 'server given with --pg', stop: async () => undefined };
}

async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** Runs statements on one database and returns the last result's rows. */
export async function sql(url, statements) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let result;
    for (const statement of [statements].flat()) result = await client.query(statement);
    return result?.rows ?? [];
  } finally {
    await client.end();
  }
}

/** Drops and recreates `database`, optionally applying schema SQL to it. */
export async function freshDatabase(server, database, schemaSql) {
  await sql(server.url('postgres'), [`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`, `CREATE DATABASE "${database}"`]);
  if (schemaSql) await sql(server.url(database), schemaSql);
  return server.url(database);
}

export async function dropDatabase(server, database) {
  await sql(server.url('postgres'), `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

/** Row counts per table; a missing table counts as -1 so it can never pass for loaded. */
export async function countRows(url, tables, schema = 'public') {
  const counts = {};
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of tables) {
      const exists = (await client.query('SELECT to_regclass($1) AS oid', [`"${schema}"."${table}"`])).rows[0].oid;
      counts[table] = exists ? Number((await client.query(`SELECT count(*) AS n FROM "${schema}"."${table}"`)).rows[0].n) : -1;
    }
  } finally {
    await client.end();
  }
  return counts;
}
