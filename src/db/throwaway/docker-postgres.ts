// The `docker` throwaway provider: the official postgres image on a random 127.0.0.1 port.
// NOTE: this machine has no Docker engine, so provisionDockerPostgres has never been run here; the
// argv building, port parsing and readiness logic are unit-tested (test/unit/throwaway-docker.test.ts).
import crypto from 'node:crypto';
import { ProvisionError } from '../../errors.js';
import { registerSecret } from '../../redact.js';
import type { Runtime } from '../../runtime.js';
import type { PostgresLocation } from '../database-url.js';
import type { ProvisionedServer } from './local-postgres.js';
import { outputTail, runCommand } from './run-command.js';
import { makeThrowawayDir, removeThrowawayDir, writeState, type DockerState } from './state-file.js';
import { probePostgres, serverVersionOf, waitUntilReady } from './wait-ready.js';

const READY_TIMEOUT_MS = 90_000;
/** `docker run` may pull the image first. */
const RUN_TIMEOUT_MS = 10 * 60_000;

/** postgres-version → image: "17" → postgres:17; a full reference (with ':' or '/') is used as is. */
export function dockerImage(postgresVersion: string): string {
  const version = postgresVersion.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(version)) {
    throw new ProvisionError(`Invalid postgres-version '${postgresVersion}'.`, { fix: 'use a major version such as 17, an image tag such as 17-alpine, or a full image reference.' });
  }
  return /[:/]/.test(version) ? version : `postgres:${version}`;
}

/**
 * argv after `docker`. The password is passed as `-e POSTGRES_PASSWORD` without a value, so Docker
 * reads it from our environment and it never appears in a process list.
 */
export function dockerRunArgs(options: { image: string; containerName: string }): string[] {
  return [
    'run', '-d', '--rm',
    '--name', options.containerName,
    '--label', 'cutover.throwaway=true',
    '-e', 'POSTGRES_PASSWORD',
    '-p', '127.0.0.1::5432',
    options.image,
    // Durability off: the database lives for minutes.
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ];
}

/** Output of `docker port <id> 5432/tcp` ("127.0.0.1:49153", maybe one line per address) → 49153. */
export function parseDockerPort(output: string): number | undefined {
  for (const line of output.split('\n')) {
    const match = /:(\d+)\s*$/.exec(line.trim());
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** `docker info` answers: an engine is reachable (not just the CLI installed). */
export async function dockerAvailable(): Promise<boolean> {
  const result = await runCommand(['docker', 'info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
  return result.code === 0 && result.stdout.trim() !== '';
}

export async function stopDockerPostgres(state: DockerState): Promise<void> {
  // --rm on run: removing the container also removes its anonymous data volume.
  await runCommand(['docker', 'rm', '-f', '-v', state.containerId ?? state.containerName], { timeoutMs: 60_000 });
}

export async function provisionDockerPostgres(options: { postgresVersion: string; runtime: Runtime; baseDir?: string }): Promise<ProvisionedServer> {
  const image = dockerImage(options.postgresVersion);
  const password = crypto.randomBytes(18).toString('base64url');
  registerSecret(password);
  const { dir, stateFile } = makeThrowawayDir(options.baseDir);
  const containerName = `cutover-dry-run-${crypto.randomBytes(4).toString('hex')}`;
  const state: DockerState = { version: 1, provider: 'docker', dir, containerName };
  writeState(stateFile, state);
  try {
    options.runtime.info(`Starting a throwaway ${image} container (${containerName})`);
    const run = await runCommand(['docker', ...dockerRunArgs({ image, containerName })], { env: { ...process.env, POSTGRES_PASSWORD: password }, timeoutMs: RUN_TIMEOUT_MS });
    if (run.code !== 0) {
      throw new ProvisionError(`docker run ${image} failed: ${outputTail(run)}`, { fix: 'check the image tag (postgres-version) and that the runner can pull from Docker Hub, or use dry-run-database: local or a URL.' });
    }
    const containerId = run.stdout.trim().split('\n').pop()!;
    writeState(stateFile, { ...state, containerId });
    const portOutput = await runCommand(['docker', 'port', containerId, '5432/tcp'], { timeoutMs: 30_000 });
    const port = parseDockerPort(portOutput.stdout);
    if (!port) throw new ProvisionError(`Could not find the published port of container ${containerName}: ${outputTail(portOutput)}`);

    const location: PostgresLocation = { kind: 'postgres', host: '127.0.0.1', port, database: 'postgres', user: 'postgres', password, sslmode: 'disable', params: {} };
    // The image's entrypoint first runs a temporary server on the unix socket only; TCP answering
    // means the final server is up.
    const outcome = await waitUntilReady({
      probe: () => probePostgres(location),
      alive: async () => (await runCommand(['docker', 'inspect', '-f', '{{.State.Running}}', containerId], { timeoutMs: 15_000 })).stdout.trim() === 'true',
      timeoutMs: READY_TIMEOUT_MS,
    });
    if (!outcome.ready) {
      const logs = await runCommand(['docker', 'logs', '--tail', '20', containerId], { timeoutMs: 15_000 });
      const what = outcome.reason === 'died' ? 'exited before accepting connections' : `did not accept connections within ${READY_TIMEOUT_MS / 1000} s`;
      throw new ProvisionError(`The throwaway container ${containerName} ${what}: ${outputTail(logs, 8) || outcome.lastError || ''}`);
    }
    return { location, serverVersion: await serverVersionOf(location), stateFile };
  } catch (error) {
    await stopDockerPostgres(state).catch(() => undefined);
    removeThrowawayDir(dir);
    throw error;
  }
}
