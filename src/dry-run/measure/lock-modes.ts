// PostgreSQL's table-level lock modes, what each one blocks for an application, in plain words.
// From the conflict table in PostgreSQL's documentation ("Explicit Locking", table 13.2): the
// application's reads take ACCESS SHARE, its writes ROW EXCLUSIVE; a mode blocks reads when it
// conflicts with ACCESS SHARE and blocks writes when it conflicts with ROW EXCLUSIVE.
import type { Blocks, LockMode } from '../dry-run-report.js';

/** Weakest first. */
export const LOCK_MODES: readonly LockMode[] = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
];

export function isLockMode(mode: string): mode is LockMode {
  return (LOCK_MODES as readonly string[]).includes(mode);
}

export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

/** "AccessExclusiveLock" → "ACCESS EXCLUSIVE", as the documentation and LOCK TABLE spell it. */
export function lockName(mode: LockMode): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

export function blocksOf(mode: LockMode): Blocks {
  if (mode === 'AccessExclusiveLock') return 'reads and writes';
  if (mode === 'ShareLock' || mode === 'ShareRowExclusiveLock' || mode === 'ExclusiveLock') return 'writes';
  return 'nothing';
}

const WORDS: Record<LockMode, string> = {
  AccessShareLock: 'blocks neither reads nor writes',
  RowShareLock: 'blocks neither reads nor writes',
  RowExclusiveLock: 'blocks neither reads nor writes (rows it changes stay locked for other writers until commit)',
  ShareUpdateExclusiveLock: 'blocks neither reads nor writes (only other schema changes and VACUUM)',
  ShareLock: 'blocks writes; reads go on',
  ShareRowExclusiveLock: 'blocks writes; reads go on',
  ExclusiveLock: 'blocks writes and SELECT … FOR UPDATE; plain reads go on',
  AccessExclusiveLock: 'blocks reads and writes',
};

/** What the mode means for the application, e.g. "blocks writes; reads go on". */
export function lockWords(mode: LockMode): string {
  return WORDS[mode];
}
