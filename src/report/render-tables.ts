// The tables section of the report: row counts on both sides and whether the checksums agree, how
// the rows of a differing table differ, and the source tables left out of the copy or verify.
import type { TableAfter } from '../dry-run/dry-run-report.js';
import type { LeftOutEntry, RunResult, TableEntry } from '../run-result.js';
import { describeDifferences } from '../verify/describe-differences.js';
import { cell, code, count, details, plural, table, type Column } from './markdown.js';

const KEYS_SHOWN = 5;

/** A table is fine when both counts are known and equal and no checksum disagrees. */
export function tableMatches(entry: TableEntry): boolean | undefined {
  if (entry.missingInTarget || entry.checksumMatch === false) return false;
  if (entry.sourceRows === undefined || entry.targetRows === undefined) return entry.checksumMatch ?? undefined;
  return entry.sourceRows === entry.targetRows;
}

function checksumCell(entry: TableEntry): string {
  if (entry.missingInTarget) return '— not compared';
  if (entry.checksumMatch === true) return '✅ match';
  if (entry.checksumMatch === false) return '❌ differs';
  return '— not computed';
}

function detailsCell(entry: TableEntry): string {
  const parts: string[] = [];
  if (entry.missingInTarget) parts.push('missing in the target: not compared');
  if (entry.rejectedRows) parts.push(`${plural(entry.rejectedRows, 'row')} rejected`);
  if (entry.differences) {
    parts.push(describeDifferences(entry.differences, code));
  } else if (entry.differingKeys?.length) {
    const shown = entry.differingKeys.slice(0, KEYS_SHOWN).map((key) => code(key)).join(', ');
    const more = entry.differingKeys.length > KEYS_SHOWN ? ` and ${count(entry.differingKeys.length - KEYS_SHOWN)} more` : '';
    parts.push(`first differing keys: ${shown}${more}`);
  }
  return parts.join('<br>');
}

function matchCell(entry: TableEntry): string {
  const match = tableMatches(entry);
  return match === undefined ? '—' : match ? '✅' : '❌';
}

/** Dry runs: the table after the new migrations, as far as it can still be compared with the source. */
function afterCell(after: TableAfter | undefined): string {
  if (!after) return '—';
  const names = (list: string[] | undefined) => (list?.length ? ` by ${list.map((m) => code(m)).join(', ')}` : '');
  const by = names(after.by);
  if (after.state === 'dropped') return `🔥 dropped${by}`;
  if (after.state === 'written') return `${count(after.rowsAfter)} · rows written${names(after.writtenBy)} (not compared)${by ? ` · schema changed${by}` : ''}`;
  const same = after.rowsAfter === after.rowsBefore ? `${count(after.rowsAfter)} ✅ as many as copied` : `${count(after.rowsAfter)} ❌ but ${count(after.rowsBefore)} were copied`;
  if (after.state === 'renamed') return `${same} · renamed to ${code(after.renamedTo ?? '?')}${by}`;
  if (after.state === 'altered') return `${same} · schema changed${by}`;
  return same;
}

function afterSummary(entries: TableAfter[]): string {
  const compared = entries.filter((e) => e.state !== 'written' && e.state !== 'dropped');
  const differing = compared.filter((e) => e.rowsAfter !== e.rowsBefore).length;
  const parts: string[] = [];
  if (compared.length) parts.push(differing ? `**${plural(differing, 'table')} no longer ${differing === 1 ? 'holds' : 'hold'} as many rows as were copied**` : `${plural(compared.length, 'table')} not written by them ${compared.length === 1 ? 'holds' : 'hold'} as many rows as were copied`);
  const written = entries.filter((e) => e.state === 'written').length;
  if (written) parts.push(`${plural(written, 'table')} written by them (not compared)`);
  const dropped = entries.filter((e) => e.state === 'dropped').length;
  if (dropped) parts.push(`${plural(dropped, 'table')} dropped`);
  return `after the new migrations: ${parts.join('; ')}`;
}

export function renderTables(result: RunResult): string | undefined {
  const { tables } = result;
  if (tables.length === 0) return undefined;
  const afterEntries = result.dryRun?.tablesAfter;
  const columns: Array<Column<TableEntry>> = [
    { header: 'Table', render: (t) => code(t.table) },
    { header: 'Source rows', align: 'right', render: (t) => count(t.sourceRows) },
    { header: 'Target rows', align: 'right', render: (t) => count(t.targetRows) },
    { header: 'Match', align: 'center', render: matchCell },
    { header: 'Checksum', align: 'center', render: checksumCell },
  ];
  if (tables.some((t) => t.rejectedRows || t.differingKeys?.length || t.differences || t.missingInTarget)) {
    columns.push({ header: 'Details', render: (t) => detailsCell(t) || cell('') });
  }
  if (afterEntries) columns.push({ header: 'After the new migrations', render: (t) => afterCell(afterEntries.find((a) => a.table === t.table)) });
  const mismatched = tables.filter((t) => tableMatches(t) === false).length;
  let summary = mismatched
    ? `${plural(tables.length, 'table')} · **${plural(mismatched, 'table')} ${mismatched === 1 ? 'differs' : 'differ'}**`
    : `${plural(tables.length, 'table')}${tables.every((t) => tableMatches(t) === true) ? ' · all match' : ''}`;
  // The copy was verified before the new migrations; say what still holds after them.
  if (afterEntries) summary += ` (copied and verified before the new migrations) · ${afterSummary(afterEntries)}`;
  return ['### Tables', summary, table(columns, tables)].join('\n\n');
}

const LEFT_OUT_OPEN = 10;

/** "Left out": the source tables not copied or compared, grouped by reason; collapsed when long. */
export function renderLeftOut(result: RunResult): string | undefined {
  const leftOut: LeftOutEntry[] = result.leftOut ?? [];
  if (leftOut.length === 0) return undefined;
  const byReason = new Map<string, string[]>();
  for (const { table: name, reason } of leftOut) byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  const lines = [...byReason].map(([reason, names]) => `- ${cell(reason)}: ${names.map((name) => code(name)).join(', ')}`).join('\n');
  const title = `Left out: ${plural(leftOut.length, 'source table')}`;
  return leftOut.length > LEFT_OUT_OPEN ? details(title, lines) : `### ${title}\n\n${lines}`;
}
