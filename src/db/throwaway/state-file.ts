// What a throwaway database leaves behind, written to a JSON state file as soon as it exists, so the
// Action's post step (a separate process, run even after a crash or cancellation) can remove it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const THROWAWAY_DIR_PREFIX = 'cutover-pg-';
const STATE_FILE_NAME = 'cutover-throwaway.json';

export interface LocalState {
  version: 1;
  provider: 'local';
  /** Temp directory holding data/, the log, the socket and this state file. */
  dir: string;
  dataDir: string;
  bindir: string;
  /** Non-root user the server runs as when we are root. */
  runAs?: string;
  port?: number;
  /** Postmaster pid, once started. */
  pid?: number;
}

export interface DockerState {
  version: 1;
  provider: 'docker';
  dir: string;
  containerId?: string;
  containerName: string;
}

export type ThrowawayState = LocalState | DockerState;

export function makeThrowawayDir(baseDir = os.tmpdir()): { dir: string; stateFile: string } {
  const dir = fs.mkdtempSync(path.join(baseDir, THROWAWAY_DIR_PREFIX));
  return { dir, stateFile: path.join(dir, STATE_FILE_NAME) };
}

export function writeState(stateFile: string, state: ThrowawayState): void {
  const temp = `${stateFile}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, stateFile);
}

/** The state, or undefined when the file is gone (already cleaned up) or is not ours. */
export function readState(stateFile: string): ThrowawayState | undefined {
  let parsed: Partial<ThrowawayState>;
  try {
    parsed = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Partial<ThrowawayState>;
  } catch {
    return undefined;
  }
  if (parsed?.version !== 1 || (parsed.provider !== 'local' && parsed.provider !== 'docker') || typeof parsed.dir !== 'string') return undefined;
  return parsed as ThrowawayState;
}

/**
 * rm -rf of a throwaway directory, refusing anything that is not one of ours: the path comes from
 * a file on disk, and a corrupted or hand-edited state file must not make us delete something else.
 */
export function removeThrowawayDir(dir: string): void {
  const resolved = path.resolve(dir);
  if (!path.basename(resolved).startsWith(THROWAWAY_DIR_PREFIX) || resolved === path.parse(resolved).root) {
    throw new Error(`refusing to remove ${resolved}: not a cutover throwaway directory`);
  }
  fs.rmSync(resolved, { recursive: true, force: true });
}
