import { displayLocation, parseDatabaseUrl, type PostgresLocation } from '../../src/db/database-url.js';
import { closestMatch, editDistance } from '../../src/edit-distance.js';
import { ConfigError, formatError } from '../../src/errors.js';

const parse = (raw: string, input = "input 'target-url'") => parseDatabaseUrl(raw, { input, cwd: '/work' }) as PostgresLocation;

function errorOf(raw: string, input?: string): string {
  try {
    parse(raw, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return formatError(error);
  }
  throw new Error(`${raw} was accepted`);
}

describe('URL parameters', () => {
  test('a misspelt sslmode is refused, naming the parameter, the side, the likely fix and the known ones', () => {
    const text = errorOf('postgresql://app:s3cr3t-Tk@db.example.com/shop?sslmdoe=verify-full', "input 'source-url'");
    expect(text).toContain("input 'source-url' has an unknown parameter 'sslmdoe' (did you mean 'sslmode'?)");
    expect(text).toContain('silently connect without encryption');
    expect(text).toContain("Fix: write 'sslmode' instead of 'sslmdoe', or remove it.");
    expect(text).toContain('cutover uses sslmode, sslrootcert, application_name, options, pgbouncer, channel_binding; it accepts and ignores connect_timeout,');
    expect(text).not.toContain('s3cr3t-Tk');
  });

  test.each([
    ['SSLMODE=require', 'sslmode'],
    ['aplication_name=x', 'application_name'],
    ['sslrootcer=/ca.pem', 'sslrootcert'],
    ['pgbouncr=true', 'pgbouncer'],
    ['connect_timout=5', 'connect_timeout'],
  ])('?%s suggests %s', (query, suggestion) => {
    expect(errorOf(`postgresql://u@h/db?${query}`)).toContain(`(did you mean '${suggestion}'?)`);
  });

  test('a parameter far from every known one gets no suggestion', () => {
    const text = errorOf('postgresql://u@h/db?frobnicate=1');
    expect(text).toContain("has an unknown parameter 'frobnicate'.");
    expect(text).not.toContain('did you mean');
    expect(text).toContain("Fix: correct or remove 'frobnicate'.");
  });

  test.each([
    ['ssl=true', 'sslmode=require'],
    ['schema=app', 'search_path'],
    ['sslaccept=strict', 'sslmode=verify-full'],
  ])("another driver's ?%s gets the cutover spelling", (query, fix) => {
    expect(errorOf(`postgresql://u@h/db?${query}`)).toContain(fix);
  });

  test('a libpq parameter cutover does not support is named as such', () => {
    const text = errorOf('postgresql://u@h/db?sslcert=/client.crt');
    expect(text).toContain("input 'target-url' has the libpq parameter 'sslcert', which cutover does not support.");
    expect(text).toContain("Fix: remove 'sslcert'.");
  });

  test.each([
    ['channel_binding=sometimes', 'channel_binding=sometimes, which is not a channel_binding value', 'use disable, prefer, require'],
    ['gssencmode=require', 'gssencmode=require, which cutover cannot honour: it does not do GSS encryption', 'set it to disable or prefer'],
    ['target_session_attrs=read-write', 'target_session_attrs=read-write, which cutover cannot honour', 'set it to any'],
  ])('?%s is refused: only the default is harmless to ignore', (query, message, fix) => {
    const text = errorOf(`postgresql://u@h/db?${query}`);
    expect(text).toContain(message);
    expect(text).toContain(fix);
  });

  test('every parameter cutover honours or harmlessly ignores is accepted and kept for display', () => {
    const location = parse(
      'postgresql://u@h/db?sslmode=require&sslrootcert=/ca.pem&application_name=app&options=-c%20search_path%3Dapp&pgbouncer=true' +
        '&connect_timeout=5&keepalives=1&keepalives_idle=30&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=1000' +
        '&fallback_application_name=x&client_encoding=UTF8&sslcompression=0&sslsni=1&connection_limit=1&pool_timeout=10' +
        '&channel_binding=prefer&gssencmode=disable&sslnegotiation=postgres&target_session_attrs=any',
    );
    expect(location).toMatchObject({ sslmode: 'require', sslrootcert: '/ca.pem' });
    expect(location.params).toMatchObject({ application_name: 'app', options: '-c search_path=app', pgbouncer: 'true', connect_timeout: '5', channel_binding: 'prefer' });
    expect(displayLocation(location)).toContain('connection_limit=1');
  });
});

describe('edit distance', () => {
  test.each([
    ['sslmode', 'sslmode', 0],
    ['sslmdoe', 'sslmode', 1],
    ['sslmod', 'sslmode', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  test('short words allow one edit, longer ones two', () => {
    expect(closestMatch('sll', ['ssl'])).toBe('ssl');
    expect(closestMatch('sxx', ['ssl'])).toBeUndefined();
    expect(closestMatch('optoins', ['options', 'port'])).toBe('options');
  });
});
