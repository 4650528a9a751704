import { pino } from 'pino';
import { stdoutDestination } from './observability/logDestination.ts';

/**
 * The process logger: JSON lines on stdout. It never receives personal data, secrets or tokens; callers log
 * ids, codes, counts and durations only. `main.ts` sets the level from config.
 */
const shared = { base: { service: 'verigate' }, timestamp: pino.stdTimeFunctions.isoTime };
const destination = stdoutDestination();

export const logger = pino(
  {
    ...shared,
    level: process.env.VITEST ? 'silent' : 'info',
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.headers', '*.apiKey', '*.clientSecret', '*.token', '*.key'],
      censor: '[redacted]',
    },
  },
  destination,
);

/**
 * The one line per GraphQL operation (`logOperation`), on the same stdout and at `logger`'s level, without the
 * redaction pass: that line is built field by field from scalars, code lists and per-provider counts, so no redacted
 * key can be in it, and the pass cost ~16 of the ~25 µs of CPU the line took (docs/benchmarks.md, "the log line").
 */
export const operationLogger = pino({ ...shared, level: logger.level }, destination);
logger.on('level-change', (level) => {
  operationLogger.level = level;
});

/** How long an exit waits for the log lines already written to reach stdout. */
const EXIT_FLUSH_MS = 1_000;

/**
 * Exits once the lines logged so far are on stdout, in order (at most EXIT_FLUSH_MS). `process.exit` right after a
 * line flushes the buffer synchronously while an earlier asynchronous write may still be in flight, and that one then
 * lands after it: an operator reading "stopped" would find lines logged before it below it.
 */
export function exitWhenLogged(code: number): void {
  const exit = () => process.exit(code);
  setTimeout(exit, EXIT_FLUSH_MS);
  logger.flush(exit);
}
