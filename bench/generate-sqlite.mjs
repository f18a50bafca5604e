// Deterministic app-like SQLite dataset for the benchmark: users, orders → users, events → users.
// Same seed, same row count → same bytes (the SQLite file header holds no timestamps), so every run
// and every machine measures the same data. Usage: node bench/generate-sqlite.mjs --rows N --out FILE
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bump when the data or the schema changes: it is part of the cache key. */
export const GENERATOR_VERSION = 1;
const SEED = 0x5eed_c0de;

/** users 10 %, orders 30 %, events the rest. */
export function tableCounts(rows) {
  const users = Math.max(1, Math.round(rows * 0.1));
  const orders = Math.round(rows * 0.3);
  return { users, orders, events: Math.max(0, rows - users - orders) };
}

export function datasetPath(outDir, rows) {
  return path.join(outDir, `dataset-v${GENERATOR_VERSION}-${rows}.sqlite`);
}

// Declared the way app frameworks write SQLite schemas: BOOLEAN stored as 0/1, DATETIME as text,
// JSON as text. SQLite keeps the values as they are; converting them is the copier's job.
const SQLITE_SCHEMA = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  is_admin BOOLEAN NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  avatar BLOB,
  bio TEXT
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  total REAL NOT NULL,
  status TEXT NOT NULL,
  placed_at DATETIME NOT NULL,
  note TEXT
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  payload JSON NOT NULL,
  occurred_at DATETIME NOT NULL
);
`;

/** sfc32: small, fast, and identical on every platform (32-bit integer arithmetic only). */
function prng(seed) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  return { next, int, pick };
}

// Words that stress a copier: accents, CJK, Cyrillic, emoji (astral plane), quotes, commas,
// backslashes, tabs and newlines (COPY text and CSV escaping), plus plain words for bulk.
const WORDS = [
  'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do', 'eiusmod',
  'tempor', 'incididunt', 'ut', 'labore', 'et', 'dolore', 'magna', 'aliqua', 'enim', 'minim', 'veniam',
  'quis', 'nostrud', 'exercitation', 'ullamco', 'laboris', 'nisi', 'aliquip', 'commodo', 'consequat',
  'café', 'naïve', 'Straße', 'façade', 'smörgåsbord', 'jalapeño', 'Ærø', 'Łódź', 'İstanbul',
  '東京', '北京市', 'こんにちは', 'Москва', 'привет', 'Ελλάδα', 'שלום', 'مرحبا', 'नमस्ते',
  '🚀', '🙂', '👩‍💻', '🇫🇷', '"quoted"', "it's", 'a,b', 'back\\slash', 'tab\there', 'line\nbreak', '50%', '#1',
];
const FIRST = ['Ana', 'José', 'Zoë', 'Łukasz', 'Øyvind', 'Chloé', 'Björn', 'Siobhán', 'Mikhail', 'Аня', 'Yūki', '美咲', 'Ngozi', 'Dương', 'Priya', 'Omar', "D'Arcy", 'Sam'];
const LAST = ['Smith', 'García', 'Müller', 'Nguyễn', 'Kowalski', 'Øster', "O'Brien", 'Иванова', '田中', 'Dubois', 'Rossi', 'Okafor', 'Silva', 'Núñez', 'Đặng', 'van der Berg'];
const STATUS = ['pending', 'paid', 'paid', 'paid', 'shipped', 'shipped', 'cancelled', 'refunded'];
const KINDS = ['page_view', 'click', 'signup', 'login', 'logout', 'search', 'add_to_cart', 'checkout', 'error'];
const PATHS = ['/', '/pricing', '/docs/getting-started', '/blog/über-uns', '/cart', '/search?q=caf%C3%A9', '/account/settings'];
const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)', 'curl/8.5.0', 'okhttp/4.12'];
const LOCALES = ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'pt-BR', 'uk-UA'];
const TLDS = ['com', 'org', 'io', 'de', 'fr', 'jp'];

const EPOCH_2018 = Date.UTC(2018, 0, 1);
const SPAN_MS = Date.UTC(2025, 0, 1) - EPOCH_2018;

/** A word-aligned text corpus (so slices never split a surrogate pair) and its word offsets. */
function buildCorpus(random, words) {
  const parts = [];
  const starts = [];
  let length = 0;
  for (let i = 0; i < words; i++) {
    starts.push(length);
    const word = random.pick(WORDS) + (random.next() < 0.08 ? '.' : '') + ' ';
    parts.push(word);
    length += word.length;
  }
  starts.push(length);
  return { text: parts.join(''), starts };
}

function isoText(ms) {
  return new Date(ms).toISOString();
}

function spaceText(ms) {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function insertUsers(db, random, count, corpus, noise) {
  const insert = db.prepare('INSERT INTO users (id, email, name, is_admin, created_at, avatar, bio) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const words = corpus.starts.length - 1;
  for (let id = 1; id <= count; id++) {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const email = `${first.toLowerCase().replace(/[^a-z]/g, '') || 'user'}.${id}@example.${random.pick(TLDS)}`;
    const name = random.next() < 0.05 ? `${first} ${last} ${random.pick(WORDS.slice(49, 53))}` : `${first} ${last}`;
    const isAdmin = random.next() < 0.02 ? 1 : 0;
    const created = isoText(EPOCH_2018 + Math.floor(random.next() * SPAN_MS));
    let avatar = null;
    if (random.next() < 0.6) {
      const size = random.int(32, 512);
      const offset = random.int(0, noise.length - size);
      avatar = noise.subarray(offset, offset + size);
    }
    let bio = null;
    if (random.next() < 0.9) {
      const start = random.int(0, words - 130);
      bio = corpus.text.slice(corpus.starts[start], corpus.starts[start + random.int(5, 120)] - 1);
    }
    insert.run(id, email, name, isAdmin, created, avatar, bio);
  }
}

function insertOrders(db, random, count, users, corpus) {
  const insert = db.prepare('INSERT INTO orders (id, user_id, total, status, placed_at, note) VALUES (?, ?, ?, ?, ?, ?)');
  const words = corpus.starts.length - 1;
  for (let id = 1; id <= count; id++) {
    const total = random.int(0, 250_000_00) / 100;
    let note = null;
    if (random.next() < 0.3) {
      const start = random.int(0, words - 20);
      note = corpus.text.slice(corpus.starts[start], corpus.starts[start + random.int(1, 12)] - 1);
    }
    insert.run(id, random.int(1, users), total, random.pick(STATUS), spaceText(EPOCH_2018 + Math.floor(random.next() * SPAN_MS)), note);
  }
}

function insertEvents(db, random, count, users) {
  const insert = db.prepare('INSERT INTO events (id, user_id, kind, payload, occurred_at) VALUES (?, ?, ?, ?, ?)');
  for (let id = 1; id <= count; id++) {
    const payload = {
      path: random.pick(PATHS),
      ua: random.pick(AGENTS),
      locale: random.pick(LOCALES),
      ms: random.int(1, 5000),
      ok: random.next() < 0.95,
      tags: random.next() < 0.5 ? [random.pick(WORDS), random.pick(WORDS)] : [],
      ref: random.next() < 0.7 ? null : `utm_${random.int(1, 99)}`,
    };
    const occurred = isoText(EPOCH_2018 + Math.floor(random.next() * SPAN_MS));
    insert.run(id, random.int(1, users), random.pick(KINDS), JSON.stringify(payload), occurred);
  }
}

async function openSqlite(file) {
  const { default: Database } = await import('better-sqlite3/linux-x64');
  return new Database(file);
}

function sha256(file) {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  try {
    let read;
    while ((read = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** Writes FILE (atomically, via a temp file) and FILE.json with counts, size, sha256 and timing. */
export async function generateDataset({ rows, file }) {
  const started = performance.now();
  const counts = tableCounts(rows);
  const temp = `${file}.tmp-${process.pid}`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(temp, { force: true });
  const db = await openSqlite(temp);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.exec(SQLITE_SCHEMA);
    const random = prng(SEED);
    const corpus = buildCorpus(random, 200_000);
    const noise = Buffer.alloc(1 << 20);
    for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE(Math.floor(random.next() * 4294967296), i);
    db.transaction(() => {
      insertUsers(db, random, counts.users, corpus, noise);
      insertOrders(db, random, counts.orders, counts.users, corpus);
      insertEvents(db, random, counts.events, counts.users);
    })();
  } finally {
    db.close();
  }
  fs.renameSync(temp, file);
  const meta = { rows, counts, generatorVersion: GENERATOR_VERSION, bytes: fs.statSync(file).size, sha256: sha256(file), seconds: (performance.now() - started) / 1000 };
  fs.writeFileSync(`${file}.json`, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** Returns the cached dataset's metadata, generating it first when missing. */
export async function ensureDataset({ rows, outDir, log = () => {} }) {
  const file = datasetPath(outDir, rows);
  if (fs.existsSync(file) && fs.existsSync(`${file}.json`)) {
    return { file, cached: true, ...JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) };
  }
  log(`generating ${rows.toLocaleString('en-US')} rows into ${path.relative(process.cwd(), file)} …`);
  return { file, cached: false, ...(await generateDataset({ rows, file })) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const rows = Number(value('--rows') ?? 2_000_000);
  const out = value('--out') ? path.resolve(value('--out')) : datasetPath(path.resolve('bench/out'), rows);
  const meta = await generateDataset({ rows, file: out });
  process.stdout.write(`${JSON.stringify(meta)}\n`);
}
