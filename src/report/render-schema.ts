// The "Schema created" section (copy with create-tables): which tables were created and which
// existed, per created table its keys, indexes, foreign keys, checks and defaults, then everything
// that was not translated (with the SQLite text and the reason) and every renamed identifier.
// Pure; pinned by golden files in test/golden/.
import type { CreatedTable, RunResult } from '../run-result.js';
import { cell, clip, code, count, details, plural, table, type Column } from './markdown.js';

const TABLES_OPEN = 25;
const SQL_SHOWN = 160;

type Objects = CreatedTable['objects'];

function items(objects: Objects, kinds: string[], render: (o: Objects[number]) => string): string {
  return objects.filter((o) => kinds.includes(o.kind)).map(render).join('<br>') || '—';
}

const named = (o: Objects[number]) => (o.name ? `${code(o.name)} ${code(o.definition)}` : code(o.definition));

function keysCell(t: CreatedTable): string {
  const identity = t.objects.some((o) => o.kind === 'identity' && /GENERATED/.test(o.definition));
  const keys = [
    ...t.objects.filter((o) => o.kind === 'primary key').map((o) => `PK ${code(o.definition)}${identity ? ' identity' : ''}`),
    ...t.objects.filter((o) => o.kind === 'identity' && /continues after/.test(o.definition)).map((o) => `sequence ${code(o.definition)}`),
    ...t.objects.filter((o) => o.kind === 'unique').map((o) => `UNIQUE ${named(o)}`),
  ];
  return keys.join('<br>') || '—';
}

const COLUMNS: Array<Column<CreatedTable>> = [
  { header: 'Table', render: (t) => code(t.table) },
  { header: 'Columns', align: 'right', render: (t) => count(t.columns) },
  { header: 'Keys', render: keysCell },
  { header: 'Indexes', render: (t) => items(t.objects, ['index'], named) },
  { header: 'Foreign keys', render: (t) => items(t.objects, ['foreign key'], (o) => code(o.definition)) },
  { header: 'Checks', render: (t) => items(t.objects, ['check'], (o) => code(o.definition)) },
  { header: 'Defaults', render: (t) => items(t.objects, ['default'], (o) => code(o.definition)) },
];

function headline(created: CreatedTable[], existing: string[]): string {
  const made = created.length === 0 ? 'No table was created (create-tables)' : `Created ${plural(created.length, 'table')} from the SQLite schema (create-tables)`;
  if (existing.length === 0) return `${made}; no table existed already.`;
  const were = existing.length === 1 ? 'table already existed and was left as it was' : 'tables already existed and were left as they were';
  return `${made}; ${count(existing.length)} ${were}: ${existing.map((t) => code(t)).join(', ')}.`;
}

export function renderSchemaCreated(result: RunResult): string | undefined {
  const schema = result.schema;
  if (!schema) return undefined;
  const { created, existing } = schema;
  const parts = ['### Schema created', headline(created, existing)];
  if (created.length > 0) {
    const grid = table(COLUMNS, created);
    parts.push(created.length > TABLES_OPEN ? details(`What was created, per table (${count(created.length)})`, grid) : grid);
  }
  const notes = created.flatMap((t) => t.objects.filter((o) => o.note && o.kind !== 'identity').map((o) => `- ${code(t.table)} ${o.kind}${o.name ? ` ${code(o.name)}` : ''}: ${cell(o.note!)}`));
  if (notes.length > 0) parts.push(`Changed on the way:\n\n${notes.join('\n')}`);
  const untranslated = [
    ...created.flatMap((t) => t.notTranslated.map((n) => `- ${code(t.table)} ${n.kind}: ${code(n.sqlite)} — ${cell(n.reason)}`)),
    ...(schema.skipped ?? []).map((s) => `- ${s.kind} ${code(s.name)}: ${code(clip(s.sqlite.replace(/\s+/g, ' '), SQL_SHOWN))} — ${cell(s.reason)}`),
  ];
  if (created.length > 0 || untranslated.length > 0) {
    parts.push(untranslated.length > 0
      ? `#### Not translated (${count(untranslated.length)})\n\n${untranslated.join('\n')}`
      : 'Every key, index, foreign key, check and default of the SQLite schema was translated.');
  }
  const renames = created.flatMap((t) => t.renames.map((r) => `- ${code(t.table)} ${r.kind} ${code(r.from)} → ${code(r.to)}: ${cell(r.why)}`));
  if (renames.length > 0) parts.push(`#### Renamed identifiers (${count(renames.length)})\n\nCopy and verify match these columns and tables by the same rule.\n\n${renames.join('\n')}`);
  return parts.join('\n\n');
}
