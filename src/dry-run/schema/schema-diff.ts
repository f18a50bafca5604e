// Compares two schema snapshots. diffSchemas: the same database before and after the new migrations,
// matched by identity (oid, column number), so a rename is reported as a rename and a drop followed by
// an add as exactly that; objects PostgreSQL recreates under a new oid with the same name and
// definition (indexes rebuilt by ALTER COLUMN TYPE) are not changes. schemaDifferences: two states
// compared by name only (the down check: a database rebuilt by a down must look like the one before).
import type { SchemaChange, SchemaChanges, SchemaDifference, TableSchemaChanges } from '../dry-run-report.js';
import type { TableCount } from '../table-counts.js';
import { columnDefinition, type ColumnSchema, type Member, type SchemaSnapshot, type TableSchema } from './schema-snapshot.js';

type Kind = SchemaChange['kind'];

/** Type changes that keep every value (and need no cast that can fail). */
function widens(from: string, to: string): boolean {
  if (from === to) return true;
  const length = (type: string) => /^(character varying|character|bit varying)\((\d+)\)$/.exec(type);
  const [f, t] = [length(from), length(to)];
  if (f && (to === 'text' || to === 'character varying' || (t && t[1] === f[1] && Number(t[2]) >= Number(f[2])) || (f[1] === 'character' && t?.[1] === 'character varying' && Number(t[2]) >= Number(f[2])))) return true;
  const ints = ['smallint', 'integer', 'bigint'];
  if (ints.includes(from) && ints.includes(to) && ints.indexOf(to) >= ints.indexOf(from)) return true;
  if (ints.includes(from) && to === 'numeric') return true;
  const numeric = (type: string) => /^numeric\((\d+),(\d+)\)$/.exec(type);
  const [nf, nt] = [numeric(from), numeric(to)];
  if (nf && to === 'numeric') return true;
  if (nf && nt && nt[2] === nf[2] && Number(nt[1]) >= Number(nf[1])) return true;
  if (from === 'real' && to === 'double precision') return true;
  return false;
}

function byOid<T extends { oid: number }>(items: Iterable<[string, T]>): Map<number, [string, T]> {
  return new Map([...items].map(([name, item]) => [item.oid, [name, item]]));
}

/** Constraints, indexes, triggers, policies, sequences, views: by oid, then by name and definition. */
function members<T extends Member>(kind: Kind, before: Map<string, T>, after: Map<string, T>, destructive = () => false): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const afterOids = byOid(after);
  const matched = new Set<number>();
  const dropped: Array<[string, T]> = [];
  for (const [name, old] of before) {
    const found = afterOids.get(old.oid);
    if (!found) {
      dropped.push([name, old]);
      continue;
    }
    matched.add(old.oid);
    const [newName, now] = found;
    if (newName !== name) changes.push({ kind, name: newName, change: 'renamed', from: name, ...(old.definition !== now.definition ? { before: old.definition, after: now.definition } : {}), destructive: false });
    else if (old.definition !== now.definition) changes.push({ kind, name, change: 'changed', before: old.definition, after: now.definition, destructive: destructive() });
  }
  const added = [...after].filter(([, item]) => !matched.has(item.oid));
  for (const [name, old] of dropped) {
    // Rebuilt under a new oid (ALTER COLUMN TYPE recreates indexes and constraints): same name.
    const again = added.findIndex(([newName]) => newName === name);
    if (again >= 0) {
      const [, now] = added.splice(again, 1)[0];
      if (now.definition !== old.definition) changes.push({ kind, name, change: 'changed', before: old.definition, after: now.definition, destructive: destructive() });
      continue;
    }
    changes.push({ kind, name, change: 'dropped', before: old.definition, destructive: false });
  }
  for (const [name, now] of added) changes.push({ kind, name, change: 'added', after: now.definition, destructive: false });
  return changes;
}

function columns(before: TableSchema, after: TableSchema, held?: TableCount): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const byNumber = new Map([...after.columns].map(([name, column]) => [column.attnum, [name, column] as [string, ColumnSchema]]));
  const seen = new Set<number>();
  for (const [name, old] of before.columns) {
    const found = byNumber.get(old.attnum);
    if (!found) {
      const rows = held?.columns.get(name);
      changes.push({ kind: 'column', name, change: 'dropped', before: columnDefinition(old), destructive: true, ...(rows !== undefined ? { rows } : {}) });
      continue;
    }
    seen.add(old.attnum);
    const [newName, now] = found;
    const [was, is] = [columnDefinition(old), columnDefinition(now)];
    const destructive = !widens(old.type, now.type);
    if (newName !== name) changes.push({ kind: 'column', name: newName, change: 'renamed', from: name, ...(was !== is ? { before: was, after: is } : {}), destructive });
    else if (was !== is) changes.push({ kind: 'column', name, change: 'changed', before: was, after: is, destructive });
  }
  for (const [name, now] of after.columns) if (!seen.has(now.attnum)) changes.push({ kind: 'column', name, change: 'added', after: columnDefinition(now), destructive: false });
  return changes;
}

function tableMembers(before: TableSchema, after: TableSchema, held?: TableCount): SchemaChange[] {
  const changes = [
    ...columns(before, after, held),
    ...members('constraint', before.constraints, after.constraints),
    ...members('index', before.indexes, after.indexes),
    ...members('trigger', before.triggers, after.triggers),
    ...members('policy', before.policies, after.policies),
  ];
  if (before.rowSecurity !== after.rowSecurity) changes.push({ kind: 'row-security', name: 'row-level security', change: 'changed', before: before.rowSecurity, after: after.rowSecurity, destructive: false });
  return changes;
}

const EMPTY: TableSchema = { oid: 0, name: '', rowSecurity: 'disabled', columns: new Map(), constraints: new Map(), indexes: new Map(), triggers: new Map(), policies: new Map() };

const CHANGE_ORDER: Record<SchemaChange['change'], number> = { dropped: 0, changed: 1, renamed: 2, added: 3 };
const byWeight = (a: { destructive: boolean; change: SchemaChange['change'] }, b: { destructive: boolean; change: SchemaChange['change'] }) =>
  Number(b.destructive) - Number(a.destructive) || CHANGE_ORDER[a.change] - CHANGE_ORDER[b.change];

/** Before → after the new migrations; `held` (counts before them) gives the rows dropped objects held. */
export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot, held: Map<string, TableCount> = new Map()): SchemaChanges {
  const tables: TableSchemaChanges[] = [];
  const afterTables = byOid(after.tables);
  const kept = new Set<number>();
  for (const [name, old] of before.tables) {
    const found = afterTables.get(old.oid);
    if (!found) {
      const rows = held.get(name)?.rows;
      tables.push({ table: name, change: 'dropped', destructive: true, ...(rows !== undefined ? { rows } : {}), items: [] });
      continue;
    }
    kept.add(old.oid);
    const [newName, now] = found;
    const items = tableMembers(old, now, held.get(name)).sort(byWeight);
    if (newName !== name) tables.push({ table: newName, change: 'renamed', from: name, destructive: items.some((i) => i.destructive), items });
    else if (items.length > 0) tables.push({ table: name, change: 'changed', destructive: items.some((i) => i.destructive), items });
  }
  for (const [name, now] of after.tables) {
    if (!kept.has(now.oid)) tables.push({ table: name, change: 'added', destructive: false, items: tableMembers(EMPTY, now) });
  }
  tables.sort((a, b) => byWeight(a, b) || a.table.localeCompare(b.table));

  const enumDestructive = (name: string) => () => {
    const [was, is] = [before.enums.get(name)?.labels ?? [], after.enums.get(name)?.labels ?? []];
    return was.some((label) => !is.includes(label));
  };
  const enums = members('enum', before.enums, after.enums).map((change) => ({ ...change, destructive: change.change === 'changed' && enumDestructive(change.name)() }));
  const others = [...members('sequence', before.sequences, after.sequences), ...enums, ...members('view', before.views, after.views)].sort((a, b) => byWeight(a, b) || a.name.localeCompare(b.name));
  return { tables, others };
}

function flatten(snapshot: SchemaSnapshot): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [name, table] of snapshot.tables) {
    flat.set(`table ${name}`, `row-level security ${table.rowSecurity}`);
    // Column order is not compared: a down can only add a column back at the end.
    for (const [column, definition] of table.columns) flat.set(`column ${name}.${column}`, columnDefinition(definition));
    for (const [constraint, member] of table.constraints) flat.set(`constraint ${constraint} on ${name}`, member.definition);
    for (const [index, member] of table.indexes) flat.set(`index ${index}`, member.definition);
    for (const [trigger, member] of table.triggers) flat.set(`trigger ${trigger} on ${name}`, member.definition);
    for (const [policy, member] of table.policies) flat.set(`policy ${policy} on ${name}`, member.definition);
  }
  for (const [name, member] of snapshot.sequences) flat.set(`sequence ${name}`, member.definition);
  for (const [name, member] of snapshot.enums) flat.set(`enum ${name}`, member.definition);
  for (const [name, member] of snapshot.views) flat.set(`${member.kind} ${name}`, member.definition);
  return flat;
}

export function schemaDifferences(expected: SchemaSnapshot, actual: SchemaSnapshot): SchemaDifference[] {
  const [want, have] = [flatten(expected), flatten(actual)];
  const differences: SchemaDifference[] = [];
  for (const [object, definition] of want) {
    if (!have.has(object)) differences.push({ object, expected: definition });
    else if (have.get(object) !== definition) differences.push({ object, expected: definition, actual: have.get(object)! });
  }
  for (const [object, definition] of have) if (!want.has(object)) differences.push({ object, actual: definition });
  return differences.sort((a, b) => a.object.localeCompare(b.object));
}
