import { destination as pinoDestination } from 'pino';

/**
 * A synchronous flush gives up once stdout has taken nothing for this many tries (sonic-boom sleeps 100 ms between
 * them): about 2 s, long enough for a log shipper's hiccup, short enough for a shutdown deadline.
 */
const SYNC_FLUSH_STALLED_TRIES = 20;

/** Write errors that mean these lines will never be read: the reader closed (EPIPE) or stalled past the bound. */
const UNREADABLE = new Set(['EPIPE', 'EAGAIN', 'EBUSY']);

type Destination = ReturnType<typeof pinoDestination>;

/**
 * stdout for pino, as pino's default (asynchronous sonic-boom on fd 1, flushed synchronously on exit), except that a
 * synchronous flush never blocks the thread forever. pino flushes synchronously in its `exit` handler (and after a
 * fatal line); with stdout's reader gone or stalled, that flush used to retry every 100 ms for ever inside
 * `Atomics.wait`, so SIGTERM, timers and the hard stop never ran again. Now the lines nobody can read are dropped:
 * on EPIPE at once (sonic-boom ≥ 5 rethrows it, see the `overrides` in package.json), on a full pipe after ~2 s
 * without progress. Asynchronous writes still retry a full pipe for ever: they wait on a timer, not the thread.
 */
export function stdoutDestination(): Destination {
  const stall = { syncFlush: false, tries: 0, left: Number.POSITIVE_INFINITY };
  const destination = pinoDestination({
    // Reading process.stdout puts a pipe in non-blocking mode, so a full pipe answers EAGAIN instead of blocking.
    dest: process.stdout.fd ?? 1,
    sync: false,
    retryEAGAIN: (_error: Error, writing: number, queued: number) => {
      if (!stall.syncFlush) return true;
      const left = writing + queued;
      stall.tries = left < stall.left ? 0 : stall.tries + 1;
      stall.left = left;
      return stall.tries < SYNC_FLUSH_STALLED_TRIES;
    },
  });
  const flushSync = destination.flushSync.bind(destination);
  destination.flushSync = () => {
    Object.assign(stall, { syncFlush: true, tries: 0, left: Number.POSITIVE_INFINITY });
    try {
      flushSync();
    } catch (error) {
      if (!UNREADABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    } finally {
      stall.syncFlush = false;
    }
  };
  return destination;
}
