// The Action's post step: runs after the job even when the main step failed or was cancelled, and
// removes a throwaway database the main step could not tear down itself.
import * as core from '@actions/core';
import { cleanupThrowaway } from './post-cleanup.js';

try {
  await cleanupThrowaway(process.env);
} catch (error) {
  core.warning(`cutover cleanup: ${error instanceof Error ? error.message : String(error)}`);
}
