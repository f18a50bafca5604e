// Maps PostgreSQL's error `position` (1-based, counted in characters of the query text we sent) to the
// 1-based line of the migration file, so annotations point at the offending line.
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Line (1-based) of the character at `position` (1-based, code points) in `text`. */
export function lineAtPosition(text: string, position: number): number {
  if (!Number.isFinite(position) || position < 1) return 1;
  let line = 1;
  let seen = 0;
  for (const char of text) {
    seen += 1;
    if (seen >= position) break;
    if (char === '\n') line += 1;
  }
  return line;
}

/** Line (1-based) of the UTF-16 index `index` in `text`. */
export function lineAtIndex(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(index, text.length); i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/**
 * The line in the file for a pg error raised by `statementText`, which starts at line `startLine` of
 * the file; undefined when the error carries no position.
 */
export function errorLine(error: unknown, statementText: string, startLine = 1): number | undefined {
  const position = Number((error as { position?: string })?.position);
  if (!position) return undefined;
  return startLine + lineAtPosition(statementText, position) - 1;
}

/** For errors thrown by a JS migration: the line of `file` (a path or file: URL) in the stack trace. */
export function stackLine(error: unknown, file: string): number | undefined {
  const stack = (error as Error)?.stack;
  if (!stack) return undefined;
  const filePath = file.startsWith('file:') ? fileURLToPath(file) : file;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Frames name the module by URL, with the ?checksum=… query it was imported with (js-migration.ts),
  // or by plain path where source maps rewrite stacks (e.g. under jest).
  const match = new RegExp(`(?:${escape(pathToFileURL(filePath).href)}|${escape(filePath)})(?:\\?[^:\\s)]*)?:(\\d+)`).exec(stack);
  return match ? Number(match[1]) : undefined;
}
