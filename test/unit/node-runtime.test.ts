import fs from 'node:fs';
import path from 'node:path';
import { engineNode, unsupportedNodeMessage } from '../../src/node-runtime.js';
import { PACKAGE_NAME, VERSION } from '../../src/version.js';
import { makeTempDir } from '../helpers/temp-dir.js';

describe('engineNode', () => {
  test('a new enough Node runs the engine itself', () => {
    expect(engineNode('/x/dist/cli/index.js', '/usr/bin/node', '24.1.0')).toBe('/usr/bin/node');
  });

  test('an old Node hands over to the Node 24 installed in the clone', () => {
    const clone = makeTempDir('cutover-clone-');
    fs.mkdirSync(path.join(clone, 'node_modules/node/bin'), { recursive: true });
    fs.writeFileSync(path.join(clone, 'node_modules/node/bin/node'), '');
    expect(engineNode(path.join(clone, 'dist/cli/index.js'), '/usr/bin/node', '20.20.2')).toBe(path.join(clone, 'node_modules/node/bin/node'));
    expect(engineNode(path.join(clone, 'bin/cutover.js'), '/usr/bin/node', '20.20.2')).toBe(path.join(clone, 'node_modules/node/bin/node'));
  });

  test('an old Node with nothing to hand over to gets a clear error', () => {
    expect(engineNode('/nowhere/dist/index.js', '/usr/bin/node', '20.20.2')).toBeUndefined();
    expect(unsupportedNodeMessage('v20.20.2')).toMatch(/needs Node\.js 22 or newer, but this is v20\.20\.2.*Fix: install Node\.js 24/);
    expect(unsupportedNodeMessage('v20.20.2')).toContain(`npx -p node@24 -p cutover@${VERSION} -- cutover`);
  });
});

test('src/version.ts names the package and version in package.json (npm version runs scripts/sync-version.mjs)', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
  expect({ name: PACKAGE_NAME, version: VERSION }).toEqual({ name: pkg.name, version: pkg.version });
  expect(pkg.scripts.version).toContain('scripts/sync-version.mjs');
});
