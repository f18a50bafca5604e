// `npm version` hook: writes package.json's name and version into src/version.ts (the bundle and lib/
// cannot read package.json at run time from where they are installed).
import fs from 'node:fs';

const { name, version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const file = 'src/version.ts';
const text = fs.readFileSync(file, 'utf8')
  .replace(/^export const PACKAGE_NAME = '.*';$/m, `export const PACKAGE_NAME = '${name}';`)
  .replace(/^export const VERSION = '.*';$/m, `export const VERSION = '${version}';`);
fs.writeFileSync(file, text);
console.log(`${file}: ${name}@${version}`);
