import { AsyncLocalStorage } from 'node:async_hooks';
import { currentOperationScope } from './events.ts';
import type { Priority } from './rateLimit.ts';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work` as background work (a webhook refresh, a subscription poll): every vendor call it makes spends the
 * provider's rate budget only down to the reserve kept for user reads.
 */
export function inBackground<T>(work: () => T): T {
  return background.run(true, work);
}

/**
 * The credential whose fair share of the rate budget the vendor call being made now spends: the operation's caller;
 * null for background work (bounded by the reserve instead) and outside an operation.
 */
export function currentCredential(): string | null {
  if (background.getStore()) return null;
  return currentOperationScope()?.credential ?? null;
}

/** The priority of the vendor call being made now. */
export function currentPriority(): Priority {
  return background.getStore() ? 'background' : 'user';
}
