// What the report says about create-tables, from the plan after the load: per created table what
// was created and what was not (with the SQLite text and the reason, including what Postgres
// refused), the renamed identifiers, and which tables already existed and were left as they were.
import type { CreatedTable, SchemaCreated } from '../../run-result.js';
import type { TablePlan } from './copy-plan.js';

export function schemaCreatedReport(tables: TablePlan[]): SchemaCreated {
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
  return { created, existing: tables.filter((t) => !t.ddl).map((t) => t.display) };
}

/** One log line for what could not be translated (the report lists it in full). */
export function notTranslatedWarning(schema: SchemaCreated): string | undefined {
  const items = schema.created.flatMap((t) => t.notTranslated.map((n) => `${t.table}: ${n.kind}`));
  if (items.length === 0) return undefined;
  const shown = items.slice(0, 8).join('; ');
  return `create-tables did not translate ${items.length} part${items.length === 1 ? '' : 's'} of the SQLite schema (the report's "Schema created" section gives the SQLite text and why): ${shown}${items.length > 8 ? `; … and ${items.length - 8} more` : ''}.`;
}
