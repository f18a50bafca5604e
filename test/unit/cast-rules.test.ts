// The cast-rule table, row by row: SQLite value (as better-sqlite3 hands it over) → target type →
// the exact text sent to Postgres, or the reason it is refused.
import { CastFailure, castRules, columnConverter, type SqliteValue } from '../../src/copy/cast/cast-rules.js';
import { classifyPgType, type TargetType } from '../../src/copy/cast/target-kind.js';

const TYPES: Record<string, TargetType> = {
  boolean: classifyPgType('bool', 'boolean'),
  int2: classifyPgType('int2', 'smallint'),
  int4: classifyPgType('int4', 'integer'),
  int8: classifyPgType('int8', 'bigint'),
  numeric: classifyPgType('numeric', 'numeric'),
  'numeric(10,2)': classifyPgType('numeric', 'numeric(10,2)'),
  float8: classifyPgType('float8', 'double precision'),
  float4: classifyPgType('float4', 'real'),
  text: classifyPgType('text', 'text'),
  'varchar(3)': classifyPgType('varchar', 'character varying(3)'),
  bytea: classifyPgType('bytea', 'bytea'),
  date: classifyPgType('date', 'date'),
  timestamp: classifyPgType('timestamp', 'timestamp without time zone'),
  timestamptz: classifyPgType('timestamptz', 'timestamp with time zone'),
  time: classifyPgType('time', 'time without time zone'),
  json: classifyPgType('json', 'json'),
  jsonb: classifyPgType('jsonb', 'jsonb'),
  uuid: classifyPgType('uuid', 'uuid'),
  other: classifyPgType('inet', 'inet'),
};

const ERR = (pattern: RegExp) => ({ error: pattern });
type Expect = string | null | { error: RegExp };

const cases: Array<[string, SqliteValue | null, Expect]> = [
  ['boolean', null, null],
  ['boolean', 1n, 't'],
  ['boolean', 0n, 'f'],
  ['boolean', 2n, ERR(/0 or 1/)],
  ['boolean', 1.0, 't'],
  ['boolean', 't', 't'],
  ['boolean', 'FALSE', 'f'],
  ['boolean', 'yes', 't'],
  ['boolean', 'no', 'f'],
  ['boolean', 'maybe', ERR(/not a boolean/)],
  ['int4', 42n, '42'],
  ['int2', 40000n, ERR(/out of range for smallint/)],
  ['int8', 9223372036854775807n, '9223372036854775807'],
  ['int4', 1.0, '1'],
  ['int4', 1.5, ERR(/not a whole number/)],
  ['int4', ' 12 ', '12'],
  ['int4', '1.0', '1'],
  ['int4', '1e3', '1000'],
  ['int4', 'lots-of-it', ERR(/not a whole number/)],
  ['int4', Buffer.from('x'), ERR(/no conversion/)],
  ['numeric', 7n, '7'],
  ['numeric', 0.1, '0.1'],
  ['numeric', 1e21, '1000000000000000000000'],
  ['numeric', '12345678901234567890.123456789', '12345678901234567890.123456789'],
  ['numeric(10,2)', '1.005', '1.01'],
  ['numeric(10,2)', 0.99, '0.99'],
  ['numeric(10,2)', '123456789', ERR(/numeric field overflow/)],
  ['numeric', 'abc', ERR(/not a number/)],
  ['float8', 0.1, '0.1'],
  ['float8', -0, '-0'],
  ['float8', 3n, '3'],
  ['float8', ' 2.5e3 ', '2500'],
  ['float8', 'NaN', 'NaN'],
  ['float8', '1e400', ERR(/out of range/)],
  ['float4', 1e39, ERR(/out of range for real/)],
  ['text', 'héllo\ttab', 'héllo\ttab'],
  ['text', 5n, '5'],
  ['text', 1.0, '1.0'],
  ['text', 2.5, '2.5'],
  ['text', Buffer.from('plain'), 'plain'],
  ['text', Buffer.from([0x66, 0x96, 0x6e]), ERR(/not valid UTF-8/)],
  ['text', 'a\0b', ERR(/NUL/)],
  ['varchar(3)', 'abc  ', 'abc'],
  ['varchar(3)', 'abcd', ERR(/longer than/)],
  ['bytea', Buffer.from([0, 255]), '\\x00ff'],
  ['bytea', 'hi', '\\x6869'],
  ['bytea', 1n, ERR(/no conversion/)],
  ['date', '2024-02-29', '2024-02-29'],
  ['date', '2024-02-30', ERR(/out of range/)],
  ['date', '2009-01-01 00:00:00', '2009-01-01'],
  ['date', '2009-01-01 10:00:00', ERR(/time of day/)],
  ['date', 86400n, '1970-01-02'],
  ['timestamp', '2024-01-02 03:04:05', '2024-01-02T03:04:05.000000'],
  ['timestamp', '2024-01-02T03:04:05.123', '2024-01-02T03:04:05.123000'],
  ['timestamp', '2024-01-02 03:04', '2024-01-02T03:04:00.000000'],
  ['timestamp', '2024-01-02T03:04:05+02:00', '2024-01-02T01:04:05.000000'],
  ['timestamp', 0n, '1970-01-01T00:00:00.000000'],
  ['timestamp', 1700000000n, '2023-11-14T22:13:20.000000'],
  ['timestamp', 1700000000123n, '2023-11-14T22:13:20.123000'],
  ['timestamp', 1700000000.5, '2023-11-14T22:13:20.500000'],
  ['timestamp', '1700000000', '2023-11-14T22:13:20.000000'],
  ['timestamp', 'yesterday', ERR(/not a date/)],
  ['timestamptz', '2024-01-02 03:04:05Z', '2024-01-02T03:04:05.000000Z'],
  ['timestamptz', '2024-01-02 03:04:05-0130', '2024-01-02T04:34:05.000000Z'],
  ['timestamptz', 'infinity', 'infinity'],
  ['time', '9:05', '09:05:00'],
  ['time', '23:59:59.250', '23:59:59.25'],
  ['json', '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2]}'],
  ['json', '{"a":', ERR(/not valid JSON/)],
  ['jsonb', '{"a": "\\u0000"}', ERR(/not valid JSONB/)],
  ['jsonb', 12n, '12'],
  ['uuid', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['uuid', '{a0eebc999c0b4ef8bb6d6bb9bd380a11}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['uuid', Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a11', 'hex'), 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['uuid', 'not-a-uuid', ERR(/not a UUID/)],
  ['uuid', 5n, ERR(/no conversion/)],
  ['other', '10.0.0.1', '10.0.0.1'],
];

describe('cast rules', () => {
  test.each(cases)('%s ← %p', (type, input, expected) => {
    const convert = columnConverter(TYPES[type]);
    if (expected !== null && typeof expected === 'object') {
      expect(() => convert(input)).toThrow(CastFailure);
      expect(() => convert(input)).toThrow(expected.error);
    } else {
      expect(convert(input)).toBe(expected);
    }
  });

  test('the table ends with an explicit catch-all', () => {
    expect(castRules[castRules.length - 1]).toMatchObject({ target: '*', source: '*' });
    expect(castRules.slice(0, -1).every((rule) => rule.target !== '*' && rule.source !== '*')).toBe(true);
  });
});

describe('the date/time fast path agrees with the full parser', () => {
  test.each([
    '2019-03-29T19:47:31.440Z',
    '2019-03-29 19:47:31',
    '2024-02-29T23:59:59.999999Z',
    '2024-01-01T00:00:00+00:00',
    '2024-01-01T00:00:00+0000',
    '2024-01-01',
  ])('%s', async (text) => {
    const { formatTimestamp, normalizeLocalDateTime, parseDateTime } = await import('../../src/copy/cast/temporal-text.js');
    expect(normalizeLocalDateTime(text, false)).toBe(formatTimestamp(parseDateTime(text).micros));
  });

  test('generated near-misses: whenever the fast path answers, the full parser agrees', async () => {
    const { formatTimestamp, normalizeLocalDateTime, parseDateTime } = await import('../../src/copy/cast/temporal-text.js');
    let seed = 12345;
    const random = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)];
    const years = ['2024', '2023', '1900', '2000', '0001', '0000', '9999', '20x4'];
    const months = ['01', '02', '04', '12', '13', '00', '1x'];
    const days = ['01', '28', '29', '30', '31', '32', '00'];
    const times = ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60', '1:00:00', '12:0a:00'];
    let answered = 0;
    for (const year of years) for (const month of months) for (const day of days) for (const time of times) {
      for (let i = 0; i < 4; i++) {
        const text = `${year}-${month}-${day}${pick([' ', 'T', 't'])}${time}${pick(['', '.', '.1', '.123', '.123456', '.1234567', '.12a'])}${pick(['', 'Z', 'z', '+00:00', ' '])}`;
        const fast = normalizeLocalDateTime(text, false);
        if (fast === null) continue;
        answered++;
        expect([text, fast]).toEqual([text, formatTimestamp(parseDateTime(text).micros)]);
      }
    }
    expect(answered).toBeGreaterThan(100);
  });

  test('other offsets and impossible dates take the full parser', async () => {
    const { normalizeLocalDateTime } = await import('../../src/copy/cast/temporal-text.js');
    expect(normalizeLocalDateTime('2024-01-01T00:00:00+02:00', false)).toBeNull();
    expect(normalizeLocalDateTime('2023-02-29T00:00:00Z', false)).toBeNull();
  });
});
