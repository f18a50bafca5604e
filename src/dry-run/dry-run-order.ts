// Which order a dry run can take. The question a reviewer asks is what the PR's new migrations do to
// production, so the throwaway is first brought to production's state: the migrations that exist on
// the PR's base commit (or, with schema-from: target, the real target's schema and history), then the
// data, then the new migrations on top of it. Without a base commit that order cannot be known and
// the dry run falls back to applying every migration before the data, saying so.
import { pullRequestFromEvent } from '../report/pull-request-event.js';
import type { Runtime } from '../runtime.js';
import type { Settings } from '../settings.js';
import { describeFresh, migrationsAtBase } from './new-migrations.js';

export type OrderPlan =
  /** Apply `baseNames` (schema-from: migrations), load the data, then apply the rest, measured. */
  | { kind: 'base-then-new'; baseCommit?: string; baseNames?: Set<string>; fresh?: Set<string> }
  /** The base commit has no migrations: nothing to load the data into before the new ones. */
  | { kind: 'new-then-data'; baseCommit: string; fresh: Set<string> }
  | { kind: 'fallback'; reason: string };

/** The base commit: base-ref, else the pull_request event's base SHA. */
export function baseRefOf(settings: Settings, env: NodeJS.ProcessEnv): string | undefined {
  return settings.dryRun.baseRef ?? (env.GITHUB_EVENT_PATH ? pullRequestFromEvent(env.GITHUB_EVENT_PATH)?.baseSha : undefined);
}

const FALLBACK = 'the dry run applied every migration before copying the data (the order it had before it could tell new migrations apart), so no migration was measured and no schema diff was made';

/** `warnings` receives what the report must say besides the log. */
export async function planOrder(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv, fileNames: string[], warnings: string[]): Promise<OrderPlan> {
  const baseRef = baseRefOf(settings, env);
  const base = baseRef ? await migrationsAtBase(baseRef, settings.migrationsDir, settings.workingDirectory, runtime) : undefined;
  if (base?.ok && base.commit) runtime.info(describeFresh(base.fresh, base.commit));

  if (settings.dryRun.schemaFrom === 'target') {
    // The target's own history is the base; git only marks which migrations are new in the PR.
    if (base && !base.ok) runtime.warning(`${base.problem}. Fix: ${base.fix}`);
    return { kind: 'base-then-new', ...(base?.ok && base.commit ? { baseCommit: base.commit, fresh: base.fresh } : {}) };
  }
  if (!base) {
    const input = settings.origin === 'action' ? 'base-ref' : '--base-ref';
    return { kind: 'fallback', reason: `No base commit to compare the migrations with (${input} is empty and this is not a pull_request run): ${FALLBACK}. Fix: run the dry run on pull_request events, or pass ${input}.` };
  }
  if (!base.ok) return { kind: 'fallback', reason: `${base.problem}: ${FALLBACK}. Fix: ${base.fix}` };
  if (base.edited.length > 0) {
    const [one, list] = [base.edited.length === 1, base.edited.join(', ')];
    const warning =
      `This pull request edits ${one ? 'a migration' : 'migrations'} the base commit already has (${list}): production ran ${one ? 'its' : 'their'} base version, and deploying fails the checksum check (unless allow-changed-migrations). ` +
      `The dry run applied the edited version${one ? '' : 's'} as part of the base state, so ${one ? 'it was' : 'they were'} not measured. Fix: put the change in a new migration and restore ${list} as ${one ? 'it was' : 'they were'}.`;
    runtime.warning(warning);
    warnings.push(warning);
  }
  const baseNames = new Set(fileNames.filter((name) => base.atBase.has(name)));
  if (baseNames.size === 0 && settings.source) return { kind: 'new-then-data', baseCommit: base.commit, fresh: base.fresh };
  return { kind: 'base-then-new', baseCommit: base.commit, baseNames, fresh: base.fresh };
}
