import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { onSecret, onWeakPassword, passwordStrength, redact, registerSecret, weakPasswordNotice, type WeakPassword } from '../../src/redact.js';

const parse = (raw: string, input = "input 'target-url'") => parseDatabaseUrl(raw, { input, cwd: '/work' });

describe('structural redaction: every password, whatever it is', () => {
  test('postgres:postgres keeps the scheme, the user and the database readable', () => {
    parse('postgresql://postgres:postgres@127.0.0.1:55433/postgres');
    const text = 'Could not connect to postgresql://postgres:postgres@127.0.0.1:55433/postgres (user "postgres", database "postgres")';
    expect(redact(text)).toBe('Could not connect to postgresql://postgres:***@127.0.0.1:55433/postgres (user "postgres", database "postgres")');
  });

  test('a one-letter password does not garble the words that contain it', () => {
    parse('postgresql://app:x@db.example.com/shop');
    expect(redact('Fix: check postgresql://app:x@db.example.com/shop')).toBe('Fix: check postgresql://app:***@db.example.com/shop');
  });

  test.each([
    ['a URL in a shell command', "psql 'postgresql://u:it'\\''s@h/db' -c 'select 1'", "psql 'postgresql://u:***@h/db' -c 'select 1'"],
    ['an unencoded @ in the password', 'postgres://u:a@b@host:5432/db', 'postgres://u:***@host:5432/db'],
    ['an unencoded / and ? in the password', 'postgres://u:a/b?c@host/db and more', 'postgres://u:***@host/db and more'],
    ['a URL inside JSON', '{"url":"postgresql://u:pw@h/db","next":"a@b"}', '{"url":"postgresql://u:***@h/db","next":"a@b"}'],
    ['a libpq key/value string', "host=h user=u password=pw dbname=d", 'host=h user=u password=*** dbname=d'],
    ['a quoted libpq value', "host=h password='p w\\'x' dbname=d", 'host=h password=*** dbname=d'],
    ['a URL query parameter', 'postgresql://h/db?password=pw&sslmode=require', 'postgresql://h/db?password=***&sslmode=require'],
    ['PGPASSWORD in a command', "PGPASSWORD=pw pg_dump -h h", 'PGPASSWORD=*** pg_dump -h h'],
    ['a shell-quoted PGPASSWORD', "PGPASSWORD='it'\\''s' pg_dump", 'PGPASSWORD=*** pg_dump'],
    ['a JSON password field', '{"password": "pw", "user": "u"}', '{"password": "***", "user": "u"}'],
  ])('%s', (_label, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  test.each([
    ['a URL without a password', 'postgresql://u@h/db'],
    ['a web address with a port and an @ in its path', 'https://github.com/acme/shop/pull/7#issuecomment-1 by @octocat'],
    ['an npm scoped package path', 'https://registry.npmjs.org/@actions/core'],
    ['an already redacted URL', 'postgresql://u:***@h/db'],
    ['a Markdown-escaped redacted URL', 'postgresql://u:\\*\\*\\*@h/db'],
    ['prose about passwords', 'check the user name and password in target-url'],
  ])('%s is left as it is', (_label, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('bare occurrences', () => {
  test('a distinctive password is masked wherever it appears, in every form', () => {
    parse('postgresql://u:Zebra%2FCrossing%40Night9@h/db');
    const text = 'raw Zebra/Crossing@Night9 encoded Zebra%2FCrossing%40Night9 lower zebra%2fcrossing%40night9';
    expect(redact(text)).toBe('raw *** encoded *** lower zebra%2fcrossing%40night9');
    expect(redact('error: token Zebra/Crossing@Night9 rejected')).toBe('error: token *** rejected');
  });

  test('JSON-escaped forms are masked too', () => {
    registerSecret('Qu"ote\\Back7');
    expect(redact(JSON.stringify({ error: 'bad Qu"ote\\Back7' }))).toBe('{"error":"bad ***"}');
  });

  test.each([
    ['x', {}, 'short'],
    ['postgres', {}, 'plain-word'],
    ['postgres', { user: 'postgres' }, 'same-as-user'],
    ['secretpassword', {}, 'plain-word'],
    ['PostgreSQL', {}, 'plain-word'],
    ['my_app_db', {}, 'plain-word'],
    ['12345678901234567890', {}, 'digits-only'],
    ['2024-01-01', {}, 'digits-only'],
    ['app_owner_account9', { user: 'app_owner_account9' }, 'same-as-user'],
    ['shop_db_2024', { database: 'SHOP_DB_2024' }, 'same-as-database'],
    ['Dev-Pw-5s8q2', {}, 'distinctive'],
    ['hunter22', {}, 'distinctive'],
    ['correcthorsebatterystaple', {}, 'distinctive'],
    ['Lk9#Zq@v/x?P%w:Ok', {}, 'distinctive'],
  ])('%s %j is %s', (password, context, expected) => {
    expect(passwordStrength(password, context)).toBe(expected);
  });

  test('a password that is not distinctive is neither masked as free text nor handed to setSecret, and said so once per input', () => {
    const masked: string[] = [];
    const notices: WeakPassword[] = [];
    onSecret((secret) => masked.push(secret));
    onWeakPassword((notice) => notices.push(notice));
    parse('postgresql://reader:Password@h/db', "input 'source-url'");
    parse('postgresql://reader:Password@h/db', "input 'source-url'");
    expect(redact('Password authentication failed')).toBe('Password authentication failed');
    expect(masked).not.toContain('Password');
    expect(notices.filter((n) => n.input === "input 'source-url'")).toEqual([{ input: "input 'source-url'", reason: 'plain-word' }]);
    const line = weakPasswordNotice(notices.find((n) => n.input === "input 'source-url'")!, 'job log');
    expect(line).toContain("The password in input 'source-url' is a plain word");
    expect(line).toContain('whole job log');
    expect(line).not.toContain('Password');
    expect(line).not.toContain('\n');
    // the notice survives redaction unchanged: nothing in it looks like a password setting
    expect(redact(line)).toBe(line);
  });

  test('a distinctive password reaches setSecret in every form', () => {
    const masked: string[] = [];
    onSecret((secret) => masked.push(secret));
    parse('postgresql://u:Night%2FOwl42@h/db');
    expect(masked).toEqual(expect.arrayContaining(['Night/Owl42', 'Night%2FOwl42', 'Night%2fOwl42']));
  });
});
