// Small, pure Markdown building blocks for the report. Everything user-controlled (migration names,
// table names, error messages) passes through `cell` or `code` before it reaches a table, so a `|`,
// a newline or a backtick in a name cannot break the layout GitHub renders.

/** Plain text for a GFM table cell: Markdown and HTML neutralised, newlines as <br>. */
export function cell(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n+/g, '<br>')
    .trim();
}

/** An inline code span that survives backticks in the text and `|` inside a table cell. */
export function code(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  // GFM splits table rows on `|` before parsing code spans; `\|` is the documented escape there.
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}

export type Align = 'left' | 'right' | 'center';

export interface Column<Row> {
  header: string;
  align?: Align;
  render(row: Row): string;
}

const SEPARATORS: Record<Align, string> = { left: ':---', right: '---:', center: ':---:' };

/** A GFM table. Renderers must already have escaped the cell contents. */
export function table<Row>(columns: Array<Column<Row>>, rows: Row[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(columns.map((column) => column.header)),
    line(columns.map((column) => SEPARATORS[column.align ?? 'left'])),
    ...rows.map((row) => line(columns.map((column) => column.render(row) || ' '))),
  ].join('\n');
}

/** 1234567 → "1,234,567" (independent of the machine's locale, so golden files are stable). */
export function count(value: number | undefined): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const [whole, fraction] = String(value).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** 12 → "12 ms", 4200 → "4.2 s", 125000 → "2 min 5 s". */
export function duration(ms: number | undefined): string {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/** Shortens text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A collapsible block; the blank lines let GitHub render Markdown inside it. */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
