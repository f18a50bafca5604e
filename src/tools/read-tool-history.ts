// Reads what a migration tool records as applied, from its own history table, read-only, and turns
// the states a tool gets stuck in (a golang-migrate `dirty` flag, a failed Prisma or Flyway
// migration) into a problem with the tool's own fix.
import type { FoundHistoryTable, HistoryReader } from './find-history-tables.js';
import type { ToolId } from './history-layouts.js';

export type RecordState = 'applied' | 'failed' | 'rolled-back' | 'dirty';

export interface RecordedMigration {
  /** The tool's key: an Alembic revision, Django `app.name`, a Prisma directory name, a version. */
  id: string;
  description?: string;
  appliedAt?: string;
  durationMs?: number;
  state: RecordState;
}

export interface ToolProblem {
  message: string;
  fix: string;
}

export interface ToolHistory {
  tool: ToolId;
  table: FoundHistoryTable;
  /** In the order the tool applied them (Alembic: its current heads; golang-migrate: its one version row). */
  records: RecordedMigration[];
  problems: ToolProblem[];
}

function isoOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 't' || value === 'true';

type Reader = (table: FoundHistoryTable, reader: HistoryReader) => Promise<Omit<ToolHistory, 'tool' | 'table'>>;

const READERS: Record<ToolId, Reader> = {
  async alembic(table, reader) {
    const rows = await reader.rows(`SELECT version_num FROM ${table.sql} ORDER BY version_num`);
    return { records: rows.map((r) => ({ id: String(r.version_num), state: 'applied' })), problems: [] };
  },
  async django(table, reader) {
    const rows = await reader.rows(`SELECT app, name, applied FROM ${table.sql} ORDER BY applied, app, name`);
    return { records: rows.map((r) => ({ id: `${r.app}.${r.name}`, ...(isoOf(r.applied) ? { appliedAt: isoOf(r.applied)! } : {}), state: 'applied' })), problems: [] };
  },
  async prisma(table, reader) {
    const rows = await reader.rows(`SELECT migration_name, started_at, finished_at, rolled_back_at, logs FROM ${table.sql} ORDER BY started_at, migration_name`);
    const problems: ToolProblem[] = [];
    const records = rows.map((r): RecordedMigration => {
      const id = String(r.migration_name);
      const state: RecordState = r.rolled_back_at != null ? 'rolled-back' : r.finished_at == null ? 'failed' : 'applied';
      const appliedAt = isoOf(r.finished_at ?? r.started_at);
      const logs = text(r.logs)?.trim().split('\n')[0];
      if (state === 'failed') {
        problems.push({
          message: `Prisma migration ${id} started at ${isoOf(r.started_at)} and did not finish (finished_at is empty${logs ? `; its log: ${logs}` : ''}): it failed, or is running right now. Prisma applies no further migration while it stands (error P3009).`,
          fix: `undo or complete what ${id} changed by hand, then record the outcome with \`npx prisma migrate resolve --rolled-back ${id}\` (or \`--applied ${id}\` when you completed it) and run \`npx prisma migrate deploy\` again.`,
        });
      }
      return { id, state, ...(appliedAt ? { appliedAt } : {}) };
    });
    return { records, problems };
  },
  async flyway(table, reader) {
    const rows = await reader.rows(`SELECT installed_rank, version, description, type, installed_on, execution_time, success FROM ${table.sql} ORDER BY installed_rank`);
    const problems: ToolProblem[] = [];
    const records: RecordedMigration[] = [];
    for (const r of rows) {
      // SCHEMA rows mark schemas Flyway created, DELETE rows entries `repair` removed: not migrations.
      if (r.type === 'SCHEMA' || r.type === 'DELETE') continue;
      const version = text(r.version);
      const id = version ?? `R ${r.description}`;
      const failed = !truthy(r.success);
      if (failed) {
        problems.push({
          message: `Flyway records migration ${id} (${r.description}) as failed (success = false): Flyway refuses to migrate while a failed migration is in ${table.display}.`,
          fix: 'undo what the failed migration changed by hand, then run `flyway repair` (it removes the failed entry) and `flyway migrate` again.',
        });
      }
      const appliedAt = isoOf(r.installed_on);
      records.push({ id, description: String(r.description), state: failed ? 'failed' : 'applied', ...(appliedAt ? { appliedAt } : {}), ...(r.execution_time != null ? { durationMs: Number(r.execution_time) } : {}) });
    }
    return { records, problems };
  },
  async 'golang-migrate'(table, reader) {
    const rows = await reader.rows(`SELECT version, dirty FROM ${table.sql}`);
    const problems: ToolProblem[] = [];
    const records = rows.map((r): RecordedMigration => {
      const version = String(r.version);
      if (truthy(r.dirty)) {
        problems.push({
          message: `golang-migrate's ${table.display} says version ${version} is dirty: the migration to ${version} failed part-way, and golang-migrate refuses to run ("Dirty database version ${version}. Fix and force version.").`,
          fix: `undo or complete by hand what migration ${version} did, then run \`migrate -path <migrations dir> -database "$DATABASE_URL" force <version>\` with the version the database now matches (${version} if you completed it, the one before it if you undid it).`,
        });
      }
      return { id: version, state: truthy(r.dirty) ? 'dirty' : 'applied' };
    });
    return { records, problems };
  },
  async dbmate(table, reader) {
    const rows = await reader.rows(`SELECT version FROM ${table.sql} ORDER BY version`);
    return { records: rows.map((r) => ({ id: String(r.version), state: 'applied' })), problems: [] };
  },
  async supabase(table, reader) {
    const name = table.columns.includes('name') ? ', name' : '';
    const rows = await reader.rows(`SELECT version${name} FROM ${table.sql} ORDER BY version`);
    return { records: rows.map((r) => ({ id: String(r.version), ...(text(r.name) ? { description: String(r.name) } : {}), state: 'applied' })), problems: [] };
  },
  async cutover(table, reader) {
    const rows = await reader.rows(`SELECT name, applied_at FROM ${table.sql} ORDER BY name`);
    return { records: rows.map((r) => ({ id: String(r.name), ...(isoOf(r.applied_at) ? { appliedAt: isoOf(r.applied_at)! } : {}), state: 'applied' })), problems: [] };
  },
};

export async function readToolHistory(table: FoundHistoryTable, reader: HistoryReader): Promise<ToolHistory> {
  const read = await READERS[table.layout.tool](table, reader);
  return { tool: table.layout.tool, table, ...read };
}
