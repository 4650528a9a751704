import { AsyncLocalStorage } from 'node:async_hooks';
import type { Priority } from './rateLimit.ts';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work (a webhook refresh, a subscription poll): every vendor call it makes spends the
 * provider's rate budget only down to the reserve kept for user reads.
 */
export function inBackground<T>(work: () => T): T {
  return background.run(true, work);
}

/** The priority of the vendor call being made now. */
export function currentPriority(): Priority {
  return background.getStore() ? 'background' : 'user';
}
