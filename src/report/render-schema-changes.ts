// The schema diff of a dry run in the report: grouped by table, destructive changes first and
// marked 🔥, each dropped table or column with the data it held on the throwaway, renames said as
// renames and a drop followed by an add of the same name said as that (the old values are gone).
import type { SchemaChange, SchemaChanges, TableSchemaChanges } from '../dry-run/dry-run-report.js';
import { clip, code, details, plural } from './markdown.js';

const DEFINITION_MAX = 200;
/** Beyond this many tables, those without destructive changes are folded. */
const OPEN_TABLES = 25;

function definition(text: string | undefined): string {
  return text === undefined ? '' : code(clip(text.replace(/\s+/g, ' '), DEFINITION_MAX));
}

function mark(destructive: boolean): string {
  return destructive ? '🔥 ' : '';
}

function label(change: SchemaChange): string {
  return change.kind === 'row-security' ? 'row-level security' : `${change.kind} ${code(change.name)}`;
}

function itemLine(change: SchemaChange): string {
  const what = label(change);
  switch (change.change) {
    case 'added':
      return `${what} added: ${definition(change.after)}`;
    case 'dropped': {
      const held = change.rows !== undefined ? `, with its ${plural(change.rows, 'value')} (not null)` : '';
      return `${mark(change.destructive)}${what} dropped (was ${definition(change.before)})${held}`;
    }
    case 'renamed':
      return `${mark(change.destructive)}${what} renamed from ${code(change.from ?? '?')}${change.before !== undefined ? `, now ${definition(change.after)} (was ${definition(change.before)})` : ''}`;
    case 'changed':
      return `${mark(change.destructive)}${what}: ${definition(change.before)} → ${definition(change.after)}${change.kind === 'column' && change.destructive ? ' (a type change that can alter or reject values)' : ''}`;
  }
}

/** Items of one table; a column dropped and added under the same name becomes one line. */
function itemLines(items: SchemaChange[]): string[] {
  const lines: string[] = [];
  const readded = new Set<SchemaChange>();
  for (const item of items) {
    if (readded.has(item)) continue;
    const again = item.kind === 'column' && item.change === 'dropped' ? items.find((other) => other.kind === 'column' && other.change === 'added' && other.name === item.name) : undefined;
    if (again) {
      readded.add(again);
      const held = item.rows !== undefined ? `its ${plural(item.rows, 'value')} (not null) are gone` : 'the old values are gone';
      lines.push(`🔥 column ${code(item.name)} dropped and added again (a drop + add, not a rename: ${held}); was ${definition(item.before)}, now ${definition(again.after)}`);
      continue;
    }
    lines.push(itemLine(item));
  }
  return lines;
}

function addedTable(entry: TableSchemaChanges): string {
  const columns = entry.items.filter((i) => i.kind === 'column').map((i) => `${i.name} ${i.after?.split(' ')[0] ?? ''}`.trim());
  const rest = entry.items.filter((i) => i.kind !== 'column');
  const kinds = ['constraint', 'index', 'trigger', 'policy'].map((kind) => [kind, rest.filter((i) => i.kind === kind).length] as const).filter(([, n]) => n > 0);
  const extra = kinds.length ? `; ${kinds.map(([kind, n]) => plural(n, kind, kind === 'index' ? 'indexes' : kind === 'policy' ? 'policies' : `${kind}s`)).join(', ')}` : '';
  return `- ➕ **${code(entry.table)}** added: ${plural(columns.length, 'column')} (${code(clip(columns.join(', '), DEFINITION_MAX))})${extra}`;
}

function tableBlock(entry: TableSchemaChanges): string {
  if (entry.change === 'added') return addedTable(entry);
  if (entry.change === 'dropped') return `- 🔥 **${code(entry.table)}** dropped${entry.rows !== undefined ? `, with its ${plural(entry.rows, 'row')}` : ''}`;
  const head = entry.change === 'renamed' ? `- ${mark(entry.destructive)}**${code(entry.table)}** renamed from ${code(entry.from ?? '?')}` : `- ${mark(entry.destructive)}**${code(entry.table)}**`;
  return [head, ...itemLines(entry.items).map((line) => `  - ${line}`)].join('\n');
}

function summaryLine(changes: SchemaChanges): string {
  const byChange = (change: TableSchemaChanges['change']) => changes.tables.filter((t) => t.change === change).length;
  const parts = [
    [byChange('dropped'), 'dropped'],
    [byChange('changed') + byChange('renamed'), 'changed'],
    [byChange('added'), 'added'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${plural(n as number, 'table')} ${what}`);
  if (changes.others.length) parts.push(plural(changes.others.length, 'other object'));
  const destructive = changes.tables.reduce((sum, t) => sum + (t.change === 'dropped' ? 1 : t.items.filter((i) => i.destructive).length), 0) + changes.others.filter((o) => o.destructive).length;
  if (destructive) parts.push(`🔥 ${plural(destructive, 'destructive change')}`);
  return parts.join(' · ');
}

/** `applied`: how many new migrations the diff covers when one failed (undefined: all of them ran). */
export function renderSchemaChanges(changes: SchemaChanges | undefined, applied?: number): string | undefined {
  if (!changes) return undefined;
  const partial = applied === undefined ? '' : applied === 0 ? 'no new migration was applied before the failure' : `only the ${plural(applied, 'new migration')} applied before the failure`;
  if (changes.tables.length === 0 && changes.others.length === 0) return `### Schema changes\n\n_${partial ? `No change: ${partial}.` : 'The new migrations leave the schema as it was.'}_`;
  const parts = ['### Schema changes', `${summaryLine(changes)}${partial ? ` (${partial})` : ''}`];
  const open = changes.tables.length > OPEN_TABLES ? changes.tables.filter((t) => t.destructive) : changes.tables;
  const folded = changes.tables.filter((t) => !open.includes(t));
  if (open.length) parts.push(open.map(tableBlock).join('\n'));
  if (folded.length) parts.push(details(`${plural(folded.length, 'more table')} without destructive changes`, folded.map(tableBlock).join('\n')));
  if (changes.others.length) parts.push(`Other objects:\n\n${changes.others.map((o) => `- ${o.change === 'added' ? '➕ ' : ''}${itemLine(o)}`).join('\n')}`);
  return parts.join('\n\n');
}
