// The all-or-nothing load. Tables connected by foreign keys (a component) load in one target
// transaction, parents first; components are spread over at most `jobs` connections, each holding
// ONE transaction for all its components. Inside each transaction, before anything commits: the
// deferred constraints are checked (SET CONSTRAINTS ALL IMMEDIATE), every table is verified (counts
// and checksums, see verify-copied-tables.ts) and the owner-only guards are put back. Only when every
// transaction got that far do they commit; otherwise all roll back and the target is exactly as
// before. The commit phase is not interrupted by a cancellation (it takes milliseconds); a process
// killed inside it, or a COMMIT that fails after another succeeded, is covered by the journal
// (copy-journal.ts). Any lost connection aborts every group at once: a dead socket must not leave the
// other connections waiting on a COPY forever.
import type pg from 'pg';
import { destroyClient, watchConnection } from '../../db/pg-client-lifecycle.js';
import { prepareCopySession } from '../../db/pg-session.js';
import { CopyError, CutoverError } from '../../errors.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { verifyBeforeCommit } from '../verify/verify-copied-tables.js';
import { repairInterruptedCopy, type CopyJournal } from './copy-journal.js';
import { loadComponent, type GroupChanges, type LoadContext } from './load-component.js';
import { connectionLost, loadError } from './load-errors.js';
import { restoreGuards } from './owned-table-guards.js';
import { setStandaloneSequences } from './standalone-sequences.js';
import { lockTablesForLoad } from './table-locks.js';

export type { LoadContext } from './load-component.js';

interface GroupSession {
  client: pg.Client;
  reader?: pg.Client;
  tables: TablePlan[];
  changes: GroupChanges;
  verified: boolean;
}

export interface LoadOptions {
  /** Set when several transactions commit: written in each before COMMIT. */
  journal?: CopyJournal;
  /** Opens a fresh target connection to undo a half-committed load at once. */
  repairConnection?: () => Promise<pg.Client>;
  /** Last check before the commit phase; throwing rolls every transaction back. */
  beforeCommit?: () => void;
  /** Told when the commit phase starts: from then on a cancellation must not close connections. */
  onCommitPhase?: () => void;
}

async function openGroup(tables: TablePlan[], ctx: LoadContext, controller: AbortController, sessions: GroupSession[], stops: Array<() => void>): Promise<GroupSession> {
  const client = await ctx.connectTarget();
  const session: GroupSession = { client, tables, changes: { guards: [], journal: [], sequencesAtCommit: [] }, verified: false };
  sessions.push(session);
  stops.push(watchConnection(client, (error) => controller.abort(connectionLost('target', error))));
  await prepareCopySession(client);
  if (ctx.snapshot) {
    session.reader = await ctx.snapshot.reader();
    stops.push(watchConnection(session.reader, (error) => controller.abort(connectionLost('source', error))));
  }
  await client.query('BEGIN');
  // Deferrable FKs (the only way to load a cycle) are checked before COMMIT, below.
  await client.query('SET CONSTRAINTS ALL DEFERRED');
  return session;
}

/** Loads, checks and verifies one group inside its transaction; leaves it open for the commit phase. */
async function runGroup(components: TablePlan[][], ctx: LoadContext, controller: AbortController, sessions: GroupSession[], stops: Array<() => void>): Promise<void> {
  const tables = components.flat();
  const session = await openGroup(tables, ctx, controller, sessions, stops);
  const { client, reader } = session;
  await lockTablesForLoad(client, tables, { copy: ctx.copy, times: ctx.tableLocks, runtime: ctx.runtime, signal: controller.signal });
  for (const component of components) await loadComponent(client, reader, component, ctx, controller.signal, session.changes);
  try {
    await client.query('SET CONSTRAINTS ALL IMMEDIATE');
  } catch (error) {
    throw loadError(tables.map((t) => t.display).join(', '), error, ctx.errorContext, tables);
  }
  if (controller.signal.aborted) throw controller.signal.reason;
  const verifyStarted = Date.now();
  session.verified = await verifyBeforeCommit(tables, client, reader, ctx);
  ctx.runtime.info(`Counted${ctx.copy.checksums ? ' and checksummed' : ''} ${tables.map((t) => t.display).join(', ')} inside the transaction in ${((Date.now() - verifyStarted) / 1000).toFixed(1)} s.`);
  for (const lifted of session.changes.guards) await restoreGuards(client, lifted);
}

/** Runs every group in its own transaction and commits them only when all loaded and verified. */
export async function loadAllOrNothing(groups: TablePlan[][][], ctx: LoadContext, options: LoadOptions = {}): Promise<{ verified: boolean }> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(ctx.signal?.reason ?? new CopyError('The copy was cancelled.'));
  if (ctx.signal?.aborted) onOuterAbort();
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const sessions: GroupSession[] = [];
  const stops: Array<() => void> = [];
  let committing = false;
  // A failed or cancelled load must not wait on its connections: a COPY blocked on a lock the
  // application holds, or a server busy building a key, would keep the process (and the lock) alive.
  // Destroyed connections end their transactions on the server at once.
  const dropAll = () => {
    if (committing) return;
    for (const stop of stops) stop();
    for (const session of sessions) {
      destroyClient(session.client);
      if (session.reader) destroyClient(session.reader);
    }
  };
  controller.signal.addEventListener('abort', dropAll, { once: true });
  try {
    const results = await Promise.allSettled(
      groups.map(async (components) => {
        try {
          await runGroup(components, ctx, controller, sessions, stops);
        } catch (error) {
          // Steps outside a table's COPY (keys, sequences, verification) can fail on a lost connection
          // too: named like any load error (the side, the fix), never a bare driver error.
          const tables = components.flat();
          if (!controller.signal.aborted) controller.abort(error instanceof CutoverError ? error : loadError(tables.map((t) => t.display).join(', '), error, ctx.errorContext, tables));
          throw error;
        }
      }),
    );
    if (results.some((r) => r.status === 'rejected')) throw controller.signal.reason;
    const verified = sessions.every((s) => s.verified);
    try {
      if (verified) options.beforeCommit?.();
      if (verified) await setStandaloneSequencesFirst(sessions, ctx);
    } catch (error) {
      for (const session of sessions) await session.client.query('ROLLBACK').catch(() => undefined);
      throw error instanceof CutoverError ? error : loadError('the sequences of the target', error);
    }
    if (!verified) {
      for (const session of sessions) await session.client.query('ROLLBACK');
      return { verified: false };
    }
    // From here on a cancellation waits: stopping between two COMMITs is what the journal is for.
    committing = true;
    options.onCommitPhase?.();
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    if (options.journal) await Promise.all(sessions.map((s, i) => options.journal!.record(s.client, i + 1, s.changes.journal)));
    await setSequencesAtCommit(sessions);
    await commitAll(sessions, ctx, options);
    return { verified: true };
  } finally {
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    controller.signal.removeEventListener('abort', dropAll);
    for (const stop of stops) stop();
    // After a failure a connection may be stuck in a COPY: destroy it (the server rolls back).
    const failed = controller.signal.aborted && !committing;
    for (const session of sessions) {
      if (failed) {
        destroyClient(session.client);
        if (session.reader) destroyClient(session.reader);
      } else {
        await session.client.end().catch(() => undefined);
      }
    }
  }
}

/**
 * Sequences no copied column uses (standalone-sequences.ts), in the transaction that commits first:
 * should a later one fail to commit, the journal entry of that transaction puts them back too.
 */
async function setStandaloneSequencesFirst(sessions: GroupSession[], ctx: LoadContext): Promise<void> {
  if (!ctx.standaloneSequences?.length) return;
  const first = sessions[0];
  const { lines, previous } = await setStandaloneSequences(first.client, ctx.standaloneSequences, ctx.copy.ifTargetNotEmpty, first.changes.sequencesAtCommit);
  for (const line of lines) ctx.runtime.info(line);
  first.changes.journal.find((entry) => !entry.created)?.sequences.push(...previous);
}

/** The last statements before COMMIT: setval is not undone by a rollback, so it comes after every check. */
async function setSequencesAtCommit(sessions: GroupSession[]): Promise<void> {
  for (const session of sessions) {
    for (const { sequence, value } of session.changes.sequencesAtCommit) {
      try {
        await session.client.query('SELECT setval($1::regclass, $2::bigint)', [sequence, value]);
      } catch (error) {
        for (const each of sessions) await each.client.query('ROLLBACK').catch(() => undefined);
        throw loadError(`sequence ${sequence}`, error);
      }
    }
  }
}

async function commitAll(sessions: GroupSession[], ctx: LoadContext, options: LoadOptions): Promise<void> {
  for (const [index, session] of sessions.entries()) {
    try {
      await session.client.query('COMMIT');
    } catch (error) {
      for (const rest of sessions.slice(index + 1)) await rest.client.query('ROLLBACK').catch(() => undefined);
      if (index === 0) throw loadError('the target (at COMMIT)', error);
      throw await undoHalfCommit(index, sessions.length, error, ctx, options);
    }
    if (sessions.length > 1) ctx.runtime.info(`Committed transaction ${index + 1} of ${sessions.length}.`);
  }
  if (options.journal) await options.journal.complete(sessions[0].client);
}

/** A COMMIT failed after others succeeded: undo those at once, through the journal. */
async function undoHalfCommit(index: number, total: number, cause: unknown, ctx: LoadContext, options: LoadOptions): Promise<CopyError> {
  const what = `COMMIT failed on transaction ${index + 1} of ${total} after ${index} had committed`;
  if (!options.journal || !options.repairConnection) {
    return new CopyError(`${what}: some tables were copied and others not.`, { cause, fix: 'rerun the copy with if-target-not-empty: truncate to load every table again.', targetLeftPartial: true });
  }
  let client: pg.Client | undefined;
  try {
    client = await options.repairConnection();
    await repairInterruptedCopy(client, options.journal.schema, ctx.runtime);
    return new CopyError(`${what}; the tables those had filled were emptied again, so the target is as it was before this run.`, { cause, fix: 'check the cause above and run the copy again.' });
  } catch (repairError) {
    return new CopyError(`${what}, and undoing them failed: some tables hold copied rows while others are empty.`, {
      cause: repairError,
      targetLeftPartial: true,
      fix: `run the copy again: it first undoes the interrupted copy recorded in ${options.journal.table} when the tables have not been written to since.`,
    });
  } finally {
    await client?.end().catch(() => undefined);
  }
}

