// dist/ is one bundle: the main step, the post step and the CLI entry share its chunks and ONE set of
// better-sqlite3 prebuilds, one per platform a runner can have. Only linux-x64 runs on this machine
// (every dist/ test does); for the other platforms each binary is checked to be what its name says
// (file format, CPU, and C library on Linux), and the bundle to reference each of them.
import fs from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../src/version.js';
import { runDistCli } from '../helpers/run-dist.js';

const dist = path.resolve('dist');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** Platform key (as better-sqlite3 names its prebuilds) of a native module, read from its header. */
function platformOf(file: string): string {
  const bytes = fs.readFileSync(file);
  if (bytes.readUInt32BE(0) === 0x7f454c46) {
    const machine = ({ 62: 'x64', 183: 'arm64' } as Record<number, string>)[bytes.readUInt16LE(18)] ?? `machine-${bytes.readUInt16LE(18)}`;
    // A musl build needs libc.musl-<arch>.so.1; a glibc build needs libc.so.6.
    return `${bytes.includes('libc.musl-') ? 'linuxmusl' : 'linux'}-${machine}`;
  }
  if (bytes.readUInt32LE(0) === 0xfeedfacf) {
    return `darwin-${({ 0x01000007: 'x64', 0x0100000c: 'arm64' } as Record<number, string>)[bytes.readUInt32LE(4)] ?? 'unknown'}`;
  }
  if (bytes.toString('latin1', 0, 2) === 'MZ') {
    const pe = bytes.readUInt32LE(0x3c);
    expect(bytes.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    return `win32-${({ 0x8664: 'x64', 0xaa64: 'arm64' } as Record<number, string>)[bytes.readUInt16LE(pe + 4)] ?? 'unknown'}`;
  }
  return 'unknown';
}

const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'linuxmusl-arm64', 'linuxmusl-x64', 'win32-arm64', 'win32-x64'];

test('one set of prebuilds in dist/prebuilds, each the binary its name says', () => {
  const natives = filesUnder(dist).filter((file) => file.endsWith('.node'));
  expect(natives.map((file) => path.relative(dist, file)).sort()).toEqual(PLATFORMS.map((p) => path.join('prebuilds', `${p}.node`)));
  for (const file of natives) expect(platformOf(file)).toBe(path.basename(file, '.node'));
});

test('the bundle loads each prebuild from dist/prebuilds by its platform', () => {
  const code = filesUnder(dist).filter((file) => file.endsWith('.js')).map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  for (const platform of PLATFORMS) expect(code).toContain(`prebuilds/${platform}.node`);
});

test('the post step and the CLI entry are small files that run the same bundle', () => {
  for (const entry of ['post', 'cli']) {
    const dir = path.join(dist, entry);
    expect(fs.readdirSync(dir)).toEqual(['index.js']);
    const text = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(text).toContain(`globalThis.cutoverEntry = '${entry}';`);
    expect(text).toContain("await import('../index.js');");
    expect(text.length).toBeLessThan(1024);
  }
  const action = fs.readFileSync('action.yml', 'utf8');
  expect(action).toMatch(/main: 'dist\/index\.js'/);
  expect(action).toMatch(/post: 'dist\/post\/index\.js'/);
});

test('dist/cli/index.js runs the CLI from the shared bundle', async () => {
  const version = await runDistCli(['--version']);
  expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  const help = await runDistCli(['--help']);
  expect(help.stdout).toContain('Usage: cutover <command> [options]');
});
