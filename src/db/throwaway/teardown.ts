// Removes whatever a state file says a throwaway database left behind: stops the server or
// container, then deletes its temp directory (which holds the state file itself). Idempotent: a
// missing state file means the database is already gone.
import { stopDockerPostgres } from './docker-postgres.js';
import { stopLocalPostgres } from './local-postgres.js';
import { readState, removeThrowawayDir } from './state-file.js';

/** True when something was torn down, false when there was nothing left. */
export async function teardownFromStateFile(stateFile: string): Promise<boolean> {
  const state = readState(stateFile);
  if (!state) return false;
  if (state.provider === 'local') await stopLocalPostgres(state);
  else await stopDockerPostgres(state);
  removeThrowawayDir(state.dir);
  return true;
}
