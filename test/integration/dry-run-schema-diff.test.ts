// The schema diff of a dry run, before → after the new migrations, on the copied data: dropped
// tables and columns with the rows they held, a rename told from a drop + add, and every kind of
// object (keys, checks, indexes, sequences, enums, views, triggers, policies, row-level security).
import type { SchemaChanges, TableSchemaChanges } from '../../src/dry-run/dry-run-report.js';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const { source, database } = engineRun('cutover-dry-diff-');

function table(changes: SchemaChanges | undefined, name: string): TableSchemaChanges {
  const found = changes?.tables.find((t) => t.table === name || t.from === name);
  if (!found) throw new Error(`${name} not in the diff: ${JSON.stringify(changes?.tables.map((t) => t.table))}`);
  return found;
}

test('dropped column and table with the rows they held, a rename, a drop + add, destructive first', async () => {
  const pr = prCheckout({
    '005_drop_events.up.sql': 'DROP TABLE events;\n',
    '006_reshape_users.up.sql': `ALTER TABLE users DROP COLUMN name;
ALTER TABLE users DROP COLUMN is_admin;
ALTER TABLE users ADD COLUMN is_admin boolean;
ALTER TABLE orders RENAME COLUMN status TO state;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(14, 2);
ALTER TABLE orders ALTER COLUMN placed_at TYPE date;
`,
  });
  const throwaway = await database('dry_diff_drops');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  const changes = result.dryRun?.schemaChanges;
  expect(changes?.tables.map((t) => [t.table, t.change, t.destructive])).toEqual([
    ['public.events', 'dropped', true],
    ['public.orders', 'changed', true],
    ['public.users', 'changed', true],
  ]);
  expect(table(changes, 'public.events').rows).toBe(450);

  const users = table(changes, 'public.users').items;
  // The example data leaves every 7th name NULL (ids 6, 13, … 118): 17 of 120.
  expect(users).toContainEqual({ kind: 'column', name: 'name', change: 'dropped', before: 'text null', destructive: true, rows: 103 });
  expect(users).toContainEqual({ kind: 'column', name: 'is_admin', change: 'dropped', before: 'boolean not null default false', destructive: true, rows: 120 });
  expect(users).toContainEqual({ kind: 'column', name: 'is_admin', change: 'added', after: 'boolean null', destructive: false });

  const orders = table(changes, 'public.orders').items;
  expect(orders).toContainEqual({ kind: 'column', name: 'state', change: 'renamed', from: 'status', destructive: false });
  // Widening keeps every value; a timestamp to date loses the time of day.
  expect(orders).toContainEqual({ kind: 'column', name: 'total', change: 'changed', before: 'numeric(12,2) not null', after: 'numeric(14,2) not null', destructive: false });
  expect(orders).toContainEqual(expect.objectContaining({ kind: 'column', name: 'placed_at', change: 'changed', after: 'date not null default LOCALTIMESTAMP', destructive: true }));
  // The check on status now names state; the index rebuilt by the type change is no change.
  expect(orders.filter((i) => i.kind === 'constraint').map((i) => [i.name, i.change])).toEqual([['orders_status_check', 'changed']]);
  expect(orders.some((i) => i.kind === 'index')).toBe(false);
  // Destructive items first within a table.
  expect(users.findIndex((i) => !i.destructive)).toBeGreaterThan(users.findLastIndex((i) => i.destructive));
  // The drops are warnings of the migrations that made them.
  expect(result.dryRun?.migrations.flatMap((m) => m.findings.filter((f) => f.rule === 'drops-data').map((f) => [m.name, f.table, f.detail, f.rows]))).toEqual([
    ['005_drop_events', 'public.events', undefined, 450],
    ['006_reshape_users', 'public.users', 'column name', 103],
    ['006_reshape_users', 'public.users', 'column is_admin', 120],
  ]);
});

test('tables, keys, checks, indexes, sequences, enums, views, triggers, policies and row-level security', async () => {
  const pr = prCheckout({
    '005_catalog_objects.up.sql': `CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE SEQUENCE invoice_numbers START 1000;
CREATE TABLE reviews (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), stars int CHECK (stars BETWEEN 1 AND 5), mood mood, UNIQUE (user_id, id));
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE VIEW paid_orders AS SELECT id, total FROM orders WHERE status = 'paid';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users FOR SELECT USING (id > 0);
ALTER TABLE orders DROP CONSTRAINT orders_total_check;
ALTER INDEX orders_user_id_idx RENAME TO orders_by_user_idx;
`,
  });
  const throwaway = await database('dry_diff_objects');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  const changes = result.dryRun!.schemaChanges!;
  const reviews = table(changes, 'public.reviews');
  expect(reviews.change).toBe('added');
  expect(reviews.items.map((i) => [i.kind, i.name, i.change])).toEqual([
    ['column', 'id', 'added'],
    ['column', 'user_id', 'added'],
    ['column', 'stars', 'added'],
    ['column', 'mood', 'added'],
    ...[
      ['constraint', 'reviews_pkey', 'added'],
      ['constraint', 'reviews_stars_check', 'added'],
      ['constraint', 'reviews_user_id_fkey', 'added'],
      ['constraint', 'reviews_user_id_id_key', 'added'],
    ].sort(),
  ]);
  expect(table(changes, 'public.users').items.map((i) => [i.kind, i.name, i.change, i.after])).toEqual(
    expect.arrayContaining([
      ['index', 'public.users_created_at_idx', 'added', 'CREATE INDEX users_created_at_idx ON public.users USING btree (created_at)'],
      ['trigger', 'users_touch', 'added', 'CREATE TRIGGER users_touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()'],
      ['policy', 'own_rows', 'added', 'permissive for select to public using ((id > 0))'],
      ['row-security', 'row-level security', 'changed', 'enabled'],
    ]),
  );
  expect(table(changes, 'public.orders').items.map((i) => [i.kind, i.name, i.change, i.from])).toEqual([
    ['constraint', 'orders_total_check', 'dropped', undefined],
    ['index', 'public.orders_by_user_idx', 'renamed', 'public.orders_user_id_idx'],
  ]);
  expect(changes.others.map((o) => [o.kind, o.name, o.change, o.after])).toEqual([
    ['sequence', 'public.invoice_numbers', 'added', 'bigint increment 1 minvalue 1 maxvalue 9223372036854775807 start 1000'],
    ['enum', 'public.mood', 'added', "'happy', 'sad'"],
    ['view', 'public.paid_orders', 'added', expect.stringContaining("WHERE orders.status = 'paid'::text")],
  ]);
});
