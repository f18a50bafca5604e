import { displayLocation, parseDatabaseUrl, type PostgresLocation } from '../../src/db/database-url.js';
import { ConfigError, formatError } from '../../src/errors.js';
import { redact } from '../../src/redact.js';

const pgUrl = (raw: string) => parseDatabaseUrl(raw, { input: "input 'target-url'", cwd: '/work' }) as PostgresLocation;

describe('parseDatabaseUrl', () => {
  test('postgres:// and postgresql:// normalise to the same location', () => {
    const a = pgUrl('postgres://app:s3cr3t-Tk@db.example.com:6432/shop?sslmode=require');
    const b = pgUrl('postgresql://app:s3cr3t-Tk@db.example.com:6432/shop?sslmode=require');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ kind: 'postgres', host: 'db.example.com', port: 6432, database: 'shop', user: 'app', password: 's3cr3t-Tk', sslmode: 'require' });
    expect(displayLocation(a)).toBe('postgresql://app:***@db.example.com:6432/shop?sslmode=require');
  });

  test('percent-encoded passwords are decoded', () => {
    expect(pgUrl('postgresql://u:p%40ss%23w%2Frd%3F@h/db').password).toBe('p@ss#w/rd?');
  });

  test.each([
    ['@', 'postgresql://u:Qx7@Zz@h:5432/db'],
    ['#', 'postgresql://u:Qx7#Zz@h:5432/db'],
    ['/', 'postgresql://u:Qx7/Zz@h:5432/db'],
    ['?', 'postgresql://u:Qx7?Zz@h:5432/db'],
  ])('an unencoded %s in the password is a clear, redacted error', (char, raw) => {
    let error: unknown;
    try {
      pgUrl(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = formatError(error);
    expect(text).toContain(`unencoded '${char}'`);
    expect(text).toContain('%40');
    expect(text).toContain('postgresql://u:***@h:5432/db');
    expect(text).not.toMatch(/Qx7|Zz/);
  });

  test('sqlite forms', () => {
    expect(parseDatabaseUrl('sqlite:///abs/app.db', { input: 'x' })).toEqual({ kind: 'sqlite', path: '/abs/app.db' });
    expect(parseDatabaseUrl('sqlite:data/app.db', { input: 'x', cwd: '/work' })).toEqual({ kind: 'sqlite', path: '/work/data/app.db' });
    expect(parseDatabaseUrl('./app.sqlite', { input: 'x', cwd: '/work' })).toEqual({ kind: 'sqlite', path: '/work/app.sqlite' });
  });

  test('defaults: port 5432, database = user', () => {
    expect(pgUrl('postgresql://alice@localhost')).toMatchObject({ port: 5432, database: 'alice', user: 'alice' });
  });

  test.each([
    ['mysql://u:p@h/db', /unsupported scheme 'mysql:'/],
    ['not a url', /not a database URL/],
    ['postgresql://u:p@h:99999/db', /invalid port '99999'/],
    ['postgresql://u:p@h/db?sslmode=sometimes', /not a libpq SSL mode/],
    ['postgres:u@h/db', /expected '\/\/'/],
  ])('%s is rejected', (raw, message) => {
    expect(() => pgUrl(raw)).toThrow(message);
  });

  test('passwords are registered for redaction in every form', () => {
    pgUrl('postgresql://u:Zebra%2FCrossing%40Night@h/db');
    const text = 'raw Zebra/Crossing@Night encoded Zebra%2FCrossing%40Night';
    expect(redact(text)).toBe('raw *** encoded ***');
  });
});
