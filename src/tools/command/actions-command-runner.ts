// The Action's command runner: @actions/exec streams the command's output straight into the job log
// (inside the log group the engine opens), where the runner masks every secret cutover registered
// with core.setSecret. The same wrapper as the Node runner puts the command in its own process group,
// so a timeout or a cancel stops all of it (@actions/exec itself cannot kill what it started).
import * as exec from '@actions/exec';
import { lineSplitter, prepareWrapper, WRAPPER, type CommandRunner } from './command-runner.js';

export function actionsCommandRunner(): CommandRunner {
  return {
    echoesOutput: true,
    async run(spec) {
      let done = false;
      const wrapper = prepareWrapper(spec, () => done);
      const out = lineSplitter(spec.onLine);
      const err = lineSplitter(spec.onLine);
      const onAbort = () => void wrapper.stop();
      spec.signal.addEventListener('abort', onAbort, { once: true });
      if (spec.signal.aborted) onAbort();
      try {
        const env = Object.fromEntries(Object.entries(wrapper.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
        // silent: no "[command]bash -c <wrapper>" line; the output is written as it comes instead.
        const exitCode = await exec.exec('bash', ['-c', WRAPPER], {
          cwd: spec.cwd,
          env,
          ignoreReturnCode: true,
          silent: true,
          listeners: {
            stdout: (chunk) => {
              process.stdout.write(chunk);
              out.push(chunk);
            },
            stderr: (chunk) => {
              process.stderr.write(chunk);
              err.push(chunk);
            },
          },
        });
        return { exitCode };
      } finally {
        done = true;
        out.flush();
        err.flush();
        spec.signal.removeEventListener('abort', onAbort);
        wrapper.cleanup();
      }
    },
  };
}
