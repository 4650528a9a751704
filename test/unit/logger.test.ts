import type { Logger } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { logOperation, summarizeOperation } from '../../src/graphql/plugins/operationLog.ts';
import { logger, operationLogger } from '../../src/logger.ts';
import { newOperationScope } from '../../src/upstream/events.ts';

/** The keys `logger` redacts, one level down (`*.key`): the operation line is written without that pass. */
const REDACTED = ['authorization', 'headers', 'apikey', 'clientsecret', 'token', 'key'];

function keysOf(value: unknown, depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 3) return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v, depth + 1)]);
}

describe('the operation log line', () => {
  const level = logger.level;
  afterEach(() => {
    logger.level = level;
  });

  it('follows the process logger level, which main.ts sets from LOG_LEVEL', () => {
    logger.level = 'warn';
    expect(operationLogger.level).toBe('warn');
    logger.level = 'info';
    expect(operationLogger.level).toBe('info');
  });

  it('carries no key the process logger would redact, whatever the operation did', () => {
    const scope = newOperationScope();
    scope.upstreamCalls = { DIDIT: 2, VERATAD: 1, VERIFA: 1 };
    scope.cacheHits = 3;
    scope.stale.push({ provider: 'DIDIT', ageSeconds: 12 });
    const lines: unknown[] = [];
    const capture = { info: (line: unknown) => lines.push(line), warn: (line: unknown) => lines.push(line) };
    for (const status of [200, 400, 500]) {
      const summary = summarizeOperation({ requestId: 'r', caller: 'partner', status, durationMs: 1.25, scope });
      logOperation(capture as unknown as Logger, summary);
    }
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const keys = keysOf(line).map((k) => k.toLowerCase());
      expect(keys.filter((k) => REDACTED.includes(k))).toEqual([]);
    }
  });
});
