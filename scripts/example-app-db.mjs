// Writes a small SQLite database for the example app in migrations/ the way apps really store data:
// booleans as 0/1, dates as ISO text, 'YYYY-MM-DD HH:MM:SS' text and unix epochs, JSON as text,
// BLOBs, NULLs and unicode. Used by `npm run demo` and by the tests.
const Database = (await import('better-sqlite3/linux-x64').catch(() => import('better-sqlite3'))).default;

export function writeExampleAppDb(file, { users = 500, orders = 2000, events = 3000 } = {}) {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total REAL NOT NULL, status TEXT NOT NULL, placed_at TEXT NOT NULL);
    CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), kind TEXT NOT NULL, payload TEXT NOT NULL, occurred_at INTEGER NOT NULL, data BLOB);
  `);
  const names = ['Ada Lovelace', 'Grace Hopper', 'Zoë Ångström', '李小龙', 'Øystein Ørn', "Conan O'Brien", null];
  const statuses = ['pending', 'paid', 'shipped', 'cancelled'];
  const insertUser = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?)');
  const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)');
  const insertEvent = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= users; id++) {
      const day = String((id % 28) + 1).padStart(2, '0');
      insertUser.run(id, `user${id}@example.com`, names[id % names.length], id % 17 === 0 ? 1 : 0, `2024-01-${day}T08:${String(id % 60).padStart(2, '0')}:00Z`);
    }
    for (let id = 1; id <= orders; id++) {
      insertOrder.run(id, (id % users) + 1, Math.round(id * 137.31) / 100, statuses[id % 4], `2024-02-${String((id % 28) + 1).padStart(2, '0')} 12:${String(id % 60).padStart(2, '0')}:00`);
    }
    for (let id = 1; id <= events; id++) {
      const payload = JSON.stringify({ page: `/products/${id % 40}`, ms: id % 900, tags: id % 3 ? ['web'] : ['app', 'ios'] });
      insertEvent.run(id, id % 10 === 0 ? null : (id % users) + 1, id % 2 ? 'page_view' : 'click', payload, 1_706_745_600 + id * 60, id % 5 === 0 ? Buffer.from([id & 255, 0, 255]) : null);
    }
  })();
  db.close();
  return { users, orders, events };
}
