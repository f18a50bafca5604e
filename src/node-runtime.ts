// Which Node runs the engine. better-sqlite3 13 (the SQLite driver) needs Node 22 or newer and
// crashes on older ones, so an older Node (a system Node 20 running `cutover` from a clone, or the
// npm package) hands over to a Node 24 installed next to it (the `node` package in node_modules),
// or stops with a clear error. Nothing here may load the driver: this runs before the check.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, VERSION } from './version.js';

export const MIN_NODE_MAJOR = 22;

export function nodeMajor(version = process.versions.node): number {
  return Number(version.split('.')[0]);
}

/** The Node binary to run the engine with, or undefined when there is none new enough. */
export function engineNode(script = process.argv[1] ?? '', current = process.execPath, version = process.versions.node): string | undefined {
  if (nodeMajor(version) >= MIN_NODE_MAJOR) return current;
  // dist/index.js, dist/cli/index.js and bin/cutover.js all sit one or two levels below the clone.
  for (const up of ['..', '../..']) {
    const candidate = path.resolve(path.dirname(script), up, 'node_modules/node/bin/node');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function unsupportedNodeMessage(version = process.version): string {
  return (
    `cutover needs Node.js ${MIN_NODE_MAJOR} or newer, but this is ${version}: its SQLite driver (better-sqlite3 13) crashes on older versions. ` +
    `Fix: install Node.js 24 (the GitHub Actions runtime) or 22, or let npx bring Node 24 for this command: ` +
    `\`npx -p node@24 -p ${PACKAGE_NAME}@${VERSION} -- cutover …\`. In a clone of cutover, \`npm ci\` installs Node 24 under node_modules/.bin.`
  );
}
