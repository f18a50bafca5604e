// What another tool's migrate-command did on the throwaway database in a dry run, measured from the
// outside: the tool's statements run on its own connections, so cutover cannot time them one by one
// as it does its own migrations. Measured around the PR's run, on the data the dry run loaded first:
// - the schema diff (the same as for cutover's migrations: src/dry-run/schema/);
// - the tables rewritten (a new relfilenode) and how many rows they hold;
// - the relation locks the tool's sessions held, sampled every SAMPLE_MS from a monitor connection.
//   The throwaway is this run's alone, so every other backend in it is the tool's. A sample sees what
//   is held at that instant: a lock held for less than that can be missed, and the report says so.
import type pg from 'pg';
import { connectPostgres } from '../../db/postgres-connect.js';
import type { PostgresLocation } from '../../db/database-url.js';
import type { CommandImpact, Finding, LockMode } from '../../dry-run/dry-run-report.js';
import { dropFindings, LONG_LOCK_MS } from '../../dry-run/measure/impact-rules.js';
import { isLockMode, lockStrength } from '../../dry-run/measure/lock-modes.js';
import { readCatalogState, qualifiedName } from '../../dry-run/measure/catalog-state.js';
import { diffSchemas } from '../../dry-run/schema/schema-diff.js';
import { readSchema } from '../../dry-run/schema/schema-snapshot.js';
import { countTables } from '../../dry-run/table-counts.js';
import type { Settings } from '../../settings.js';
import { HISTORY_TABLE_NAMES } from '../history-layouts.js';

export const SAMPLE_MS = 50;

/** Relation locks other backends of this database hold right now (not on migration history tables). */
async function sampleOthersLocks(monitor: pg.Client): Promise<Array<{ relation: string; mode: LockMode }>> {
  const { rows } = await monitor.query<{ relation: string; mode: string }>(
    `SELECT format('%s.%s', quote_ident(n.nspname), quote_ident(c.relname)) AS relation, l.mode
       FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        AND c.relname <> ALL ($1::text[])`,
    [HISTORY_TABLE_NAMES],
  );
  return rows.filter((r) => isLockMode(r.mode)).map((r) => ({ relation: r.relation, mode: r.mode as LockMode }));
}

/** Runs `run` (the PR's migrate-command) and measures what it did; a failing run is measured too. */
export async function measureCommand<T>(location: PostgresLocation, settings: Settings, run: () => Promise<T>): Promise<{ value?: T; error?: unknown; impact: CommandImpact }> {
  const monitor = await connectPostgres(location, {
    input: 'the throwaway database',
    attempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    applicationName: `cutover/${settings.mode}/${settings.runId} measure`,
  });
  try {
    const before = await readSchema(monitor);
    const counts = await countTables(monitor, { columns: true });
    const files = await readCatalogState(monitor);
    const strongest = new Map<string, LockMode>();
    // ACCESS EXCLUSIVE per table: the first and the last sample that saw it (held at least that long).
    const exclusive = new Map<string, { first: number; last: number }>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = Date.now();
        for (const { relation, mode } of await sampleOthersLocks(monitor).catch(() => [])) {
          const held = strongest.get(relation);
          if (!held || lockStrength(mode) > lockStrength(held)) strongest.set(relation, mode);
          if (mode === 'AccessExclusiveLock') exclusive.set(relation, { first: exclusive.get(relation)?.first ?? now, last: now });
        }
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
    })();
    let value: T | undefined;
    let error: unknown;
    try {
      value = await run();
    } catch (failure) {
      error = failure;
    } finally {
      sampling = false;
      await sampler;
    }
    const after = await readSchema(monitor);
    const filesAfter = await readCatalogState(monitor);
    const countsAfter = await countTables(monitor, { columns: false });
    const rewritten: CommandImpact['rewritten'] = [];
    for (const [oid, relation] of filesAfter.relations) {
      const old = files.relations.get(oid);
      if (!old || !['r', 'm'].includes(relation.relkind) || old.relfilenode === relation.relfilenode) continue;
      const name = qualifiedName(relation);
      rewritten.push({ table: name, rows: countsAfter.get(name)?.rows ?? counts.get(qualifiedName(old))?.rows ?? 0 });
    }
    const schemaChanges = diffSchemas(before, after, counts);
    const baseTables = new Set(counts.keys());
    // `migration` is filled in by the caller, which knows what the run applied.
    const findings: Finding[] = [
      ...rewritten.filter((r) => r.rows > 0 && baseTables.has(r.table)).map((r): Finding => ({ rule: 'table-rewrite', migration: '', table: r.table, rows: r.rows, sampled: true })),
      ...[...exclusive]
        .filter(([relation, seen]) => baseTables.has(relation) && seen.last - seen.first >= LONG_LOCK_MS)
        .map(([relation, seen]): Finding => ({ rule: 'long-exclusive-lock', migration: '', table: relation, durationMs: seen.last - seen.first, mode: 'AccessExclusiveLock', sampled: true })),
      ...dropFindings(schemaChanges, ''),
    ];
    const impact: CommandImpact = {
      sampledEveryMs: SAMPLE_MS,
      locks: [...strongest].map(([relation, mode]) => ({ relation, mode })).sort((a, b) => lockStrength(b.mode) - lockStrength(a.mode) || a.relation.localeCompare(b.relation)),
      rewritten,
      schemaChanges,
      findings,
    };
    return { ...(error === undefined ? { value: value as T } : { error }), impact };
  } finally {
    await monitor.end().catch(() => undefined);
  }
}
