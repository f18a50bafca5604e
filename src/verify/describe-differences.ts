// Differences of one table in words, for the log and the error paragraph (the report renders its own
// Markdown from the same fields): how many rows differ by kind, with a few keys of each.
import type { TableDifferences } from '../run-result.js';

const number = (n: number) => n.toLocaleString('en-US');

export function describeDifferences(d: TableDifferences, keyFormat: (key: string) => string = (key) => key): string {
  const total = d.missing + d.extra + d.changed;
  const kinds = ([['missing', 'missing in the target'], ['extra', 'extra in the target'], ['changed', 'changed']] as const)
    .filter(([kind]) => d[kind] > 0)
    .map(([kind, label]) => {
      const keys = d.samples[kind].map(keyFormat).join(', ');
      return `${d.exact ? '' : 'at least '}${number(d[kind])} ${label} (${keys}${d[kind] > d.samples[kind].length ? ', …' : ''})`;
    });
  const head = d.exact
    ? `${number(total)} row${total === 1 ? '' : 's'} differ${total === 1 ? 's' : ''}`
    : `at least ${number(total)} rows differ (a lower bound: only part of the table was compared row by row)`;
  return `${head}: ${kinds.join(', ')}`;
}
