// Opens node-postgres clients with retries, a connect timeout, libpq SSL semantics and errors that say
// host, port, database, user (never the password) and the likely cause.
import pg from 'pg';
import { ConnectionError, describeCause, isPgError } from '../errors.js';
import type { PostgresLocation } from './database-url.js';
import { chooseSsl, type SslChoice } from './ssl-options.js';
import { directHostAdvice, supabaseKind } from './supabase.js';

export interface ConnectOptions {
  /** Input the URL came from, for messages: "target-url". */
  input: string;
  attempts?: number;
  connectTimeoutMs?: number;
  /** First retry delay; doubles each time. */
  backoffMs?: number;
  onRetry?: (message: string) => void;
  /** Told once connected: where, and whether the connection is encrypted (users should see it). */
  onConnected?: (message: string) => void;
  applicationName?: string;
}

export type ConnectFailureKind = 'dns' | 'refused' | 'timeout' | 'auth' | 'ssl' | 'database-missing' | 'network' | 'other';

interface Diagnosis {
  kind: ConnectFailureKind;
  retryable: boolean;
  explanation: string;
  fix: string;
}

export function diagnoseConnectError(error: unknown, location: PostgresLocation, input: string): Diagnosis {
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const supabaseDirect = supabaseKind(location) === 'direct';
  if (isPgError(error)) {
    if (code === '28P01' || code === '28000') {
      return { kind: 'auth', retryable: false, explanation: 'authentication failed', fix: `check the user name and password in ${input} (the secret it comes from); on Supabase the pooler user is postgres.<project-ref>.` };
    }
    if (code === '3D000') {
      return { kind: 'database-missing', retryable: false, explanation: `database "${location.database}" does not exist`, fix: `create it first (e.g. createdb, or CREATE DATABASE "${location.database}") or fix the database name at the end of ${input}.` };
    }
    if (code === '57P03' || code === '53300') {
      return { kind: 'other', retryable: true, explanation: 'the server is starting up or has too many connections', fix: 'wait for the server to be ready, or raise max_connections / use a pooler.' };
    }
    return { kind: 'other', retryable: false, explanation: describeCause(error), fix: `check ${input} and the server's logs.` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      kind: 'dns',
      retryable: code === 'EAI_AGAIN',
      explanation: `the host name "${location.host}" could not be resolved (DNS)`,
      fix: supabaseDirect ? directHostAdvice(location) : `check the host name in ${input}; from a workflow, a services: container is reached as localhost with its mapped port.`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return { kind: 'refused', retryable: true, explanation: 'the connection was refused (nothing listens on that port, or a firewall rejects it)', fix: `check that the server is running and that ${input} has the right port.` };
  }
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'EADDRNOTAVAIL') {
    return { kind: 'network', retryable: true, explanation: 'the network cannot reach that host', fix: supabaseDirect ? directHostAdvice(location) : 'check the host, and that the database accepts connections from this runner (IP allow-list).' };
  }
  if (/timeout|timed out/i.test(message) || code === 'ETIMEDOUT') {
    return { kind: 'timeout', retryable: true, explanation: 'the connection timed out', fix: supabaseDirect ? directHostAdvice(location) : 'check the host and port, and that the database accepts connections from this runner (IP allow-list, security group).' };
  }
  if (/ssl|tls|certificate|self.signed|CERT_|ERR_TLS/i.test(`${message} ${code ?? ''}`)) {
    const noSsl = /does not support SSL/i.test(message);
    return {
      kind: 'ssl',
      retryable: false,
      explanation: `SSL negotiation failed: ${message}`,
      fix: noSsl
        ? `the server does not offer TLS: add ?sslmode=disable (or prefer) to ${input}.`
        : `use ?sslmode=require to encrypt without verifying the certificate, or pass the server's CA with sslrootcert=/path/ca.pem and sslmode=verify-full.`,
    };
  }
  if (code === 'ECONNRESET' || /terminated unexpectedly|Connection terminated/i.test(message)) {
    return { kind: 'network', retryable: true, explanation: `the server closed the connection (${message})`, fix: 'check that the port is a PostgreSQL server and whether it requires SSL (sslmode=require).' };
  }
  return { kind: 'other', retryable: true, explanation: describeCause(error), fix: `check ${input}.` };
}

export function describeEndpoint(location: PostgresLocation): string {
  return `host ${location.host}, port ${location.port}, database "${location.database}", user "${location.user}"`;
}

function clientConfig(location: PostgresLocation, ssl: SslChoice['ssl'], options: ConnectOptions): pg.ClientConfig {
  return {
    host: location.host,
    port: location.port,
    database: location.database,
    user: location.user,
    password: location.password ?? process.env.PGPASSWORD,
    ssl,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    // Without it the OS waits two hours before probing a silent peer (a dropped NAT mapping, a dead host).
    keepAliveInitialDelayMillis: 10_000,
    // channel_binding=prefer|require (Neon's URLs carry it): SCRAM-SHA-256-PLUS when the server offers it over TLS.
    enableChannelBinding: location.params.channel_binding === 'prefer' || location.params.channel_binding === 'require',
    application_name: options.applicationName ?? location.params.application_name ?? 'cutover',
    ...(location.params.options ? { options: location.params.options } : {}),
  };
}

async function openOnce(location: PostgresLocation, choice: SslChoice, options: ConnectOptions): Promise<pg.Client> {
  const attempt = async (ssl: SslChoice['ssl']) => {
    const client = new pg.Client(clientConfig(location, ssl, options));
    // An idle client whose server goes away emits 'error'; without a listener Node would crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  };
  try {
    return await attempt(choice.ssl);
  } catch (error) {
    if (choice.fallbackToPlain && choice.ssl && /does not support SSL/i.test(String((error as Error)?.message))) return attempt(false);
    throw error;
  }
}

function isEncrypted(client: pg.Client): boolean {
  // node-postgres swaps the socket for a TLSSocket once the server accepts SSL.
  const stream = (client as unknown as { connection?: { stream?: { encrypted?: boolean } } }).connection?.stream;
  return stream?.encrypted === true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function connectPostgres(location: PostgresLocation, options: ConnectOptions): Promise<pg.Client> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const backoff = options.backoffMs ?? 500;
  const choice = chooseSsl(location);
  let lastError: unknown;
  let diagnosis: Diagnosis | undefined;
  for (let n = 1; n <= attempts; n++) {
    try {
      const client = await openOnce(location, choice, options);
      if (location.params.channel_binding === 'require' && !isEncrypted(client)) {
        await client.end().catch(() => undefined);
        throw new ConnectionError(`Could not connect to ${options.input} (${describeEndpoint(location)}): channel_binding=require, but the connection is not encrypted, so no channel binding is possible.`, {
          fix: `set sslmode=require or verify-full in ${options.input}, or remove channel_binding=require.`,
        });
      }
      options.onConnected?.(`Connected to ${options.input} (${describeEndpoint(location)}) with ${choice.description}; ${isEncrypted(client) ? 'the connection is encrypted (TLS)' : 'the connection is not encrypted'}.`);
      return client;
    } catch (error) {
      if (error instanceof ConnectionError) throw error;
      lastError = error;
      diagnosis = diagnoseConnectError(error, location, options.input);
      if (!diagnosis.retryable || n === attempts) break;
      const delay = backoff * 2 ** (n - 1);
      options.onRetry?.(`Connecting to ${options.input} (${describeEndpoint(location)}) failed: ${diagnosis.explanation}; retrying in ${delay} ms (attempt ${n + 1} of ${attempts}).`);
      await sleep(delay);
    }
  }
  const tries = diagnosis!.retryable ? ` after ${attempts} attempt${attempts === 1 ? '' : 's'}` : '';
  throw new ConnectionError(`Could not connect to ${options.input} (${describeEndpoint(location)}, ${choice.description})${tries}: ${diagnosis!.explanation}.`, {
    cause: lastError,
    fix: diagnosis!.fix,
  });
}
