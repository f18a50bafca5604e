// Renders the README's inputs/outputs tables from action.yml, so the docs cannot drift from the action.
// `node scripts/readme-inputs.mjs --write` updates README.md; a unit test checks it is up to date.
import fs from 'node:fs';
import YAML from 'yaml';

const START = '<!-- action-inputs:start (generated from action.yml by scripts/readme-inputs.mjs) -->';
const END = '<!-- action-inputs:end -->';

export function renderInputsTables(actionYml) {
  const action = YAML.parse(actionYml);
  const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();
  const lines = ['| input | default | description |', '| --- | --- | --- |'];
  for (const [name, input] of Object.entries(action.inputs)) {
    lines.push(`| \`${name}\` | ${input.default !== undefined ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`);
  }
  lines.push('', '| output | description |', '| --- | --- |');
  for (const [name, output] of Object.entries(action.outputs)) lines.push(`| \`${name}\` | ${cell(output.description)} |`);
  return `${START}\n${lines.join('\n')}\n${END}`;
}

export function updateReadme(readme, actionYml) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error('README.md has no action-inputs markers');
  return readme.slice(0, start) + renderInputsTables(actionYml) + readme.slice(end + END.length);
}

if (process.argv.includes('--write')) {
  const readme = fs.readFileSync('README.md', 'utf8');
  fs.writeFileSync('README.md', updateReadme(readme, fs.readFileSync('action.yml', 'utf8')));
}
