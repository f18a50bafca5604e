// The section a migrate-command dry run gets for the PR's run (src/tools/command/command-impact.ts):
// the locks its sessions were seen holding, with what each blocks, and the tables it rewrote. The
// sampling is said in the section, so that a missing lock is not read as "took no lock".
import type { CommandImpact } from '../dry-run/dry-run-report.js';
import { blocksOf, lockName, lockWords } from '../dry-run/measure/lock-modes.js';
import { cell, code, plural } from './markdown.js';

const ICON = { nothing: '🟢', writes: '🟠', 'reads and writes': '🔴' } as const;

export function renderCommandImpact(impact: CommandImpact | undefined): string | undefined {
  if (!impact) return undefined;
  const parts = ['### What the PR\'s migrate-command did'];
  const sampled = `sampled every ${impact.sampledEveryMs} ms from another connection while the command ran; a lock held for less may be missing`;
  if (impact.locks.length === 0) parts.push(`Locks: none seen on the application's tables (${sampled}).`);
  else {
    parts.push(`Locks its sessions held on the application's tables (${sampled}):`);
    parts.push(['| Table | Strongest lock seen | For the application |', '| --- | --- | --- |', ...impact.locks.map((l) => `| ${code(l.relation)} | ${ICON[blocksOf(l.mode)]} ${lockName(l.mode)} | ${cell(lockWords(l.mode))} |`)].join('\n'));
  }
  parts.push(
    impact.rewritten.length === 0
      ? 'Rewrites: no table was rewritten.'
      : `Rewrites: ${impact.rewritten.map((r) => `${code(r.table)} (${plural(r.rows, 'row')} rewritten under its lock)`).join(', ')}.`,
  );
  return parts.join('\n\n');
}
