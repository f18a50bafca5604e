// Prints the CHANGELOG.md section of one version (`## [X.Y.Z]` up to the next `## [`), the notes of
// its GitHub release. Fails when the section is missing or empty: a release needs its notes first.
// Usage: node scripts/release-notes.mjs X.Y.Z [CHANGELOG.md]
import fs from 'node:fs';

export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
  if (start < 0) throw new Error(`CHANGELOG.md has no section '## [${version}]'. Fix: add the release's notes under that heading before tagging v${version}.`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## ['));
  const body = lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
  if (!body) throw new Error(`The CHANGELOG.md section '## [${version}]' is empty. Fix: say what changed in v${version}.`);
  return `${body}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
  try {
    if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error(`usage: node scripts/release-notes.mjs X.Y.Z (got '${version ?? ''}')`);
    process.stdout.write(releaseNotes(fs.readFileSync(file, 'utf8'), version));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
