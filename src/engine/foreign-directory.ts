// cutover's own runner applies <id>_<name>.up.sql / .js files (and Supabase CLI directories). A
// migrations-dir holding another tool's files (Alembic's .py revisions, Prisma's directories, Flyway's
// V1__x.sql…) would otherwise read as "contains no migrations": say whose files they are and how to
// run them under cutover's lock instead.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { layoutOf } from '../tools/history-layouts.js';
import { TOOL_COMMANDS } from '../tools/tool-commands.js';
import { foreignToolOfDir } from '../tools/tool-migration-files.js';
import { inputLabel, type Settings } from '../settings.js';
import { NATIVE_TOOLS } from './native-tools.js';

export function refuseAnotherToolsDirectory(settings: Settings): void {
  const tool = foreignToolOfDir(settings.migrationsDir);
  if (!tool || (NATIVE_TOOLS as readonly string[]).includes(tool)) return;
  const label = layoutOf(tool).label;
  const dir = path.relative(settings.workingDirectory, settings.migrationsDir) || '.';
  const commands = TOOL_COMMANDS[tool];
  const name = settings.mode === 'rollback' ? 'rollback-command' : 'migrate-command';
  const suggestion = settings.mode === 'rollback' ? commands?.rollback : commands?.migrate;
  throw new ConfigError(`${inputLabel(settings.origin, 'migrations-dir')} (${dir}) holds ${label} migrations, which cutover does not run itself.`, {
    fix: `let cutover run ${label} under its migration lock: set ${inputLabel(settings.origin, name)}${suggestion ? ` to \`${suggestion}\`` : ''} (and ${inputLabel(settings.origin, 'migrate-command-dir')} to the directory it runs from); cutover then reports what it applied from ${layoutOf(tool).table}.`,
  });
}
