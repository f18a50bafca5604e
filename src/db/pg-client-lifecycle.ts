// Closing and watching node-postgres clients so that nothing can hang. A graceful `end()` waits for
// the server, which never answers while it is blocked sending COPY rows to a stream we stopped
// reading: after a failure every connection is destroyed instead (the server sees the socket close and
// rolls back). And a connection that dies while idle between statements, or under a COPY stream,
// only emits 'error'/'end' on the client: `watchConnection` turns that into a callback.
import type pg from 'pg';

type Socketed = { connection?: { stream?: { destroy?: () => void; resetAndDestroy?: () => void; destroyed?: boolean } } };

/**
 * Closes without waiting on the server (after failures and cancellations). With a reset (RST), not a
 * FIN: a FIN queues behind COPY data the server is not reading (it waits on a lock, say), so the
 * server would not see the close until that wait ends; an RST reaches it at once, and with
 * client_connection_check_interval (src/db/pg-session.ts) the backend then ends even mid-wait.
 */
export function destroyClient(client: pg.Client): void {
  const stream = (client as unknown as Socketed).connection?.stream;
  if (stream && !stream.destroyed) {
    try {
      if (stream.resetAndDestroy) stream.resetAndDestroy();
      else stream.destroy?.();
    } catch {
      stream.destroy?.();
    }
  }
  client.end().catch(() => undefined);
}

/** Ends politely, but destroys the socket if the server has not let go within `ms`. */
export async function closeClient(client: pg.Client, ms = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    const outcome = await Promise.race([client.end().then(() => 'ended' as const, () => 'ended' as const), timedOut]);
    if (outcome === 'timeout') destroyClient(client);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `onLost` once if the connection fails or closes before `stop()` is called. Returns `stop`,
 * to be called before closing the client on purpose.
 */
export function watchConnection(client: pg.Client, onLost: (error: Error) => void): () => void {
  let active = true;
  const lost = (error: Error) => {
    if (!active) return;
    active = false;
    onLost(error);
  };
  const onError = (error: Error) => lost(error);
  const onEnd = () => lost(new Error('the server closed the connection'));
  client.on('error', onError);
  client.on('end', onEnd);
  return () => {
    active = false;
    client.off('error', onError);
    client.off('end', onEnd);
  };
}
