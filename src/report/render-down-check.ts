// The down check of a dry run in the report: per new migration whether its down gives back the
// schema it had before, with the objects that differ or the error, and whether applying the
// migrations again gives the same schema as the first time.
import type { DownCheck, SchemaDifference } from '../dry-run/dry-run-report.js';
import { cell, clip, code, plural } from './markdown.js';

const SHOWN = 8;

function difference(d: SchemaDifference, expectedLabel: string, actualLabel: string): string {
  if (d.actual === undefined) return `${cell(d.object)} is missing (${expectedLabel}: ${code(clip(d.expected ?? '', 160))})`;
  if (d.expected === undefined) return `${cell(d.object)} is still there (${code(clip(d.actual, 160))})`;
  return `${cell(d.object)}: ${actualLabel} ${code(clip(d.actual, 160))}, ${expectedLabel} ${code(clip(d.expected, 160))}`;
}

function differences(list: SchemaDifference[], expectedLabel: string, actualLabel: string): string {
  const lines = list.slice(0, SHOWN).map((d) => `    - ${difference(d, expectedLabel, actualLabel)}`);
  if (list.length > SHOWN) lines.push(`    - … and ${plural(list.length - SHOWN, 'more object')}`);
  return lines.join('\n');
}

export function renderDownCheck(check: DownCheck | undefined): string | undefined {
  if (!check || check.results.length === 0) return undefined;
  const lines = check.results.map((r) => {
    const name = code(r.migration);
    switch (r.outcome) {
      case 'verified':
        return `- ✅ ${name}: its down gives back the schema it had before`;
      case 'differs':
        return `- ❌ ${name}: its down leaves a different schema (${plural(r.differences?.length ?? 0, 'object')}):\n${differences(r.differences ?? [], 'before', 'after the down')}`;
      case 'failed':
        return `- 💥 ${name}: its down fails: ${cell(clip(r.error ?? 'unknown error', 500))}`;
      case 'missing':
        return `- — ${name}: has no down (cannot be rolled back)`;
      case 'not-checked':
        return `- ⏭️ ${name}: not checked, because ${cell(r.reason ?? 'an earlier step stopped the check')}`;
    }
  });
  const { reapply } = check;
  const again = reapply.migrations?.map(code).join(', ');
  if (reapply.outcome === 'same') lines.push(`- ✅ applied again (${again}): the same schema as the first time`);
  if (reapply.outcome === 'differs') lines.push(`- ❌ applied again (${again}): the schema differs from the first time:\n${differences(reapply.differences ?? [], 'first time', 'now')}`);
  if (reapply.outcome === 'failed') lines.push(`- 💥 applying ${again} again failed: ${cell(clip(reapply.error ?? 'unknown error', 500))}`);
  return `### Down check\n\n${lines.join('\n')}`;
}
