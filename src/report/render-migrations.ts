// The migrations section of the report: one row per migration, with the ones that matter for review
// (new, applied now, pending, failed, drifted) in the main table and a long tail of migrations that
// were already applied folded away, so a project with hundreds of migrations still gets a short comment.
import type { MigrationEntry, MigrationStatus, RunResult } from '../run-result.js';
import { cell, clip, code, count, details, duration, plural, table, type Column } from './markdown.js';

const STATUS_LABELS: Record<MigrationStatus, string> = {
  applied: '✅ applied',
  pending: '⏳ pending',
  'already-applied': '☑️ already applied',
  failed: '❌ failed',
  'rolled-back': '↩️ rolled back',
  baselined: '📌 baselined',
  changed: '⚠️ changed since applied',
  'missing-file': '⚠️ file missing',
};

/** Already-applied migrations beyond this many rows go into a collapsed table. */
const FOLD_THRESHOLD = 15;
const ERROR_CELL_MAX = 300;

export function errorLocation(error: NonNullable<MigrationEntry['error']>): string | undefined {
  if (!error.file) return undefined;
  return error.line ? `${error.file}:${error.line}` : error.file;
}

function errorCell(entry: MigrationEntry): string {
  if (!entry.error) return '';
  const where = errorLocation(entry.error);
  const message = cell(clip(entry.error.message, ERROR_CELL_MAX));
  return where ? `${code(where)}<br>${message}` : message;
}

function columns(entries: MigrationEntry[]): Array<Column<MigrationEntry>> {
  const result: Array<Column<MigrationEntry>> = [{ header: 'Migration', render: (m) => code(m.name) }];
  if (entries.some((m) => m.isNew !== undefined)) {
    result.push({ header: 'New in this PR', align: 'center', render: (m) => (m.isNew ? '🆕 yes' : m.isNew === false ? 'no' : '—') });
  }
  result.push({ header: 'Status', render: (m) => STATUS_LABELS[m.status] ?? cell(m.status) });
  result.push({ header: 'Duration', align: 'right', render: (m) => (m.durationMs === undefined ? '—' : duration(m.durationMs)) });
  if (entries.some((m) => m.error)) result.push({ header: 'Error', render: errorCell });
  return result;
}

/** "3 applied · 1 pending · 2 new in this PR" */
export function migrationCounts(migrations: MigrationEntry[]): string {
  const order: MigrationStatus[] = ['applied', 'failed', 'pending', 'rolled-back', 'baselined', 'changed', 'missing-file', 'already-applied'];
  const parts = order
    .map((status) => ({ status, n: migrations.filter((m) => m.status === status).length }))
    .filter(({ n }) => n > 0)
    .map(({ status, n }) => `${count(n)} ${STATUS_LABELS[status].replace(/^\S+\s/, '')}`);
  const fresh = migrations.filter((m) => m.isNew).length;
  if (migrations.some((m) => m.isNew !== undefined)) parts.push(`${count(fresh)} new in this PR`);
  return parts.join(' · ');
}

/** Dry runs with measured new migrations: the full list is reference, folded. */
export function renderMigrationsFolded(result: RunResult): string | undefined {
  if (result.migrations.length === 0) return undefined;
  return details(`All ${plural(result.migrations.length, 'migration')}: ${migrationCounts(result.migrations)}`, table(columns(result.migrations), result.migrations));
}

export function renderMigrations(result: RunResult): string | undefined {
  const { migrations } = result;
  const showsMigrations = ['status', 'migrate', 'rollback', 'baseline', 'dry-run', 'cutover'].includes(result.mode);
  if (migrations.length === 0) {
    return showsMigrations ? '### Migrations\n\n_No migrations found._' : undefined;
  }
  const cols = columns(migrations);
  const parts = ['### Migrations', migrationCounts(migrations)];
  const quiet = migrations.filter((m) => m.status === 'already-applied' && !m.isNew && !m.error);
  if (migrations.length > FOLD_THRESHOLD && quiet.length > 0) {
    const loud = migrations.filter((m) => !quiet.includes(m));
    if (loud.length > 0) parts.push(table(cols, loud));
    parts.push(details(`${plural(quiet.length, 'migration')} already applied`, table(cols, quiet)));
  } else {
    parts.push(table(cols, migrations));
  }
  return parts.join('\n\n');
}
