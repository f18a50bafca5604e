// Parses the database URLs users give (action inputs, CLI flags, DATABASE_URL) into a typed location.
// We parse by hand rather than with WHATWG `URL`: it silently accepts an unencoded '@' in the password
// and silently drops everything after an unencoded '#', while libpq and most drivers do not.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { checkUrlParameter } from './url-parameters.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresLocation {
  kind: 'postgres';
  host: string;
  port: number;
  database: string;
  user: string;
  /** Never printed; also registered for redaction at parse time. */
  password?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  /** Other accepted query parameters (src/db/url-parameters.ts), e.g. application_name, options. */
  params: Record<string, string>;
}

export interface SqliteLocation {
  kind: 'sqlite';
  /** Absolute path. */
  path: string;
}

export type DatabaseLocation = PostgresLocation | SqliteLocation;

const SQLITE_EXTENSIONS = /\.(db|sqlite|sqlite3|db3)$/i;
const ENCODE_HINT =
  "percent-encode reserved characters in the password ('@' → %40, '#' → %23, '/' → %2F, '?' → %3F, ':' → %3A, '%' → %25), " +
  "e.g. with `node -p 'encodeURIComponent(process.argv[1])' 'p@ss'`, and store the encoded URL in the secret";

/** `postgresql://user:***@host:5432/db?sslmode=require` — safe to print. */
export function displayLocation(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.path}`;
  const user = location.user ? `${encodeURIComponent(location.user)}${location.password !== undefined ? ':***' : ''}@` : '';
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  const query = new URLSearchParams();
  if (location.sslmode) query.set('sslmode', location.sslmode);
  if (location.sslrootcert) query.set('sslrootcert', location.sslrootcert);
  for (const [key, value] of Object.entries(location.params)) query.set(key, value);
  const qs = query.toString();
  return `postgresql://${user}${host}:${location.port}/${encodeURIComponent(location.database)}${qs ? `?${qs}` : ''}`;
}

/** Best-effort redaction of a URL we could not parse: hide everything between '://' user ':' and the last '@'. */
export function redactRawUrl(raw: string): string {
  const scheme = raw.indexOf('://');
  const at = raw.lastIndexOf('@');
  if (scheme < 0 || at < scheme) return raw;
  const userinfo = raw.slice(scheme + 3, at);
  const colon = userinfo.indexOf(':');
  if (colon < 0) return raw;
  return `${raw.slice(0, scheme + 3)}${userinfo.slice(0, colon)}:***${raw.slice(at)}`;
}

function decode(part: string, what: string, input: string, raw: string): string {
  try {
    return decodeURIComponent(part);
  } catch (cause) {
    throw new ConfigError(`The ${what} in ${input} (${redactRawUrl(raw)}) has an invalid percent-encoding.`, {
      cause,
      fix: `${ENCODE_HINT}.`,
    });
  }
}

export interface ParseOptions {
  /** Name of the input or flag the URL came from, used in messages (e.g. "target-url"). */
  input: string;
  /** Base directory for relative SQLite paths. */
  cwd?: string;
}

export function parseDatabaseUrl(raw: string, options: ParseOptions): DatabaseLocation {
  const input = options.input;
  const text = raw.trim();
  if (!text) throw new ConfigError(`${input} is empty.`, { fix: `give ${input} a postgresql:// URL or a sqlite: path.` });
  const cwd = options.cwd ?? process.cwd();

  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
  const scheme = schemeMatch?.[1].toLowerCase();
  if (scheme === 'sqlite' || scheme === 'file') return parseSqlite(text.slice(schemeMatch![0].length), cwd);
  if (!scheme || /^[a-zA-Z]:[\\/]/.test(text)) {
    if (SQLITE_EXTENSIONS.test(text)) return { kind: 'sqlite', path: path.resolve(cwd, text) };
    throw new ConfigError(`${input} is not a database URL: '${redactRawUrl(text)}'.`, {
      fix: `use postgresql://user:password@host:5432/dbname, sqlite:path/to/file.db, or a path ending in .db or .sqlite.`,
    });
  }
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new ConfigError(`${input} uses the unsupported scheme '${scheme}:' (${redactRawUrl(text)}).`, {
      fix: `cutover reads and writes PostgreSQL (postgres:// or postgresql://) and SQLite (sqlite:path); export other databases to one of these first.`,
    });
  }
  if (!text.slice(schemeMatch![0].length).startsWith('//')) {
    throw new ConfigError(`${input} is malformed: expected '//' after '${scheme}:' in '${redactRawUrl(text)}'.`, {
      fix: `write it as postgresql://user:password@host:5432/dbname.`,
    });
  }
  return parsePostgres(text, text.slice(schemeMatch![0].length + 2), input);
}

function parseSqlite(rest: string, cwd: string): SqliteLocation {
  // sqlite:///abs/path → /abs/path; sqlite://rel/path and sqlite:rel/path → relative to cwd.
  let file = rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//') ? rest.slice(2) : rest;
  const query = file.indexOf('?');
  if (query >= 0) file = file.slice(0, query);
  if (!file) throw new ConfigError(`The sqlite: URL has no file path.`, { fix: `write sqlite:path/to/app.db or sqlite:///absolute/path/app.db.` });
  return { kind: 'sqlite', path: path.resolve(cwd, decodeURIComponentSafe(file)) };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parsePostgres(raw: string, afterSlashes: string, input: string): PostgresLocation {
  const at = afterSlashes.lastIndexOf('@');
  let userinfo = '';
  let rest = afterSlashes;
  if (at >= 0) {
    userinfo = afterSlashes.slice(0, at);
    rest = afterSlashes.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const passwordPart = colon >= 0 ? userinfo.slice(colon + 1) : '';
    const userPart = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    const bad = /[@#/?]/.exec(passwordPart) ?? /[@#/?]/.exec(userPart);
    if (bad) {
      if (passwordPart) registerSecret(passwordPart, { input, user: userPart });
      throw new ConfigError(
        `The password in ${input} contains an unencoded '${bad[0]}', so the URL cannot be split into user, password and host reliably (${redactRawUrl(raw)}).`,
        { fix: `${ENCODE_HINT}.` },
      );
    }
  } else if (/[#]/.test(afterSlashes.split('?')[0])) {
    throw new ConfigError(`${input} is malformed: unexpected '#' in '${redactRawUrl(raw)}'.`, { fix: `${ENCODE_HINT}.` });
  }

  const colon = userinfo.indexOf(':');
  const user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo, 'user name', input, raw);
  const password = colon >= 0 ? decode(userinfo.slice(colon + 1), 'password', input, raw) : undefined;

  const queryStart = rest.indexOf('?');
  const query = queryStart >= 0 ? rest.slice(queryStart + 1) : '';
  const hostAndPath = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
  const slash = hostAndPath.indexOf('/');
  const hostPort = slash >= 0 ? hostAndPath.slice(0, slash) : hostAndPath;
  const database = decode(slash >= 0 ? hostAndPath.slice(slash + 1) : '', 'database name', input, raw);
  // Registered once user and database are known: a password equal to either is not masked as free text.
  if (password !== undefined) {
    registerSecret(password, { input, user: user || 'postgres', database: database || user || 'postgres', alsoWritten: [userinfo.slice(colon + 1)] });
  }

  let host: string;
  let portText: string | undefined;
  const ipv6 = /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort);
  if (ipv6) {
    host = ipv6[1];
    portText = ipv6[2];
  } else {
    const portColon = hostPort.lastIndexOf(':');
    host = portColon >= 0 ? hostPort.slice(0, portColon) : hostPort;
    portText = portColon >= 0 ? hostPort.slice(portColon + 1) : undefined;
  }
  if (!host) {
    throw new ConfigError(`${input} has no host name (${redactRawUrl(raw)}).`, { fix: `write it as postgresql://user:password@host:5432/dbname.` });
  }
  if (/[^a-zA-Z0-9.\-_:%]/.test(host)) {
    throw new ConfigError(`${input} has an invalid host name '${host}' (${redactRawUrl(raw)}).`, {
      fix: `check the URL; if the password contains special characters, ${ENCODE_HINT}.`,
    });
  }
  let port = 5432;
  if (portText !== undefined && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new ConfigError(`${input} has an invalid port '${portText}' (${redactRawUrl(raw)}).`, {
        fix: `use a port number between 1 and 65535, e.g. postgresql://user:password@host:5432/dbname.`,
      });
    }
    port = Number(portText);
  }

  const params: Record<string, string> = {};
  let sslmode: SslMode | undefined;
  let sslrootcert: string | undefined;
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === 'sslmode') {
      if (!(SSL_MODES as readonly string[]).includes(value)) {
        throw new ConfigError(`${input} has sslmode='${value}', which is not a libpq SSL mode.`, {
          fix: `use one of ${SSL_MODES.join(', ')} (require = encrypted without certificate verification).`,
        });
      }
      sslmode = value as SslMode;
    } else if (key === 'sslrootcert') {
      sslrootcert = value;
    } else if (key === 'password') {
      registerSecret(value, { input });
      throw new ConfigError(`${input} passes the password as a query parameter.`, {
        fix: `put it in the user-info part instead: postgresql://user:ENCODED_PASSWORD@host:5432/dbname.`,
      });
    } else {
      checkUrlParameter(key, value, input);
      params[key] = value;
    }
  }

  return {
    kind: 'postgres',
    host,
    port,
    database: database || user || 'postgres',
    user: user || 'postgres',
    ...(password !== undefined ? { password } : {}),
    ...(sslmode ? { sslmode } : {}),
    ...(sslrootcert ? { sslrootcert } : {}),
    params,
  };
}
