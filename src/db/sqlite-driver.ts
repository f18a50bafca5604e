// Loads better-sqlite3 through its per-platform subpath exports. A plain `import 'better-sqlite3'`
// breaks the ncc bundle (`__dirname is not defined`); literal subpath imports let ncc emit the
// prebuilt .node files next to dist/index.js. See ../shared/NOTES.md.
import type BetterSqlite3 from 'better-sqlite3';

export type SqliteDatabase = BetterSqlite3.Database;
type SqliteConstructor = typeof BetterSqlite3;

let loaded: Promise<SqliteConstructor> | undefined;

async function importForPlatform(): Promise<{ default: SqliteConstructor }> {
  switch (`${process.platform}-${process.arch}`) {
    case 'linux-x64':
      return isMusl() ? import('better-sqlite3/linuxmusl-x64') : import('better-sqlite3/linux-x64');
    case 'linux-arm64':
      return isMusl() ? import('better-sqlite3/linuxmusl-arm64') : import('better-sqlite3/linux-arm64');
    case 'darwin-x64':
      return import('better-sqlite3/darwin-x64');
    case 'darwin-arm64':
      return import('better-sqlite3/darwin-arm64');
    case 'win32-x64':
      return import('better-sqlite3/win32-x64');
    case 'win32-arm64':
      return import('better-sqlite3/win32-arm64');
    default:
      throw new Error(`better-sqlite3 has no prebuilt binary for ${process.platform}-${process.arch}`);
  }
}

function isMusl(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return !report?.header?.glibcVersionRuntime;
}

export function loadSqlite(): Promise<SqliteConstructor> {
  loaded ??= importForPlatform().then((module) => module.default);
  return loaded;
}
