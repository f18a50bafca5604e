// What a dry run still compares after the new migrations (src/dry-run/tables-after.ts): the row count
// of every copied table no new migration wrote rows to, whatever happened to its schema.
import { tablesAfter, unexplainedChanges } from '../../src/dry-run/tables-after.js';
import type { TableCount } from '../../src/dry-run/table-counts.js';

const count = (oid: number, rows: number): TableCount => ({ oid, rows, columns: new Map() });
const before = new Map([
  ['public.users', count(1, 120)],
  ['public.orders', count(2, 300)],
  ['public.events', count(3, 450)],
  ['public.notes', count(4, 10)],
  ['public.tags', count(5, 7)],
]);

test('written tables are not compared; altered, renamed and untouched ones must keep their row count; dropped ones are said to be dropped', () => {
  const after = new Map([
    ['public.users', count(1, 118)],
    ['public.orders', count(2, 300)],
    ['public.events', count(3, 449)],
    ['public.memos', count(4, 10)],
  ]);
  const entries = tablesAfter(['public.users', 'public.orders', 'public.events', 'public.notes', 'public.tags'], before, after, new Map([['public.orders', ['006_type']], ['public.notes', ['007_rename']]]), new Map([['005_dedupe', new Set([1])]]));
  expect(entries).toEqual([
    { table: 'public.users', rowsBefore: 120, rowsAfter: 118, state: 'written', writtenBy: ['005_dedupe'] },
    { table: 'public.orders', rowsBefore: 300, rowsAfter: 300, state: 'altered', by: ['006_type'] },
    { table: 'public.events', rowsBefore: 450, rowsAfter: 449, state: 'unchanged' },
    { table: 'public.notes', rowsBefore: 10, rowsAfter: 10, state: 'renamed', renamedTo: 'public.memos', by: ['007_rename'] },
    { table: 'public.tags', rowsBefore: 7, state: 'dropped' },
  ]);
  // events lost a row although nothing wrote to it: that fails the dry run; users was written on purpose.
  expect(unexplainedChanges(entries).map((e) => e.table)).toEqual(['public.events']);
});
