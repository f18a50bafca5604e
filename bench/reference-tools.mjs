// The reference tools cutover is measured against, each as a `load()` for measureLoad: pgloader and
// the raw `sqlite3 -csv | psql \copy` pipe for SQLite → Postgres; `pg_dump -a | psql` and pgcopydb
// for Postgres → Postgres. Each loads into the same server as cutover does.
import fs from 'node:fs';
import path from 'node:path';
import { ensureTool, quote, run, runShell } from './system-tools.mjs';

/** The Debian packages the reference scenarios need; each entry → { ok, path } | { ok: false, reason }. */
export function ensureReferenceTools(log) {
  return {
    pgloader: ensureTool('pgloader', 'pgloader', log),
    pgcopydb: ensureTool('pgcopydb', 'pgcopydb', log),
    sqlite3: ensureTool('sqlite3', 'sqlite3', log),
    psql: ensureTool('psql', 'postgresql-client', log),
    pg_dump: ensureTool('pg_dump', 'postgresql-client', log),
    time: ensureTool('/usr/bin/time', 'time', log),
  };
}

export async function toolVersions(tools) {
  const versions = {};
  const probes = {
    pgloader: ['pgloader', ['--version']],
    pgcopydb: ['pgcopydb', ['--version']],
    sqlite3: ['sqlite3', ['--version']],
    psql: ['psql', ['--version']],
    pg_dump: ['pg_dump', ['--version']],
  };
  for (const [name, [command, args]] of Object.entries(probes)) {
    if (!tools[name]?.ok) continue;
    const result = await run(command, args);
    const text = `${result.stdout}\n${result.stderr}`;
    const line = text.split('\n').find((l) => /version|\d+\.\d+/.test(l) && !/INFO|compiled|compatible/.test(l)) ?? '';
    const pgcopydb = /Running pgcopydb version (\S+)/.exec(text)?.[1];
    versions[name] = pgcopydb ? `pgcopydb ${pgcopydb}` : name === 'sqlite3' ? `sqlite3 ${line.trim().split(' ')[0]}` : line.trim().slice(0, 80);
  }
  return versions;
}

function outcomeOf(result, what) {
  const log = `$ ${what}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
  if (result.code !== 0) {
    const last = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean).slice(-2).join(' / ');
    return { ok: false, reason: `${what.split(' ')[0]} exited with ${result.code}: ${last.slice(0, 300)}`, log };
  }
  return { ok: true, log };
}

/** pgloader with its defaults into an empty database: it creates the tables itself, as users run it. */
export function pgloaderLoad({ file, targetUrl, workDir }) {
  return async () => {
    fs.mkdirSync(workDir, { recursive: true });
    // prefetch rows = 10000 (default 100000): with the default, SBCL's heap ran out ("Heap exhausted,
    // game over") on this dataset in one run of three, and it was slower (30.5 s vs 23.7 s at 2M rows).
    // The smaller prefetch is pgloader's documented workaround and makes the reference stronger, not weaker.
    const args = ['--root-dir', workDir, '--with', 'prefetch rows = 10000', `sqlite://${file}`, targetUrl];
    const result = await run('pgloader', args);
    const outcome = outcomeOf(result, `pgloader ${args.join(' ')}`);
    // pgloader exits 0 with rows rejected into its root-dir: the row count in measureLoad catches that.
    return outcome;
  };
}

// Per-table SELECTs for the raw pipe. The only conversion is the one CSV cannot carry: BLOBs
// become bytea hex text. Booleans 0/1, ISO and 'YYYY-MM-DD HH:MM:SS' text parse as-is in Postgres.
const RAW_PIPE_TABLES = [
  ['users', 'id, email, name, is_admin, created_at, avatar, bio', "id, email, name, is_admin, created_at, CASE WHEN avatar IS NULL THEN NULL ELSE '\\x' || hex(avatar) END, bio"],
  ['orders', 'id, user_id, total, status, placed_at, note', 'id, user_id, total, status, placed_at, note'],
  ['events', 'id, user_id, kind, payload, occurred_at', 'id, user_id, kind, payload, occurred_at'],
];

/** `sqlite3 -csv … | psql -c '\copy … from stdin csv'`, one table after another in FK order. */
export function rawPipeLoad({ file, targetUrl }) {
  return async () => {
    const logs = [];
    for (const [table, columns, select] of RAW_PIPE_TABLES) {
      const script = `sqlite3 -csv ${quote(file)} ${quote(`SELECT ${select} FROM ${table} ORDER BY id`)} | psql -q -X -v ON_ERROR_STOP=1 ${quote(targetUrl)} -c ${quote(`\\copy ${table} (${columns}) from stdin csv`)}`;
      const result = await runShell(script);
      const outcome = outcomeOf(result, script);
      logs.push(outcome.log);
      if (!outcome.ok) return { ...outcome, log: logs.join('\n') };
    }
    return { ok: true, log: logs.join('\n') };
  };
}

/** `pg_dump -a | psql` into the prepared schema: data only, one stream, FK order from pg_dump. */
export function pgDumpLoad({ sourceUrl, targetUrl }) {
  return async () => {
    const script = `pg_dump -a ${quote(sourceUrl)} | psql -q -X -v ON_ERROR_STOP=1 ${quote(targetUrl)} >/dev/null`;
    const result = await runShell(script);
    return outcomeOf(result, script);
  };
}

/** `pgcopydb copy table-data` into the prepared schema, --table-jobs like cutover's jobs. */
export function pgcopydbLoad({ sourceUrl, targetUrl, jobs, workDir }) {
  return async () => {
    fs.rmSync(workDir, { recursive: true, force: true });
    const args = ['copy', 'table-data', '--source', sourceUrl, '--target', targetUrl, '--table-jobs', String(jobs), '--dir', workDir];
    const result = await run('pgcopydb', args);
    fs.rmSync(workDir, { recursive: true, force: true });
    return outcomeOf(result, `pgcopydb ${args.join(' ')}`);
  };
}

export const REFERENCE_NOTES = {
  pgloader: 'pgloader 3.6 into an empty database, prefetch rows = 10000 (creates its own tables: json, real; then indexes and FKs)',
  rawPipe: 'sqlite3 -csv | psql \\copy per table, into the prepared schema',
  pgDump: 'pg_dump -a | psql into the prepared schema',
  pgcopydb: 'pgcopydb copy table-data into the prepared schema',
};

export const WORK_DIRS = (outDir) => ({ pgloader: path.join(outDir, 'work', 'pgloader'), pgcopydb: path.join(outDir, 'work', 'pgcopydb') });
