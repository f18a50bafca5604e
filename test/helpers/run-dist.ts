// Runs the bundled action (dist/index.js) or CLI (dist/cli/index.js) the way a GitHub runner or a user
// does: Node 24 from node_modules/.bin, INPUT_* variables passed directly (not through /bin/sh, which
// drops names with hyphens), and real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './temp-dir.js';

export const NODE24 = path.resolve('node_modules/.bin/node');

export interface DistRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputsFile: string;
  outputs: Record<string, string>;
  dir: string;
}

/** Parses the heredoc format core.setOutput writes: name<<DELIM\nvalue\nDELIM */
export function parseOutputsFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i]);
    outputs[match[1]] = value.join('\n');
  }
  return outputs;
}

/** Runs Node 24 with `args` (no shell: env names with hyphens survive) and collects its output. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function runDistAction(inputs: Record<string, string>, extraEnv: Record<string, string> = {}, entry = 'dist/index.js'): Promise<DistRun> {
  const dir = makeTempDir('cutover-dist-');
  const summaryFile = path.join(dir, 'summary.md');
  const outputsFile = path.join(dir, 'outputs');
  const stateFile = path.join(dir, 'state');
  for (const file of [summaryFile, outputsFile, stateFile]) fs.writeFileSync(file, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputsFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_WORKSPACE: process.cwd(),
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = await spawnNode([path.resolve(entry)], env, process.cwd());
  return { ...result, summary: fs.readFileSync(summaryFile, 'utf8'), outputsFile: fs.readFileSync(outputsFile, 'utf8'), outputs: parseOutputsFile(fs.readFileSync(outputsFile, 'utf8')), dir };
}

export async function runDistCli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return spawnNode([path.resolve('dist/cli/index.js'), ...args], { PATH: process.env.PATH, HOME: process.env.HOME, ...extraEnv }, process.cwd());
}
