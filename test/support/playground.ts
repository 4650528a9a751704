import { execFileSync } from 'node:child_process';
import { providerModules } from '../../src/providers/registry.ts';

/** Builds the playground bundle unless it is up to date (vitest can run without `npm test`'s pretest step). */
export function ensurePlaygroundBuilt(): void {
  execFileSync(process.execPath, ['scripts/build-playground.ts'], {
    cwd: new URL('../../', import.meta.url),
    stdio: 'pipe',
  });
}

/**
 * The playground's tabs on the full sandbox, in order: the timeline first, a session tab per registered provider (in
 * the registry's order, named as the playground names their operations), the start, the watch.
 */
export const EXPECTED_TABS = [
  'SessionTimeline',
  'Providers',
  ...providerModules().map((m) => `${m.provider.charAt(0)}${m.provider.slice(1).toLowerCase()}Session`),
  'StartVerification',
  'WatchSession',
];
