// The pure parts of the copy engine: load order from foreign keys, table patterns, the SQLite type
// mapping for create-tables, exact decimals, dates, COPY escaping, jsonb text and the row hash.
import fs from 'node:fs';
import { escapeCopyField } from '../../src/copy/cast/copy-text.js';
import { formatDecimal, parseDecimal, trimmedDecimal, wholeNumber } from '../../src/copy/cast/decimal-text.js';
import { assignToConnections, ForeignKeyCycleError, planLoadOrder } from '../../src/copy/plan/fk-order.js';
import { mapSqliteType, typeMappingMarkdown } from '../../src/copy/plan/sqlite-type-mapping.js';
import { isTableSelected } from '../../src/copy/plan/table-patterns.js';
import { parseDateTime, formatTimestamp } from '../../src/copy/cast/temporal-text.js';
import { jsonbText, JsonTextError } from '../../src/verify/jsonb-text.js';
import { HashSum, pgHashTextDecimal } from '../../src/verify/row-hash.js';

describe('foreign-key load order', () => {
  test('parents first, unrelated tables in separate components, self-references ignored', () => {
    const order = planLoadOrder(['orders', 'users', 'items', 'logs', 'employees'], [
      { child: 'orders', parent: 'users', deferrable: false },
      { child: 'items', parent: 'orders', deferrable: false },
      { child: 'employees', parent: 'employees', deferrable: false },
    ]);
    expect(order).toEqual([
      { tables: ['users', 'orders', 'items'], cycle: [] },
      { tables: ['logs'], cycle: [] },
      { tables: ['employees'], cycle: [] },
    ].sort((a, b) => order.findIndex((o) => o.tables[0] === a.tables[0]) - order.findIndex((o) => o.tables[0] === b.tables[0])));
  });

  test('a cycle loads when one of its FKs is deferrable, and is reported', () => {
    expect(planLoadOrder(['a', 'b'], [{ child: 'a', parent: 'b', deferrable: false }, { child: 'b', parent: 'a', deferrable: true }])).toEqual([{ tables: ['b', 'a'], cycle: ['a', 'b'] }]);
  });

  test('linked tables share a component without an order between them; unlinked ones stay apart', () => {
    expect(planLoadOrder(['orders', 'payments', 'notes'], [], [['orders', 'payments']])).toEqual([
      { tables: ['orders', 'payments'], cycle: [] },
      { tables: ['notes'], cycle: [] },
    ]);
  });

  test('a cycle without a deferrable FK names its tables', () => {
    expect(() => planLoadOrder(['a', 'b', 'c'], [{ child: 'a', parent: 'b', deferrable: false }, { child: 'b', parent: 'a', deferrable: false }])).toThrow(ForeignKeyCycleError);
    try {
      planLoadOrder(['a', 'b'], [{ child: 'a', parent: 'b', deferrable: false }, { child: 'b', parent: 'a', deferrable: false }]);
    } catch (error) {
      expect((error as ForeignKeyCycleError).tables).toEqual(['a', 'b']);
    }
  });

  test('components spread over at most `jobs` connections, biggest first', () => {
    const bins = assignToConnections([{ weight: 5 }, { weight: 100 }, { weight: 60 }, { weight: 50 }], 2);
    expect(bins.map((b) => b.map((i) => i.weight))).toEqual([[100, 5], [60, 50]]);
    expect(assignToConnections([{ weight: 1 }], 4)).toHaveLength(1);
  });
});

describe('table patterns', () => {
  test.each([
    [{ name: 'Order Details' }, ['order*'], [], true],
    [{ name: 'users' }, [], ['us?rs'], false],
    [{ schema: 'app', name: 'users' }, ['app.*'], [], true],
    [{ schema: 'public', name: 'users' }, ['app.*'], [], false],
    [{ name: 'cutover_migrations' }, [], [], false],
    [{ name: 'sqlite_sequence' }, ['*'], [], false],
  ])('%p include %p exclude %p → %p', (table, include, exclude, expected) => {
    expect(isTableSelected(table, include, exclude)).toBe(expected);
  });
});

describe('SQLite declared type → Postgres type (create-tables)', () => {
  test.each([
    ['', 'text'], ['INTEGER', 'bigint'], ['integer auto_increment', 'bigint'], ['intege', 'text'], ['tinyint', 'smallint'],
    ['smallint unsigned', 'integer'], ['short integer', 'smallint'], ['NVARCHAR(160)', 'character varying(160)'], ['char(70)', 'character varying(70)'], ['varchar', 'text'],
    ['text nocase', 'text'], ['NUMERIC(10,2)', 'numeric(10,2)'], ['numeric(20, 6)', 'numeric(20,6)'], ['DECIMAL', 'numeric'],
    ['double', 'double precision'], ['"double precision"', 'double precision'], ['REAL', 'double precision'],
    ['DATETIME', 'timestamp without time zone'], ['date', 'date'], ['BOOLEAN', 'boolean'], ['BLOB', 'bytea'],
    ['JSON', 'json'], ['jsonb', 'jsonb'], ['uuid', 'uuid'], ['geometry', 'text'], ['int4', 'integer'],
  ])('%p → %p', (declared, sql) => {
    expect(mapSqliteType(declared).sql).toBe(sql);
  });

  test('declared lengths are strict (SQLite never enforced them), or dropped with create-tables-lengths: drop', () => {
    expect(mapSqliteType('VARCHAR(20)')).toEqual({ typname: 'varchar', sql: 'character varying(20)', strict: true });
    expect(mapSqliteType('NUMERIC(10,2)', { keepLengths: false })).toEqual({ typname: 'numeric', sql: 'numeric' });
    expect(mapSqliteType('NVARCHAR(160)', { keepLengths: false })).toEqual({ typname: 'text', sql: 'text' });
  });

  test("the README's type table is the mapping table", () => {
    expect(fs.readFileSync('README.md', 'utf8')).toContain(typeMappingMarkdown());
  });
});

describe('exact decimals', () => {
  test('parse, round half away from zero, trim', () => {
    expect(formatDecimal(parseDecimal('1.005')!, 2)).toBe('1.01');
    expect(formatDecimal(parseDecimal('-1.005')!, 2)).toBe('-1.01');
    expect(formatDecimal(parseDecimal('-0.001')!, 2)).toBe('0.00');
    expect(formatDecimal(parseDecimal('1.5e-3')!, 4)).toBe('0.0015');
    expect(trimmedDecimal(parseDecimal('12.3400')!)).toBe('12.34');
    expect(trimmedDecimal(parseDecimal('1e3')!)).toBe('1000');
    expect(wholeNumber(parseDecimal('12.000')!)).toBe(12n);
    expect(wholeNumber(parseDecimal('0.5')!)).toBeNull();
    expect(parseDecimal('12abc')).toBeNull();
  });
});

describe('dates and times', () => {
  test('ISO text with offsets and fractions to epoch microseconds and back', () => {
    expect(formatTimestamp(parseDateTime('2024-02-29 23:59:59.9999999').micros)).toBe('2024-03-01T00:00:00.000000');
    expect(formatTimestamp(parseDateTime('1969-12-31T23:00:00-01:00').micros)).toBe('1970-01-01T00:00:00.000000');
    expect(() => parseDateTime('2023-02-29')).toThrow(/no such day/);
  });
});

describe('COPY text escaping', () => {
  test('backslash, tab, newline, carriage return; NULL as \\N', () => {
    expect(escapeCopyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(escapeCopyField(null)).toBe('\\N');
    expect(escapeCopyField('\\N')).toBe('\\\\N');
  });
});

describe('jsonb text', () => {
  test('keys by length then bytes, last duplicate wins, numbers as numeric text', () => {
    expect(jsonbText('{"bb":1,"a":2,"a":3,"é":[1.0,1E+2,-0]}')).toBe('{"a": 3, "bb": 1, "é": [1.0, 100, 0]}');
    expect(() => jsonbText('{"a":1,}')).toThrow(JsonTextError);
  });
});

describe('row hash', () => {
  test("equals Postgres' hashtextextended(text, 0)", () => {
    expect(pgHashTextDecimal('')).toBe('-6939563903564495251');
    expect(pgHashTextDecimal('a')).toBe('3591986179850072241');
    expect(pgHashTextDecimal('hello world!')).toBe('-2866487628948787489');
    expect(pgHashTextDecimal('héllo wörld, 12+ bytes')).toBe('6527097891125763474');
  });

  test('sums exactly, past 2^64, in any order', () => {
    const a = new HashSum();
    const b = new HashSum();
    const texts = Array.from({ length: 3000 }, (_, i) => `row ${i}`);
    texts.forEach((t) => a.addText(t));
    [...texts].reverse().forEach((t) => b.addText(t));
    expect(a.value()).toBe(b.value());
    expect(a.value()).toBe(texts.reduce((sum, t) => sum + BigInt(pgHashTextDecimal(t)), 0n).toString());
  });
});
