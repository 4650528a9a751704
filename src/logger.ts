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
