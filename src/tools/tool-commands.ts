// What cutover knows about running each tool: the command a workflow gives it, how to recognise the
// tool in a command line, and what to tell a user whose job does not have the tool installed.
import type { ToolId } from './history-layouts.js';

export interface ToolCommands {
  /** A migrate-command to suggest. */
  migrate: string;
  /** A rollback-command to suggest, when the tool has one. */
  rollback?: string;
  /** The setup step that installs it. */
  install: string;
}

export const TOOL_COMMANDS: Partial<Record<ToolId, ToolCommands>> = {
  alembic: { migrate: 'alembic upgrade head', rollback: 'alembic downgrade -1', install: 'actions/setup-python, then `pip install -r requirements.txt` (or `pip install alembic psycopg2-binary`)' },
  django: { migrate: 'python manage.py migrate --noinput', rollback: 'python manage.py migrate <app> <previous migration>', install: 'actions/setup-python, then `pip install -r requirements.txt` (Django and psycopg2)' },
  prisma: { migrate: 'npx prisma migrate deploy', install: 'actions/setup-node, then `npm ci` (prisma is a dev dependency of the project)' },
  flyway: { migrate: 'flyway migrate', rollback: 'flyway undo', install: "a step that installs the Flyway command-line tool (see Flyway's documentation)" },
  'golang-migrate': { migrate: 'migrate -path migrations -database "$DATABASE_URL" up', rollback: 'migrate -path migrations -database "$DATABASE_URL" down 1', install: "a step that installs golang-migrate's migrate CLI (see its README, \"CLI usage\")" },
  dbmate: { migrate: 'dbmate --no-dump-schema up', rollback: 'dbmate --no-dump-schema rollback', install: 'a step that installs dbmate (see its README, "Installation")' },
  supabase: { migrate: 'supabase db push --db-url "$DATABASE_URL"', install: 'the supabase/setup-cli action' },
};

/** The first word that is a program: env assignments, `npx`, `poetry run` and the like skipped. */
export function programOf(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i])) i++;
  if (['env', 'exec', 'time', 'command'].includes(words[i] ?? '')) i++;
  const word = words[i];
  return word ? word.replace(/^.*\//, '') : undefined;
}

/** The tool a command runs, recognised by its words; undefined when it is not one cutover knows. */
export function toolOfCommand(command: string): ToolId | undefined {
  const text = ` ${command.toLowerCase()} `;
  if (/\balembic\b/.test(text)) return 'alembic';
  if (/manage\.py\s+migrate|django-admin\s+migrate/.test(text)) return 'django';
  if (/\bprisma\s+migrate\b/.test(text)) return 'prisma';
  if (/\bflyway\b/.test(text)) return 'flyway';
  if (/\bdbmate\b/.test(text)) return 'dbmate';
  if (/\bsupabase\s+(db|migration)\b/.test(text)) return 'supabase';
  if (/(^|\s|\/)migrate\s.*(-database|-path|-source)\b/.test(text)) return 'golang-migrate';
  return undefined;
}
