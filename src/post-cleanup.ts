// What the Action's post step does: remove a throwaway database the main step could not tear down
// (crash, timeout, cancellation). The main step saves the state file's path with
// core.saveState('throwaway', …); the runner hands it to the post step as STATE_throwaway.
import { teardownFromStateFile } from './db/throwaway/teardown.js';

/** True when something was left and has been removed. */
export async function cleanupThrowaway(env: NodeJS.ProcessEnv = process.env, stateFile?: string): Promise<boolean> {
  const file = stateFile ?? env.STATE_throwaway;
  if (!file) return false;
  return teardownFromStateFile(file);
}
