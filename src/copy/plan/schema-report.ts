// What the report says about create-tables, from the plan after the load: per created table what
// was created and what was not (with the SQLite text and the reason, including what Postgres
// refused), the renamed identifiers, and which tables already existed and were left as they were.
import type { CreatedTable, SchemaCreated } from '../../run-result.js';
import type { TablePlan } from './copy-plan.js';

const SKIPPED_REASONS: Record<string, string> = {
  view: 'create-tables makes tables only; create the view in Postgres yourself (SQLite SQL often needs changes)',
  trigger: 'create-tables does not translate triggers (Postgres triggers call a function); recreate its logic in Postgres',
};

export function schemaCreatedReport(tables: TablePlan[], others: Array<{ kind: 'view' | 'trigger'; name: string; table: string; sql: string }> = []): SchemaCreated {
  const created: CreatedTable[] = [];
  for (const table of tables) {
    if (!table.ddl) continue;
    const { objects, notTranslated, renames } = table.ddl;
    created.push({
      table: table.display,
      sqliteName: table.sourceName,
      columns: table.target.columns.length,
      objects: objects.filter((o) => !o.refused).map((o) => ({ kind: o.kind, ...(o.name ? { name: o.name } : {}), definition: o.definition, ...(o.note ? { note: o.note } : {}) })),
      notTranslated: [
        ...notTranslated.map((n) => ({ kind: n.kind, sqlite: n.sqlite, reason: n.reason })),
        ...objects.filter((o) => o.refused).map((o) => ({ kind: o.kind, sqlite: o.sqlite ?? o.definition, reason: `${o.refused} (translated as: ${o.definition})` })),
      ],
      renames: renames.map((r) => ({ kind: r.kind, from: r.from, to: r.to, why: r.why })),
    });
  }
  // Triggers of tables that are not copied are not this copy's business.
  const copied = new Set(tables.map((t) => t.sourceName.toLowerCase()));
  const skipped = others.filter((o) => o.kind === 'view' || copied.has(o.table.toLowerCase())).map((o) => ({ kind: o.kind, name: o.name, sqlite: o.sql, reason: SKIPPED_REASONS[o.kind] }));
  return { created, existing: tables.filter((t) => !t.ddl).map((t) => t.display), ...(skipped.length ? { skipped } : {}) };
}

/** One log line for what could not be translated (the report lists it in full). */
export function notTranslatedWarning(schema: SchemaCreated): string | undefined {
  const items = [...schema.created.flatMap((t) => t.notTranslated.map((n) => `${t.table}: ${n.kind}`)), ...(schema.skipped ?? []).map((s) => `${s.kind} ${s.name}`)];
  if (items.length === 0) return undefined;
  const shown = items.slice(0, 8).join('; ');
  return `create-tables did not translate ${items.length} part${items.length === 1 ? '' : 's'} of the SQLite schema (the report's "Schema created" section gives the SQLite text and why): ${shown}${items.length > 8 ? `; … and ${items.length - 8} more` : ''}.`;
}
