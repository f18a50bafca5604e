// Standalone verification: equal data verifies; one tampered row in the target is found by its key;
// and the canonical forms computed in JavaScript agree with Postgres' own, type by type.
import path from 'node:path';
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { columnConverter, type SqliteValue } from '../../src/copy/cast/cast-rules.js';
import { classifyPgType } from '../../src/copy/cast/target-kind.js';
import { canonicalizer, canonicalSql } from '../../src/verify/canonical-form.js';
import { pgHashTextDecimal } from '../../src/verify/row-hash.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyOptions, REAL, sqliteAt, verifyOptions } from './copy-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('verify');
});
afterAll(() => db.drop());

test('chinook copied: verifies equal; a tampered row and a deleted row are reported by key', async () => {
  const source = sqliteAt(path.join(REAL, 'chinook.sqlite'));
  await copyData(copyOptions(source, db.location, { createTables: true }));
  const equal = await verifyData(verifyOptions(source, db.location));
  expect(equal.verified).toBe(true);
  expect(equal.tables).toHaveLength(11);

  await db.query(`UPDATE "Track" SET "UnitPrice" = 1.00 WHERE "TrackId" = 1234; DELETE FROM "PlaylistTrack" WHERE "PlaylistId" = 8 AND "TrackId" = 3000`);
  const tampered = await verifyData(verifyOptions(source, db.location));
  expect(tampered.verified).toBe(false);
  expect(tampered.tables.find((t) => t.table === 'public."Track"')).toMatchObject({ sourceRows: 3503, targetRows: 3503, checksumMatch: false, differingKeys: ['TrackId=1234'] });
  expect(tampered.tables.find((t) => t.table === 'public."PlaylistTrack"')).toMatchObject({ sourceRows: 8715, targetRows: 8714, differingKeys: ['PlaylistId=8, TrackId=3000'] });
  expect(tampered.tables.find((t) => t.table === 'public."Album"')).toMatchObject({ checksumMatch: true });

  const countsOnly = await verifyData(verifyOptions(source, db.location, { checksums: false, include: ['Track'] }));
  expect(countsOnly).toMatchObject({ verified: true, tables: [expect.objectContaining({ table: 'public."Track"', checksumMatch: null })] });
});

// [Postgres type, SQLite value]: the JS canonical of the converted value must equal Postgres'.
const agreement: Array<[string, string, SqliteValue]> = [
  ['bool', 'boolean', 1n], ['bool', 'boolean', 'f'],
  ['int8', 'bigint', -9223372036854775808n], ['int4', 'integer', '17'],
  ['numeric', 'numeric', 0.1], ['numeric', 'numeric(10,2)', '3.10'], ['numeric', 'numeric', '-0.000'], ['numeric', 'numeric', 1e21], ['numeric', 'numeric', 'NaN'],
  ['float8', 'double precision', 0.1], ['float8', 'double precision', -0], ['float8', 'double precision', 1e308], ['float8', 'double precision', 'NaN'], ['float8', 'double precision', 5e-324],
  ['float4', 'real', 0.1], ['float4', 'real', 16777217n],
  ['text', 'text', 'ünïcødé ✓ 😀'], ['bpchar', 'character(5)', 'ab'], ['varchar', 'character varying(10)', 'tab\there'],
  ['bytea', 'bytea', Buffer.from([0, 1, 254, 255])],
  ['date', 'date', '2024-02-29'], ['date', 'date', 0n],
  ['timestamp', 'timestamp without time zone', '0099-01-01 00:00:00.000001'], ['timestamp', 'timestamp without time zone', 1700000000.25],
  ['timestamptz', 'timestamp with time zone', '2024-06-01T12:00:00+05:30'], ['timestamptz', 'timestamp with time zone', 'infinity'],
  ['timestamptz', 'timestamp with time zone', '2019-03-29T19:47:31.440Z'], ['timestamp', 'timestamp without time zone', '2020-05-26 05:33:19'], ['timestamp', 'timestamp without time zone', '-infinity'],
  ['time', 'time without time zone', '07:08:09.5'],
  ['json', 'json', ' {"b":1, "a":2} '],
  ['jsonb', 'jsonb', '{"bb": 1, "a": [1.50, 1e2, -0, "x\\u00e9"], "a": {"z": null, "y": true}}'],
  // These take the native JSON.parse path (integers only, no \u0000 or surrogate escapes):
  ['jsonb', 'jsonb', '{"b": {"y": [1, 2, {"k": "v"}], "x": -0}, "a": "line\\nbreak \\"q\\" ✓ \\u00e9", "é": true, "10": 1, "9": 2, "__proto__": 3}'],
  ['jsonb', 'jsonb', '[1, -2, [], {}, "", null]'],
  ['jsonb', 'jsonb', '{"big": 12345678901234567890, "ok": 9007199254740991}'],
  ['uuid', 'uuid', 'A0EEBC999C0B4EF8BB6D6BB9BD380A11'],
  ['inet', 'inet', '10.0.0.1'],
];

test.each(agreement)('canonical form agrees with Postgres: %s (%s) ← %p', async (typname, sqlType, value) => {
  const type = classifyPgType(typname, sqlType);
  const text = columnConverter(type)(value)!;
  const canonical = canonicalizer(type)?.(text) ?? text;
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`SET TimeZone = 'America/New_York'`); // canonical forms must not depend on the session zone
    const { rows } = await client.query(`SELECT ${canonicalSql('v', type)} AS c, hashtextextended(${canonicalSql('v', type)} COLLATE "C", 0)::text AS h FROM (SELECT $1::${sqlType} AS v) x`, [text]);
    expect(rows[0].c).toBe(canonical);
    expect(rows[0].h).toBe(pgHashTextDecimal(canonical));
  } finally {
    await client.end();
  }
});

test('the same database as source and target (localhost vs 127.0.0.1) is refused: a comparison with itself says nothing', async () => {
  await db.query('CREATE TABLE IF NOT EXISTS self_check (id int PRIMARY KEY); INSERT INTO self_check VALUES (1) ON CONFLICT DO NOTHING');
  const alias = { ...db.location, host: db.location.host === '127.0.0.1' ? 'localhost' : '127.0.0.1' };
  const error = await verifyData(verifyOptions(db.location, alias, { include: ['self_check'] })).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/lead to the same database.*Nothing was compared/);
});
