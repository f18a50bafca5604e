// The machine's limit for loading the bench dataset into bench/schema.sql: Postgres ingesting COPY
// text that is already rendered (no client work beyond psql reading a file), measured two ways in the
// same run as everything else:
//   - into the full schema, keys and indexes in place (each row maintains every index and fires the
//     foreign-key triggers), one table after another;
//   - into bare tables (the same schema with every index and constraint dropped before the clock
//     starts), two connections loading, then the indexes and keys re-created from their exact
//     definitions (pg_get_indexdef / pg_get_constraintdef) spread over two connections, foreign keys
//     last. That second figure is "the limit" cutover's copies are measured against.
// The COPY text is dumped once (untimed) from the Postgres source the raw pipe filled.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TABLES } from './measure-load.mjs';
import { quote, run, runShell } from './system-tools.mjs';

/** The columns every tool loads, per table (the identity ids included). */
async function tableColumns(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = {};
    for (const table of TABLES) {
      const { rows } = await client.query(`SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS c FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, [table]);
      columns[table] = rows[0].c;
    }
    return columns;
  } finally {
    await client.end();
  }
}

/** Dumps each table's COPY text once into `dir` (cached by dataset); returns { table: file }. */
export async function prerenderCopyText({ sourceUrl, dir, log }) {
  fs.mkdirSync(dir, { recursive: true });
  const files = Object.fromEntries(TABLES.map((t) => [t, path.join(dir, `${t}.copy`)]));
  if (TABLES.every((t) => fs.existsSync(files[t]))) return files;
  const columns = await tableColumns(sourceUrl);
  for (const table of TABLES) {
    const partial = `${files[table]}.partial`;
    const result = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', sourceUrl, '-c', `\\copy (SELECT ${columns[table]} FROM ${table} ORDER BY id) TO ${quote(partial)}`]);
    if (result.code !== 0) throw new Error(`dumping ${table} as COPY text failed: ${result.stderr.trim()}`);
    fs.renameSync(partial, files[table]);
  }
  log(`COPY text pre-rendered in ${path.relative(process.cwd(), dir)} (${TABLES.map((t) => `${t} ${(fs.statSync(files[t]).size / 2 ** 20).toFixed(0)} MB`).join(', ')})`);
  return files;
}

function copyCommand(url, table, columns, file) {
  return `psql -X -q -v ON_ERROR_STOP=1 ${quote(url)} -c ${quote(`\\copy ${table} (${columns}) FROM ${quote(file)}`)}`;
}

/** Keys in place: users, orders, events one after another in one shell (each \copy commits). */
export function prerenderedFullSchemaLoad({ targetUrl, files, columns }) {
  return async () => {
    const script = TABLES.map((t) => copyCommand(targetUrl, t, columns[t], files[t])).join(' && ');
    const result = await runShell(script);
    return result.code === 0 ? { ok: true, log: `$ ${script}\n${result.stderr}` } : { ok: false, reason: `psql exited with ${result.code}: ${result.stderr.trim().slice(0, 300)}`, log: result.stderr };
  };
}

/**
 * Untimed set-up of the bare-tables scenario: reads every index and constraint of the freshly
 * created schema, then drops them (foreign keys first). Returns what the timed load re-creates.
 */
export async function stripToBareTables(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: constraints } = await client.query(
      `SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c WHERE c.conrelid = ANY($1::regclass[]) AND c.contype IN ('p', 'u', 'f', 'x') ORDER BY c.contype = 'f' DESC, c.conname`,
      [TABLES],
    );
    const { rows: indexes } = await client.query(
      `SELECT x.indrelid::regclass::text AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = ANY($1::regclass[]) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)`,
      [TABLES],
    );
    for (const c of constraints) await client.query(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
    for (const i of indexes) await client.query(`DROP INDEX ${quoteIdent(i.name)}`);
    const builds = [
      ...constraints.filter((c) => c.type !== 'f').map((c) => ({ table: c.table, sql: `ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` })),
      ...indexes.map((i) => ({ table: i.table, sql: i.def })),
    ];
    const foreignKeys = constraints.filter((c) => c.type === 'f').map((c) => ({ table: c.table, sql: `ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.def}` }));
    return { builds, foreignKeys };
  } finally {
    await client.end();
  }
}

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Greedy longest-first split of jobs over `lanes` by weight. */
function lanesOf(items, weight, lanes) {
  const out = Array.from({ length: lanes }, () => ({ load: 0, items: [] }));
  for (const item of [...items].sort((a, b) => weight(b) - weight(a))) {
    const lane = out.reduce((best, l) => (l.load < best.load ? l : best));
    lane.items.push(item);
    lane.load += weight(item);
  }
  return out.map((l) => l.items).filter((l) => l.length > 0);
}

/** Bare tables: COPY over `jobs` connections, then the builds over `jobs` connections, foreign keys last. */
export function prerenderedBareThenBuildLoad({ targetUrl, files, columns, builds, foreignKeys, jobs }) {
  return async () => {
    const size = (table) => fs.statSync(files[table]).size;
    const logs = [];
    const copyLanes = lanesOf(TABLES, (t) => fs.statSync(files[t]).size, jobs);
    const copies = await Promise.all(copyLanes.map((lane) => runShell(lane.map((t) => copyCommand(targetUrl, t, columns[t], files[t])).join(' && '))));
    const failedCopy = copies.find((r) => r.code !== 0);
    if (failedCopy) return { ok: false, reason: `psql exited with ${failedCopy.code}: ${failedCopy.stderr.trim().slice(0, 300)}` };
    const phase = async (statements) => {
      await Promise.all(lanesOf(statements, (s) => size(s.table), jobs).map(async (lane) => {
        const client = new pg.Client({ connectionString: targetUrl });
        await client.connect();
        try {
          for (const statement of lane) {
            const started = performance.now();
            await client.query(statement.sql);
            logs.push(`${((performance.now() - started) / 1000).toFixed(2)} s  ${statement.sql}`);
          }
        } finally {
          await client.end();
        }
      }));
    };
    try {
      await phase(builds);
      await phase(foreignKeys);
    } catch (error) {
      return { ok: false, reason: `building keys failed: ${error.message}`, log: logs.join('\n') };
    }
    return { ok: true, log: logs.join('\n') };
  };
}

export { tableColumns };
