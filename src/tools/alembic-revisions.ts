// Reads an Alembic versions directory without running Python: each revision file's `revision` and
// `down_revision` (None, one id, or a tuple for a merge point), its message (the docstring's first
// line), the order revisions run in and the heads. alembic_version holds only the current head(s),
// so what is applied is each recorded head and everything it revises, transitively.
import fs from 'node:fs';
import path from 'node:path';

export interface AlembicRevision {
  id: string;
  /** Empty for a base revision; two or more for a merge point. */
  downRevisions: string[];
  /** The revision's message (first line of the file's docstring), when it has one. */
  message?: string;
  file: string;
}

export interface AlembicScript {
  dir: string;
  /** Base first, in the order `alembic upgrade heads` applies them. */
  revisions: AlembicRevision[];
  /** Revisions no other revision revises. */
  heads: string[];
  /** Files that look like revisions but could not be read, and references to unknown revisions. */
  problems: string[];
}

// `revision = 'x'`, `revision: str = "x"` at the start of a line (the templates Alembic generates).
const REVISION = /^revision\s*(?::[^=\n]+)?=\s*['"]([^'"]+)['"]/m;
const DOWN_REVISION = /^down_revision\s*(?::[^=\n]+)?=\s*(.+)$/m;
const DOCSTRING = /^\s*[rRuU]?("""|''')\s*([^\n]*)/;

export function parseAlembicRevision(source: string, file: string): AlembicRevision | undefined {
  const revision = REVISION.exec(source)?.[1];
  if (!revision) return undefined;
  const down = DOWN_REVISION.exec(source)?.[1] ?? 'None';
  // Everything quoted on that line: one id, or a tuple of ids (a merge); None or () means a base.
  const downRevisions = [...down.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]);
  const message = DOCSTRING.exec(source)?.[2]?.replace(/("""|''')\s*$/, '').trim();
  return { id: revision, downRevisions, ...(message ? { message } : {}), file };
}

/** Whether `dir` holds Alembic revision files. */
export function holdsAlembicRevisions(dir: string): boolean {
  return readAlembicVersions(dir).revisions.length > 0;
}

export function readAlembicVersions(dir: string): AlembicScript {
  const script: AlembicScript = { dir, revisions: [], heads: [], problems: [] };
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [];
  const byId = new Map<string, AlembicRevision>();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || !entry.name.endsWith('.py') || entry.name.startsWith('__')) continue;
    const file = path.join(dir, entry.name);
    const revision = parseAlembicRevision(fs.readFileSync(file, 'utf8'), file);
    if (!revision) continue;
    const other = byId.get(revision.id);
    if (other) {
      script.problems.push(`revision ${revision.id} is defined twice (${path.basename(other.file)} and ${entry.name})`);
      continue;
    }
    byId.set(revision.id, revision);
  }
  for (const revision of byId.values()) {
    for (const down of revision.downRevisions) {
      if (!byId.has(down)) script.problems.push(`${path.basename(revision.file)} revises ${down}, which no file in ${dir} defines`);
    }
  }
  script.revisions = runOrder([...byId.values()]);
  const revised = new Set(script.revisions.flatMap((r) => r.downRevisions));
  script.heads = script.revisions.filter((r) => !revised.has(r.id)).map((r) => r.id);
  return script;
}

/** Kahn's order: a revision after everything it revises; ties by file name, so the order is stable. */
function runOrder(revisions: AlembicRevision[]): AlembicRevision[] {
  const known = new Set(revisions.map((r) => r.id));
  const placed = new Set<string>();
  const ordered: AlembicRevision[] = [];
  let remaining = [...revisions].sort((a, b) => a.file.localeCompare(b.file));
  while (remaining.length > 0) {
    const ready = remaining.filter((r) => r.downRevisions.every((d) => placed.has(d) || !known.has(d)));
    // A cycle: keep the rest in file order rather than loop forever.
    const next = ready.length > 0 ? ready : remaining;
    for (const revision of next) {
      ordered.push(revision);
      placed.add(revision.id);
    }
    remaining = remaining.filter((r) => !placed.has(r.id));
  }
  return ordered;
}

/** Every revision at or below the recorded heads; heads no file defines are returned as unknown. */
export function appliedRevisions(script: AlembicScript, recordedHeads: string[]): { applied: Set<string>; unknown: string[] } {
  const byId = new Map(script.revisions.map((r) => [r.id, r]));
  const applied = new Set<string>();
  const unknown: string[] = [];
  const stack: string[] = [];
  for (const head of recordedHeads) {
    if (byId.has(head)) stack.push(head);
    else unknown.push(head);
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (applied.has(id)) continue;
    applied.add(id);
    for (const down of byId.get(id)?.downRevisions ?? []) if (byId.has(down)) stack.push(down);
  }
  return { applied, unknown };
}
