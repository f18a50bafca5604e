// The README's inputs table is generated from action.yml; it must be regenerated when action.yml changes.
import fs from 'node:fs';
// @ts-expect-error plain ESM script without types
import { updateReadme } from '../../scripts/readme-inputs.mjs';

test('README inputs/outputs tables match action.yml (run `node scripts/readme-inputs.mjs --write`)', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  expect(updateReadme(readme, fs.readFileSync('action.yml', 'utf8'))).toBe(readme);
});

test('the README gives the two set-up commands that .ci/run and package.json provide', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  expect(readme).toContain('npm ci && npm run demo\nnpm test\n');
  const scripts = JSON.parse(fs.readFileSync('package.json', 'utf8')).scripts;
  expect(scripts.demo).toBeDefined();
  expect(fs.readFileSync('.ci/run', 'utf8')).toMatch(/^npm test$/m);
});
