// The published package and version of this build: reports print `npx cutover@<version> …` so that a
// command is run by the same release that produced it. `npm version` rewrites this file
// (scripts/sync-version.mjs); a unit test keeps it equal to package.json.
export const PACKAGE_NAME = 'cutover';
export const VERSION = '0.1.0';
