// libpq's sslmode meanings mapped onto node-postgres' `ssl` option. node-postgres on its own treats
// `sslmode=require` as full verification; libpq means "encrypted, no certificate check".
import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../errors.js';
import type { PostgresLocation, SslMode } from './database-url.js';

export interface SslChoice {
  mode: SslMode;
  /** false = plain TCP. */
  ssl: false | ConnectionOptions;
  /** For `prefer`/`allow`: retry without TLS when the server does not offer it. */
  fallbackToPlain: boolean;
  /** What to print: "sslmode=require (encrypted, certificate not verified)". */
  description: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

function readRootCert(location: PostgresLocation): string | undefined {
  if (!location.sslrootcert || location.sslrootcert === 'system') return undefined;
  try {
    return fs.readFileSync(location.sslrootcert, 'utf8');
  } catch (cause) {
    throw new ConfigError(`sslrootcert '${location.sslrootcert}' cannot be read.`, {
      cause,
      fix: `write the CA certificate (PEM) to a file in the workflow and pass its path as sslrootcert.`,
    });
  }
}

export function chooseSsl(location: PostgresLocation): SslChoice {
  // libpq's default is prefer; we keep it, except on loopback where TLS is never configured.
  const mode: SslMode = location.sslmode ?? (LOCAL_HOSTS.has(location.host) ? 'disable' : 'prefer');
  const ca = readRootCert(location);
  switch (mode) {
    case 'disable':
      return { mode, ssl: false, fallbackToPlain: false, description: 'sslmode=disable (not encrypted)' };
    case 'allow':
    case 'prefer':
      return {
        mode,
        ssl: { rejectUnauthorized: false },
        fallbackToPlain: true,
        description: `sslmode=${mode} (encrypted if the server offers it, certificate not verified)`,
      };
    case 'require':
      // As in libpq: with a root certificate, require behaves like verify-ca.
      if (ca) return { mode, ssl: { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }, fallbackToPlain: false, description: 'sslmode=require with sslrootcert (encrypted, CA verified)' };
      return { mode, ssl: { rejectUnauthorized: false }, fallbackToPlain: false, description: 'sslmode=require (encrypted, certificate not verified)' };
    case 'verify-ca':
      return {
        mode,
        ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true, checkServerIdentity: () => undefined },
        fallbackToPlain: false,
        description: 'sslmode=verify-ca (encrypted, certificate chain verified, host name not checked)',
      };
    case 'verify-full':
      return {
        mode,
        ssl: { ...(ca ? { ca } : {}), rejectUnauthorized: true, servername: location.host },
        fallbackToPlain: false,
        description: 'sslmode=verify-full (encrypted, certificate and host name verified)',
      };
  }
}
