// `cutover new <name>`: creates `<next id>_<slug>.up.sql` and `.down.sql`. The id continues the
// directory's style: zero-padded to the width already in use (001 when empty), or a UTC timestamp
// (YYYYMMDDHHMMSS) when the existing ids are timestamps.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, MigrationPlanError } from '../errors.js';

export interface ScaffoldedMigration {
  /** `<id>_<slug>` */
  name: string;
  id: string;
  /** Absolute paths of the files created. */
  upFile: string;
  downFile: string;
}

const ID_PREFIX = /^(\d+)_/;
const TIMESTAMP_WIDTH = 14;

export function migrationSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function timestampId(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, TIMESTAMP_WIDTH);
}

export function nextMigrationId(existingIds: string[], now = new Date()): string {
  if (existingIds.length === 0) return '001';
  const max = existingIds.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
  if (existingIds.every((id) => id.length === TIMESTAMP_WIDTH && /^(19|20)\d{2}[01]\d[0-3]\d/.test(id))) {
    const stamp = timestampId(now);
    return BigInt(stamp) > BigInt(max) ? stamp : (BigInt(max) + 1n).toString();
  }
  const width = Math.max(...existingIds.map((id) => id.length));
  const next = (BigInt(max) + 1n).toString();
  if (next.length > width) {
    throw new MigrationPlanError(`The next migration id would be ${next}, one digit wider than the existing ${width}-digit ids, which would sort before them as text.`, {
      fix: `rename the migrations that are not applied anywhere yet to ${width + 1}-digit ids, or write the file by hand with an id that sorts last (e.g. ${'9'.repeat(width)}…).`,
    });
  }
  return next.padStart(width, '0');
}

function upTemplate(name: string): string {
  return `-- Migration ${name}: applied by \`cutover migrate\`, in one transaction with its history row.
-- For statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY), put the marker
-- comment "cutover:no-transaction" on a line of its own, after two dashes.

`;
}

function downTemplate(name: string): string {
  return `-- Undo ${name}: run by \`cutover rollback\`. Reverse the up file's changes, last first.

`;
}

/** Creates the up/down pair in `dir` (created when missing) and returns their paths. */
export function scaffoldMigration(dir: string, name: string, options: { now?: Date } = {}): ScaffoldedMigration {
  const slug = migrationSlug(name);
  if (!slug) {
    throw new ConfigError(`The migration name '${name}' has no letters or digits to build a file name from.`, { fix: 'give a short description such as add_orders_table.' });
  }
  fs.mkdirSync(dir, { recursive: true });
  const ids = fs
    .readdirSync(dir)
    .map((file) => ID_PREFIX.exec(file)?.[1])
    .filter((id): id is string => id !== undefined);
  const id = nextMigrationId([...new Set(ids)], options.now);
  const migration = `${id}_${slug}`;
  const upFile = path.join(dir, `${migration}.up.sql`);
  const downFile = path.join(dir, `${migration}.down.sql`);
  // 'wx': never overwrite an existing file.
  fs.writeFileSync(upFile, upTemplate(migration), { flag: 'wx' });
  fs.writeFileSync(downFile, downTemplate(migration), { flag: 'wx' });
  return { name: migration, id, upFile, downFile };
}
