// Runs the entry point again in a child Node with a small young generation. Measured on a 20M-row
// SQLite copy (bench/): V8's default semi-space let the heap, and peak RSS, grow with the table
// (301 MB at 20M rows vs 163 MB at 2M) although the live set stays ~10-15 MB; with
// --max-semi-space-size=4 peak RSS was 199 MB at 20M and the copy took as long. The Action's
// runtime (`runs.using: node24`) takes no Node flags, hence the child. No old-space cap: that would
// turn one very large value into an out-of-memory crash.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { engineNode, unsupportedNodeMessage } from './node-runtime.js';

export const HEAP_FLAGS = ['--max-semi-space-size=4'];
const MARKER = 'CUTOVER_HEAP_FLAGS';

function alreadyApplied(env: NodeJS.ProcessEnv): boolean {
  const given = `${process.execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
  return env[MARKER] === '1' || given.includes('--max-semi-space-size') || env.CUTOVER_NO_RESPAWN === '1';
}

/**
 * Runs this same script as a child with HEAP_FLAGS (on a new enough Node: src/node-runtime.ts) and
 * resolves with its exit code; resolves undefined when this process already is that child (the
 * caller then runs in-process). SIGINT, SIGTERM and SIGHUP are passed on, so a cancelled job stops the child
 * too; the child also gets an IPC channel, which closes when this process ends however it ends (even
 * SIGKILL), and src/cancellation.ts takes that as a cancellation: the engine never outlives us.
 */
export function respawnWithHeapFlags(env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  const node = engineNode();
  if (!node) {
    process.stderr.write(`${unsupportedNodeMessage()}\n`);
    return Promise.resolve(1);
  }
  if (alreadyApplied(env) && node === process.execPath) {
    // The channel to the parent must not keep this process alive once its work is done.
    process.channel?.unref();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const child = spawn(node, [...HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a Ctrl-C in a terminal reaches only this process, which forwards it
      // once. In our group the child would get it twice (terminal and forward) and stop at once.
      detached: process.platform !== 'win32',
      env: { ...env, [MARKER]: '1' },
    });
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    child.on('error', () => resolve(undefined)); // could not start a child: run in this process
    child.on('exit', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      // Like a shell: a child ended by a signal exits 128 + the signal's number.
      resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1));
    });
  });
}
