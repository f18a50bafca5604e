// jsonb's canonical text in JavaScript (verify/jsonb-text.ts) against Postgres itself: a generated
// corpus of documents, including what steers the fast path (JSON.parse) and the exact parser apart —
// digits and dots inside strings ("Mozilla/5.0", ": 5.0"), fractions, exponents, big integers, -0,
// escapes, non-ASCII keys — must print exactly as `text::jsonb::text` does, and what Postgres refuses
// must be refused.
import pg from 'pg';
import { checkJsonb, jsonbText, JsonTextError } from '../../src/verify/jsonb-text.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('jsonb_text');
});
afterAll(() => db.drop());

let seed = 4242;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T,>(items: T[]): T => items[Math.floor(random() * items.length)];

const STRINGS = ['Mozilla/5.0 (X11)', 'a: 5.0', '[1.5, 2e3]', 'x,-2.5', '', 'Straße', '🙂 emoji', 'tab\\there', 'quote \\" and \\\\', 'ctl \\u0001', 'é \\u00e9', 'slash \\/'];
const KEYS = ['a', 'b', 'aa', 'ms', 'path', 'é', 'ü1', 'Z', '10', '9', '__proto__', 'k k', 'ok'];
const NUMBERS = ['0', '-0', '7', '-12', '1.0', '1.50', '-0.0', '2e3', '1E-2', '9007199254740993', '12345678901234567890', '3.14159', '100'];

function value(depth: number): string {
  const kind = depth > 2 ? pick(['s', 'n', 'l']) : pick(['s', 'n', 'l', 'o', 'a', 'o']);
  switch (kind) {
    case 's': return `"${pick(STRINGS)}"`;
    case 'n': return pick(NUMBERS);
    case 'l': return pick(['true', 'false', 'null']);
    case 'a': return `[${Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1)).join(pick([',', ', ', ' ,\n']))}]`;
    default: return `{${Array.from({ length: Math.floor(random() * 5) }, () => `"${pick(KEYS)}"${pick([':', ' : '])}${value(depth + 1)}`).join(',')}}`;
  }
}

async function postgresText(docs: string[]): Promise<Array<string | null>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const out: Array<string | null> = [];
    for (const doc of docs) {
      try {
        out.push((await client.query<{ t: string }>('SELECT $1::jsonb::text AS t', [doc])).rows[0].t);
      } catch {
        out.push(null);
      }
    }
    return out;
  } finally {
    await client.end();
  }
}

function javascriptText(doc: string): string | null {
  try {
    return jsonbText(doc);
  } catch (error) {
    if (error instanceof JsonTextError) return null;
    throw error;
  }
}

test('2,000 generated documents print exactly as Postgres prints them as jsonb', async () => {
  const docs = Array.from({ length: 2000 }, () => value(0));
  const expected = await postgresText(docs);
  const mismatches = docs.map((doc, i) => ({ doc, postgres: expected[i], ours: javascriptText(doc) })).filter((r) => r.postgres !== r.ours);
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(expected.filter((t) => t !== null).length).toBeGreaterThan(1900);
});

test('validation alone (checksums off) accepts and refuses what Postgres does', async () => {
  const docs = ['{"a": "\\u0000"}', '{"a": "\\ud800"}', '{"a": "\\udc00x"}', '{"a": 1,}', '[1 2]', '{"a": 01}', '"x', '{"ua": "Mozilla/5.0"}', '{"a": 1e400}', '  {"b": [1, {"c": -0}]}  ', '{"a": "\\ud83d\\ude00"}'];
  const expected = await postgresText(docs);
  const accepted = docs.map((doc) => {
    try {
      checkJsonb(doc);
      return true;
    } catch (error) {
      if (error instanceof JsonTextError) return false;
      throw error;
    }
  });
  expect(accepted).toEqual(expected.map((t) => t !== null));
});
