import { pino } from 'pino';
import { stdoutDestination } from './observability/logDestination.ts';

/**
 * The process logger: JSON lines on stdout. It never receives personal data, secrets or tokens; callers log
 * ids, codes, counts and durations only. `main.ts` sets the level from config.
 */
export const logger = pino(
  {
    level: process.env.VITEST ? 'silent' : 'info',
    base: { service: 'verigate' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.headers', '*.apiKey', '*.clientSecret', '*.token', '*.key'],
      censor: '[redacted]',
    },
  },
  stdoutDestination(),
);
