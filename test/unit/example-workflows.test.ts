// The example workflows users copy must be valid workflow YAML and use only inputs the action has.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const action = parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const inputs = new Set(Object.keys(action.inputs));
const outputs = new Set(Object.keys(action.outputs));

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
}
interface Job {
  'runs-on': string;
  steps: Step[];
  environment?: string | { name: string };
  services?: Record<string, unknown>;
}
interface Workflow {
  name: string;
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

function load(name: string): Workflow {
  // The yaml package follows YAML 1.2, where `on` is a key, not the boolean YAML 1.1 makes of it.
  const document = parse(fs.readFileSync(path.join(root, 'examples', name), 'utf8'), { strict: true, uniqueKeys: true }) as Workflow;
  return document;
}

function cutoverSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.uses?.startsWith('your-org/cutover@')));
}

const files = fs.readdirSync(path.join(root, 'examples')).filter((file) => file.endsWith('.yml'));

test('the three examples exist', () => {
  expect(files.sort()).toEqual(['manual-cutover.yml', 'pr-dry-run.yml', 'release-migrate.yml']);
});

describe.each(files)('%s', (file) => {
  const workflow = load(file);

  test('is a workflow: name, on, jobs with runs-on and steps', () => {
    expect(typeof workflow.name).toBe('string');
    expect(workflow.on && typeof workflow.on).toBe('object');
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values(workflow.jobs)) {
      expect(typeof job['runs-on']).toBe('string');
      expect(job.steps.length).toBeGreaterThan(0);
      for (const step of job.steps) expect(Number(Boolean(step.uses)) + Number(Boolean(step.run))).toBe(1);
    }
  });

  test('least privilege: contents read, nothing else unless needed', () => {
    expect(workflow.permissions?.contents).toBe('read');
    const extra = Object.keys(workflow.permissions ?? {}).filter((key) => key !== 'contents');
    expect(extra).toEqual(file === 'pr-dry-run.yml' ? ['pull-requests'] : []);
  });

  test('has one cutover step, and every with: key is a real input of action.yml', () => {
    const steps = cutoverSteps(workflow);
    expect(steps).toHaveLength(1);
    expect(steps[0].uses).toMatch(/^your-org\/cutover@v\d+$/);
    for (const key of Object.keys(steps[0].with ?? {})) expect(inputs).toContain(key);
    expect(steps[0].id).toBe('cutover');
  });

  test('checks out the repository first and references only outputs the action has', () => {
    const steps = Object.values(workflow.jobs)[0].steps;
    expect(steps[0].uses).toBe('actions/checkout@v4');
    const text = fs.readFileSync(path.join(root, 'examples', file), 'utf8');
    for (const [, name] of text.matchAll(/steps\.cutover\.outputs\.([\w-]+)/g)) expect(outputs).toContain(name);
    // Expressions are closed and no secret is written in clear.
    expect(text.split('${{').length).toBe(text.split('}}').length);
    expect(text).not.toMatch(/postgres(ql)?:\/\/[^:\s]+:(?!postgres@)[^@\s]+@/);
  });
});

test('pr-dry-run: pull_request, pull-requests: write, full history, dry-run mode, optional service', () => {
  const workflow = load('pr-dry-run.yml');
  expect(Object.keys(workflow.on)).toEqual(['pull_request']);
  expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  const job = workflow.jobs['dry-run'];
  expect(job.steps[0].with).toEqual({ 'fetch-depth': 0 });
  expect(job.services?.postgres).toBeDefined();
  const step = cutoverSteps(workflow)[0];
  expect(step.with).toMatchObject({ mode: 'dry-run', 'dry-run-database': expect.stringMatching(/^postgresql:\/\/.*@localhost:5432\//) });
  expect(step.with).not.toHaveProperty('target-url');
});

test('release-migrate: push to main and release, migrate mode, a non-cancelling concurrency group, an environment', () => {
  const workflow = load('release-migrate.yml');
  expect(workflow.on.push.branches).toEqual(['main']);
  expect(workflow.on.release.types).toEqual(['published']);
  expect(workflow.concurrency).toEqual({ group: expect.any(String), 'cancel-in-progress': false });
  expect(workflow.jobs.migrate.environment).toBe('production');
  expect(cutoverSteps(workflow)[0].with).toMatchObject({ mode: 'migrate', 'target-url': '${{ secrets.DATABASE_URL }}' });
});

test('manual-cutover: workflow_dispatch with secret-name and mode inputs, an environment, cutover with verification', () => {
  const workflow = load('manual-cutover.yml');
  const dispatch = workflow.on.workflow_dispatch.inputs;
  expect(dispatch['source-secret']).toMatchObject({ type: 'string', required: true });
  expect(dispatch['target-secret']).toMatchObject({ type: 'string', required: true });
  expect(dispatch.mode).toMatchObject({ type: 'choice', default: 'cutover' });
  expect(dispatch.mode.options).toContain(dispatch.mode.default);
  expect(workflow.jobs.cutover.environment).toBe('production');
  expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
  const step = cutoverSteps(workflow)[0];
  expect(step.with).toMatchObject({
    mode: '${{ inputs.mode }}',
    'source-url': '${{ secrets[inputs.source-secret] }}',
    'target-url': '${{ secrets[inputs.target-secret] }}',
    checksums: 'true',
  });
  // Every mode offered is a mode the action accepts.
  const modes = String((action.inputs.mode as { description: string }).description);
  for (const mode of dispatch.mode.options as string[]) expect(modes).toContain(mode);
});
