// Which query parameters a postgresql:// URL may carry. libpq refuses a parameter it does not know;
// so does cutover: `?sslmdoe=verify-full`, silently ignored, would connect without encryption.
import { ConfigError } from '../errors.js';
import { closestMatch } from '../edit-distance.js';

/** Parameters cutover acts on (sslmode and password are validated by the URL parser itself). */
export const HONOURED_PARAMETERS = ['sslmode', 'sslrootcert', 'application_name', 'options', 'pgbouncer', 'channel_binding'] as const;

/** channel_binding values (libpq's): prefer/require turn on SCRAM-SHA-256-PLUS in node-postgres. */
const CHANNEL_BINDING = ['disable', 'prefer', 'require'];

interface IgnoredParameter {
  /** Why ignoring it changes nothing. */
  why: string;
  /** Only these values are harmless to ignore; any other is refused. */
  values?: readonly string[];
}

/** Accepted and ignored, because cutover already does the equivalent itself. */
export const IGNORED_PARAMETERS: Record<string, IgnoredParameter> = {
  connect_timeout: { why: "uses its connect-timeout input instead" },
  keepalives: { why: 'always turns TCP keepalives on' },
  keepalives_idle: { why: 'always turns TCP keepalives on' },
  keepalives_interval: { why: 'always turns TCP keepalives on' },
  keepalives_count: { why: 'always turns TCP keepalives on' },
  tcp_user_timeout: { why: 'always turns TCP keepalives on' },
  fallback_application_name: { why: 'always sets an application_name' },
  client_encoding: { why: 'always talks UTF-8 with the server, which converts' },
  sslcompression: { why: 'never compresses (nor do servers since PostgreSQL 14)' },
  sslsni: { why: 'leaves SNI to the TLS library' },
  // Prisma's connection-pool settings, common in copied DATABASE_URLs; cutover sizes its own pool.
  connection_limit: { why: 'sizes its own connection pool' },
  pool_timeout: { why: 'sizes its own connection pool' },
  // Harmless only at their defaults: cutover never does GSS encryption, direct SSL negotiation, or
  // picks among several hosts.
  gssencmode: { why: 'does not do GSS encryption', values: ['disable', 'prefer'] },
  sslnegotiation: { why: 'negotiates SSL the standard way', values: ['postgres'] },
  target_session_attrs: { why: 'connects to the one host of the URL whatever its role', values: ['any'] },
};

// Every other libpq connection keyword (PostgreSQL 18's list): known, but not supported by cutover.
const OTHER_LIBPQ_KEYWORDS = [
  'host', 'hostaddr', 'port', 'dbname', 'user', 'passfile', 'require_auth', 'replication', 'requiressl',
  'sslcert', 'sslkey', 'sslkeylogfile', 'sslpassword', 'sslcertmode', 'sslcrl', 'sslcrldir', 'requirepeer',
  'ssl_min_protocol_version', 'ssl_max_protocol_version', 'min_protocol_version', 'max_protocol_version',
  'krbsrvname', 'gsslib', 'gssdelegation', 'service', 'load_balance_hosts', 'oauth_issuer', 'oauth_client_id',
  'oauth_client_secret', 'oauth_scope', 'scram_client_key', 'scram_server_key',
];

// Parameters of other drivers that people paste, with what to write instead.
const FOREIGN_FIXES: Record<string, string> = {
  ssl: 'write sslmode=require (encrypted) or sslmode=verify-full (encrypted, certificate and host name verified) instead of ssl',
  schema: "write options=-c%20search_path%3D<schema> instead of Prisma's schema parameter",
  sslaccept: "write sslmode=verify-full (Prisma's sslaccept=strict) or sslmode=require (accept_invalid_certs) instead of sslaccept",
  host: 'put the host in the URL itself: postgresql://user:password@host:5432/dbname',
  port: 'put the port in the URL itself: postgresql://user:password@host:5432/dbname',
  dbname: 'put the database name in the URL itself: postgresql://user:password@host:5432/dbname',
  user: 'put the user name in the URL itself: postgresql://user:password@host:5432/dbname',
};

const KNOWN = [...HONOURED_PARAMETERS, ...Object.keys(IGNORED_PARAMETERS)];

function knownList(): string {
  return `cutover uses ${HONOURED_PARAMETERS.join(', ')}; it accepts and ignores ${Object.keys(IGNORED_PARAMETERS).join(', ')}.`;
}

/** Throws a ConfigError for a parameter cutover would otherwise have to silently ignore. */
export function checkUrlParameter(key: string, value: string, input: string): void {
  if (key === 'channel_binding' && !CHANNEL_BINDING.includes(value)) {
    throw new ConfigError(`${input} has channel_binding=${value}, which is not a channel_binding value.`, { fix: `use ${CHANNEL_BINDING.join(', ')}.` });
  }
  if ((HONOURED_PARAMETERS as readonly string[]).includes(key)) return;
  const ignored = IGNORED_PARAMETERS[key];
  if (ignored && (!ignored.values || ignored.values.includes(value))) return;
  if (ignored) {
    throw new ConfigError(`${input} has ${key}=${value}, which cutover cannot honour: it ${ignored.why}.`, {
      fix: `${FOREIGN_FIXES[key] ?? `remove ${key}, or set it to ${ignored.values!.join(' or ')}`}.`,
    });
  }
  if (OTHER_LIBPQ_KEYWORDS.includes(key)) {
    throw new ConfigError(`${input} has the libpq parameter '${key}', which cutover does not support.`, {
      fix: `${FOREIGN_FIXES[key] ?? `remove '${key}'`}. ${knownList()}`,
    });
  }
  const suggestion = closestMatch(key, [...KNOWN, ...OTHER_LIBPQ_KEYWORDS, 'password']);
  throw new ConfigError(
    `${input} has an unknown parameter '${key}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. ` +
      `Like libpq, cutover refuses parameters it does not know rather than ignore them: a misspelt sslmode would silently connect without encryption.`,
    { fix: `${FOREIGN_FIXES[key] ?? (suggestion ? `write '${suggestion}' instead of '${key}', or remove it` : `correct or remove '${key}'`)}. ${knownList()}` },
  );
}
