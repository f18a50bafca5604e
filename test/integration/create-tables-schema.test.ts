// copy --create-tables keeps the schema of a SQLAlchemy app's SQLite file (the DDL SQLAlchemy emits,
// test/fixtures/sqlalchemy/app-schema.sql): after the copy, what the ORM relies on behaves as on
// SQLite — a parent delete cascades, a duplicate email and an unknown enum value are refused, a
// NOCASE unique refuses a case variant, defaults fill in — and the report says what was not made.
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { CopyError } from '../../src/errors.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite, verifyOptions } from './copy-helpers.js';

const SCHEMA = fs.readFileSync(path.resolve('test/fixtures/sqlalchemy/app-schema.sql'), 'utf8');
const ROWS = `
INSERT INTO users (id, email, name, is_active, created_at) VALUES (1, 'ada@example.com', 'Ada', 1, '2024-01-02 10:00:00'), (2, 'bob@example.com', 'Bob', 0, '2024-01-03 11:00:00');
INSERT INTO tags (id, name) VALUES (1, 'urgent'), (2, 'Later');
INSERT INTO projects (id, owner_id, title, budget) VALUES (1, 1, 'Cutover', '1200.50'), (2, 2, 'Other', 0);
INSERT INTO tasks (id, project_id, title, status) VALUES (1, 1, 'Write tests', 'doing'), (2, 1, 'Ship', 'todo'), (3, 2, 'Plan', 'done');
INSERT INTO event_logs (task_id, message) VALUES (1, '{"kind": "created"}'), (1, '{"kind": "moved"}'), (3, '{"kind": "done"}');
INSERT INTO task_tags (task_id, tag_id) VALUES (1, 1), (2, 2), (3, 1);
`;

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('create_tables');
  dir = makeTempDir('cutover-create-tables-');
});
afterAll(() => db.drop());
beforeEach(() => db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));

async function appDb(extra = ''): Promise<ReturnType<typeof makeSqlite>> {
  return makeSqlite(path.join(dir, 'app.db'), `${SCHEMA}\n${ROWS}\n${extra}`);
}

test('the created schema behaves like the SQLite one for the ORM: cascades, unique email, enum check, NOCASE unique, defaults', async () => {
  const source = await appDb();
  const outcome = await copyData(copyOptions(source, db.location, { createTables: true }));
  expect(outcome.verified).toBe(true);
  expect((await verifyData(verifyOptions(source, db.location))).verified).toBe(true);

  // Identity continues after the copied ids; defaults (status, created_at, budget) fill in.
  const inserted = await db.query(`INSERT INTO tasks (project_id, title) VALUES (2, 'New') RETURNING id, status, created_at > now() AT TIME ZONE 'UTC' - interval '1 minute' AS recent`);
  expect(inserted.rows[0]).toEqual({ id: '4', status: 'todo', recent: true });
  const project = await db.query(`INSERT INTO projects (owner_id, title) VALUES (2, 'P') RETURNING budget::text`);
  expect(project.rows[0].budget).toBe('0.00');

  // Deleting a user cascades through projects and tasks down to event_logs and task_tags (user 2's rows stay).
  await db.query('DELETE FROM users WHERE id = 1');
  const left = await db.query(`SELECT (SELECT count(*) FROM projects)::int AS projects, (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM event_logs)::int AS logs, (SELECT count(*) FROM task_tags)::int AS links`);
  expect(left.rows[0]).toEqual({ projects: 2, tasks: 2, logs: 1, links: 1 });

  await expect(db.query(`INSERT INTO users (email, name, is_active) VALUES ('bob@example.com', 'Bob again', true)`)).rejects.toMatchObject({ code: '23505', constraint: 'users_email_key' });
  await expect(db.query(`INSERT INTO tasks (project_id, title, status) VALUES (2, 'x', 'later')`)).rejects.toMatchObject({ code: '23514', constraint: 'taskstatus' });
  await expect(db.query(`INSERT INTO tags (name) VALUES ('URGENT')`)).rejects.toMatchObject({ code: '23505', constraint: 'uq_tags_name' });
  await expect(db.query(`INSERT INTO tasks (project_id, title, status) VALUES (2, '${'x'.repeat(201)}', 'todo')`)).rejects.toMatchObject({ code: '22001' });

  const types = await db.query(`SELECT table_name || '.' || column_name AS c, format_type(a.atttypid, a.atttypmod) AS t FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name WHERE table_schema = 'public' AND column_name IN ('email', 'budget', 'is_active', 'created_at', 'message') ORDER BY 1`);
  expect(Object.fromEntries(types.rows.map((r) => [r.c, r.t]))).toEqual({
    'event_logs.message': 'text', 'projects.budget': 'numeric(10,2)', 'tasks.created_at': 'timestamp without time zone',
    'users.created_at': 'timestamp without time zone', 'users.email': 'character varying(255)', 'users.is_active': 'boolean',
  });
  const indexes = await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`);
  const byName = Object.fromEntries(indexes.rows.map((r) => [r.indexname, r.indexdef]));
  expect(byName.ix_projects_live).toMatch(/ON public\.projects USING btree \(owner_id\) WHERE \(archived_at IS NULL\)/);
  expect(byName.ix_tasks_title_lower).toMatch(/\(lower\(\(title\)::text\)\)/);
  expect(byName.ix_event_logs_task_id).toBeDefined();
  expect(byName.ix_event_logs_kind).toBeUndefined();
  const fk = await db.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'event_logs'::regclass AND contype = 'f'`);
  expect(fk.rows[0].def).toBe('FOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED');

  const report = outcome.schema!;
  expect(report.existing).toEqual([]);
  expect(report.created.map((t) => t.table).sort()).toEqual(['public.event_logs', 'public.projects', 'public.tags', 'public.task_tags', 'public.tasks', 'public.users']);
  expect(report.created.find((t) => t.table === 'public.event_logs')!.notTranslated).toEqual([
    { kind: 'index', sqlite: `CREATE INDEX ix_event_logs_kind ON event_logs (json_extract(message, '$.kind'))`, reason: expect.stringMatching(/json_extract\(\) is not one cutover translates/) },
  ]);
  expect(outcome.warnings.join('\n')).toMatch(/did not translate 3 parts of the SQLite schema/);
});

test('tables that exist are left as they are, and the report says which were created and which existed', async () => {
  await db.query(`CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, is_active boolean NOT NULL, created_at timestamp NOT NULL)`);
  const outcome = await copyData(copyOptions(await appDb(), db.location, { createTables: true }));
  expect(outcome.verified).toBe(true);
  expect(outcome.schema!.existing).toEqual(['public.users']);
  expect(outcome.schema!.created.map((t) => t.table)).not.toContain('public.users');
  // users is as it was: no UNIQUE added, its text type kept; its children still reference its key.
  const users = await db.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'u'`);
  expect(users.rows[0].n).toBe(0);
  const fk = await db.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'projects'::regclass AND contype = 'f'`);
  expect(fk.rows[0].def).toBe('FOREIGN KEY (owner_id) REFERENCES users(id) ON DELETE CASCADE');
});

test('a value longer than its declared VARCHAR(n) stops the copy naming the row and the fix; create-tables-lengths: drop copies it', async () => {
  const source = await appDb(`INSERT INTO tasks (id, project_id, title, status) VALUES (9, 2, '${'y'.repeat(205)}', 'doing');
    CREATE TABLE prices (id INTEGER PRIMARY KEY, amount TEXT CHECK (amount >= 0)); INSERT INTO prices VALUES (1, '5');`);
  const error = await copyData(copyOptions(source, db.location, { createTables: true })).catch((e) => e);
  expect(error).toBeInstanceOf(CopyError);
  expect(error.message).toMatch(/public\.tasks: the row with id=9, column "title" \(character varying\(200\)\): value y+… \(205 chars\) is 205 characters, longer than character varying\(200\)/);
  expect(error.fix).toMatch(/SQLite does not enforce the length.*create-tables-lengths: drop/);
  const { rows } = await db.query(`SELECT to_regclass('public.tasks') AS t`);
  expect(rows[0].t).toBeNull();

  const dropped = await copyData(copyOptions(source, db.location, { createTables: true, createTablesLengths: 'drop' }));
  expect(dropped.verified).toBe(true);
  const title = await db.query(`SELECT length(title) AS n, format_type(atttypid, atttypmod) AS t FROM tasks, pg_attribute WHERE id = 9 AND attrelid = 'tasks'::regclass AND attname = 'title'`);
  expect(title.rows[0]).toEqual({ n: 205, t: 'text' });
  // A CHECK that SQLite accepts (TEXT compares above any number there) and Postgres refuses: reported, not silent.
  const prices = dropped.schema!.created.find((t) => t.table === 'public.prices')!;
  expect(prices.notTranslated).toEqual([{ kind: 'check', sqlite: 'CHECK (amount >= 0)', reason: expect.stringMatching(/^Postgres refused it: operator does not exist: text >= integer \(SQLSTATE 42883.*translated as: "amount" >= 0/) }]);
});

test('AUTOINCREMENT: the identity continues after the highest id SQLite handed out, even a deleted one', async () => {
  const source = await makeSqlite(path.join(dir, 'autoinc.db'), `CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL DEFAULT '');
    INSERT INTO notes (body) VALUES ('a'), ('b'), ('c'); DELETE FROM notes WHERE id = 3;`);
  await copyData(copyOptions(source, db.location, { createTables: true }));
  const { rows } = await db.query(`INSERT INTO notes DEFAULT VALUES RETURNING id, body`);
  expect(rows[0]).toEqual({ id: '4', body: '' });
});
