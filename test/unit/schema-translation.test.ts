// create-tables' translation of a SQLite schema, without Postgres: declared types, expressions,
// defaults, long identifiers, and the report's "Schema created" section for a SQLAlchemy-style
// schema (golden file; regenerate with UPDATE_GOLDEN=1 and read the diff).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { listSqliteTables } from '../../src/db/sqlite-introspect.js';
import { tokenizeSqlite } from '../../src/db/sqlite-sql-tokens.js';
import { classifyPgType } from '../../src/copy/cast/target-kind.js';
import { buildCopyPlan } from '../../src/copy/plan/copy-plan.js';
import { assignIdentifiers, findTargetByName, hashedIdentifier, postgresTruncated } from '../../src/copy/plan/long-identifiers.js';
import { schemaCreatedReport } from '../../src/copy/plan/schema-report.js';
import { translateDefault } from '../../src/copy/plan/sqlite-default.js';
import { translateExpression, type ExpressionColumn } from '../../src/copy/plan/sqlite-expression.js';
import { renderSchemaCreated } from '../../src/report/render-schema.js';
import { emptyResult } from '../../src/run-result.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenDir = path.resolve(here, '../golden');
const update = process.env.UPDATE_GOLDEN === '1';

function expectGolden(name: string, text: string): void {
  const file = path.join(goldenDir, name);
  if (update) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

const columns = new Map<string, ExpressionColumn>([
  ['status', { name: 'status', kind: 'varchar' }],
  ['qty', { name: 'qty', kind: 'int8' }],
  ['is_active', { name: 'is_active', kind: 'boolean' }],
  ['email', { name: 'Email', kind: 'text' }],
]);
const translate = (sql: string) => translateExpression(tokenizeSqlite(sql), columns);

describe('SQLite expressions → Postgres', () => {
  test.each([
    [`status IN ('todo', 'done')`, `"status" IN ('todo', 'done')`],
    ['qty > 0 AND qty <= 10', '"qty" > 0 AND "qty" <= 10'],
    ['qty == 1', '"qty" = 1'],
    ['is_active = 1', '"is_active" = true'],
    ['is_active NOT IN (0)', '"is_active" NOT IN (false)'],
    ['lower(email)', 'lower("Email")'],
    ['ifnull(qty, 0) >= 0', 'coalesce("qty", 0) >= 0'],
    [`email LIKE '%@%'`, `"Email" ILIKE '%@%'`],
    ['email NOT NULL', '"Email" IS NOT NULL'],
    ['qty IS NOT 3', '"qty" IS DISTINCT FROM 3'],
    [`"status" = "todo"`, `"status" = 'todo'`],
    ['length(trim(email)) > 0', 'length(btrim("Email")) > 0'],
    ['CAST(qty AS TEXT)', 'CAST("qty" AS text)'],
    [`CASE WHEN qty > 0 THEN 'a' ELSE 'b' END = 'a'`, `CASE WHEN "qty" > 0 THEN 'a' ELSE 'b' END = 'a'`],
    ['(qty + 1) * 2 > 0x10', '("qty" + 1) * 2 > 16'],
  ])('%s → %s', (sqlite, pg) => {
    expect(translate(sqlite)).toEqual({ sql: pg });
  });

  test.each([
    [`email GLOB '*@*'`, /GLOB has no Postgres equivalent/],
    [`json_extract(email, '$.a')`, /json_extract\(\) is not one cutover translates/],
    ['nosuchcolumn > 1', /nosuchcolumn is not a column/],
    [`email COLLATE NOCASE = 'x'`, /COLLATE NOCASE/],
    [`datetime('now') > 0`, /datetime\(\)/],
  ])('%s is refused with the reason', (sqlite, reason) => {
    const result = translate(sqlite);
    expect('reason' in result && result.reason).toMatch(reason);
  });
});

describe('SQLite defaults → Postgres', () => {
  const type = (typname: string, sql: string) => classifyPgType(typname, sql);
  test.each([
    ["'todo'", type('varchar', 'character varying(5)'), { sql: "'todo'" }],
    ['0', type('bool', 'boolean'), { sql: "'f'" }],
    ["'0.00'", { ...type('numeric', 'numeric(10,2)') }, { sql: "'0.00'" }],
    ['-5', type('int8', 'bigint'), { sql: "'-5'" }],
    ['CURRENT_TIMESTAMP', type('timestamp', 'timestamp without time zone'), { sql: "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')" }],
    ['(CURRENT_TIMESTAMP)', type('timestamptz', 'timestamp with time zone'), { sql: 'CURRENT_TIMESTAMP' }],
    ["(datetime('now'))", type('text', 'text'), { sql: "to_char((CURRENT_TIMESTAMP AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')" }],
    ["(DATETIME('now', 'localtime'))", type('timestamp', 'timestamp without time zone'), { sql: 'LOCALTIMESTAMP' }],
    ["(strftime('%Y-%m-%d %H:%M:%f', 'now'))", type('timestamp', 'timestamp without time zone'), { sql: "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')" }],
    ['current_date', type('date', 'date'), { sql: "CAST((CURRENT_TIMESTAMP AT TIME ZONE 'UTC') AS date)" }],
    ["(strftime('%s', 'now'))", type('int8', 'bigint'), { sql: 'CAST(floor(extract(epoch FROM CURRENT_TIMESTAMP)) AS bigint)' }],
    ['NULL', type('text', 'text'), { none: true }],
  ])('%s for %o', (sqlite, target, expected) => {
    expect(translateDefault(sqlite, target)).toEqual(expected);
  });

  test('what does not translate says why', () => {
    expect(translateDefault(`'"0"'`, classifyPgType('int8', 'bigint'))).toEqual({ reason: 'the value is not a whole number (bigint)' });
    expect(translateDefault('(lower(hex(randomblob(16))))', classifyPgType('text', 'text'))).toEqual({ reason: 'only literals and the current date/time are translated' });
    expect(translateDefault(`'abcdef'`, { ...classifyPgType('varchar', 'character varying(3)'), strict: true })).toEqual({ reason: 'the value is 6 characters, longer than character varying(3)' });
  });
});

describe('identifiers longer than 63 bytes', () => {
  const prefix = 'col_very_long_name_that_exceeds_postgresql_identifier_limit_aaa';
  test('a long name alone is cut as Postgres cuts it; colliding ones get a hash of the full name', () => {
    const { names, renames } = assignIdentifiers(['id', `${prefix}x`, `${prefix}y`, `${'é'.repeat(40)}`]);
    expect(names.get('id')).toBe('id');
    expect(names.get(`${prefix}x`)).toBe(hashedIdentifier(`${prefix}x`));
    expect(names.get(`${prefix}y`)).not.toBe(names.get(`${prefix}x`));
    expect(Buffer.byteLength(names.get(`${prefix}y`)!)).toBeLessThanOrEqual(63);
    expect(names.get('é'.repeat(40))).toBe('é'.repeat(31)); // 62 bytes: a character is never split
    expect(renames.map((r) => r.from).sort()).toEqual([`${prefix}x`, `${prefix}y`, 'é'.repeat(40)].sort());
    expect(assignIdentifiers([`${prefix}y`, `${prefix}x`]).names).toEqual(assignIdentifiers([`${prefix}x`, `${prefix}y`]).names);
  });

  test('copy and verify find a column cut by Postgres, or hashed by create-tables', () => {
    const target = [{ name: 'id' }, { name: postgresTruncated(`${prefix}x`) }, { name: hashedIdentifier(`${prefix}y`) }];
    expect(findTargetByName(target, `${prefix}x`)?.name).toBe(prefix);
    expect(findTargetByName(target, `${prefix}y`)?.name).toBe(hashedIdentifier(`${prefix}y`));
    expect(findTargetByName(target, `${prefix}z`)?.name).toBe(prefix);
    expect(findTargetByName(target, 'ID')?.name).toBe('id');
  });
});

describe('"Schema created" section', () => {
  test('SQLAlchemy-style schema: keys, indexes, FK actions, checks, defaults, and what was not translated (golden)', async () => {
    const Database = await loadSqlite();
    const db = new Database(':memory:');
    db.exec(fs.readFileSync(path.resolve(here, '../fixtures/sqlalchemy/app-schema.sql'), 'utf8'));
    db.exec(`CREATE TABLE products (id INTEGER PRIMARY KEY, ${'col_very_long_name_that_exceeds_postgresql_identifier_limit_aaa'}x INTEGER, ${'col_very_long_name_that_exceeds_postgresql_identifier_limit_aaa'}y INTEGER)`);
    const tables = listSqliteTables(db);
    db.close();
    const audit = { schema: 'public', name: 'audit_log', columns: [], primaryKey: [], foreignKeys: [], owned: true, rowSecurity: false, forceRowSecurity: false, rowSecurityApplies: false, userTriggers: [], privileges: { select: true, insert: true, truncate: true } };
    const plan = buildCopyPlan({ kind: 'sqlite', tables }, [audit], { include: [], exclude: [], createTables: true, targetSchema: 'public', targetRelations: ['audit_log', 'audit_log_pkey'] });
    const section = renderSchemaCreated({ ...emptyResult('copy'), schema: { ...schemaCreatedReport(plan.tables), existing: ['public.audit_log'] } })!;
    expectGolden('schema-created.md', `${section}\n`);
    expect(section).toMatch(/ix_event_logs_kind.*json\\_extract\(\) is not one cutover translates/);
  });
});
