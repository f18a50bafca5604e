// Loading JavaScript migrations (`<id>_<name>.js` / `.mjs` exporting `up` and optionally `down`).
// Node's SyntaxError from import() names neither the file nor the line; `node --check` on the same
// Node does, so a module that fails to parse is checked once more to point at the right place.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationDatabase } from './migration-database.js';
import type { MigrationFile } from './migration-files.js';
import { stackLine } from './error-position.js';

/** What a JS migration's `up`/`down` receives. Also has `context` (itself) for Umzug-style `({ context })`. */
export interface JsMigrationContext {
  sql: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  client: MigrationDatabase['raw'];
  dialect: MigrationDatabase['dialect'];
  name: string;
  context: JsMigrationContext;
}

export interface JsMigrationModule {
  up: (context: JsMigrationContext) => Promise<unknown>;
  down?: (context: JsMigrationContext) => Promise<unknown>;
  /** `export const transaction = false` opts out like the marker comment. */
  transaction?: boolean;
}

/** A module that could not be loaded, with the line of the problem when it is known. */
export class JsLoadError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  constructor(message: string, details: { file: string; line?: number; cause: unknown }) {
    super(message, { cause: details.cause });
    this.file = details.file;
    this.line = details.line;
  }
}

/** The line `node --check` reports for `file` ("<file>:<line>" on its first line), if any. */
function checkSyntax(file: string): number | undefined {
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, NODE_OPTIONS: '' } });
  const match = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)\\s*$`, 'm').exec(result.stderr ?? '');
  return match ? Number(match[1]) : undefined;
}

function loadError(error: unknown, file: MigrationFile): JsLoadError {
  const name = (error as Error)?.name ?? 'Error';
  const message = (error as Error)?.message ?? String(error);
  // Errors thrown by the module's top-level code carry the file in their stack; parse errors do not.
  const line = stackLine(error, pathToFileURL(file.upPath).href) ?? (name === 'SyntaxError' ? checkSyntax(file.upPath) : undefined);
  return new JsLoadError(`${name}: ${message}`, { file: file.upPath, ...(line ? { line } : {}), cause: error });
}

const modules = new Map<string, Promise<JsMigrationModule>>();

/** Imports a JS migration module once per run; rejects with JsLoadError. */
export function loadJsMigration(file: MigrationFile): Promise<JsMigrationModule> {
  const key = `${file.upPath}#${file.checksum}`;
  let loaded = modules.get(key);
  if (!loaded) {
    // The checksum in the query string makes an edited file load fresh rather than from the cache.
    const specifier = `${pathToFileURL(file.upPath).href}?checksum=${file.checksum.slice(0, 12)}`;
    // webpackIgnore: ncc (webpack) would otherwise turn import(<expression>) into an empty context
    // that throws "Cannot find module"; with it, the bundle keeps Node's own import().
    loaded = import(/* webpackIgnore: true */ specifier).then(
      (module: Partial<JsMigrationModule> & { default?: Partial<JsMigrationModule> }) => {
        const source = typeof module.up === 'function' ? module : (module.default ?? {});
        if (typeof source.up !== 'function') throw new JsLoadError(`${path.basename(file.upPath)} does not export an async function up`, { file: file.upPath, cause: undefined });
        return source as JsMigrationModule;
      },
      (error: unknown) => {
        throw loadError(error, file);
      },
    );
    modules.set(key, loaded);
  }
  return loaded;
}
