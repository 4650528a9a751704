import { execFileSync } from 'node:child_process';

/** Builds the playground bundle unless it is up to date (vitest can run without `npm test`'s pretest step). */
export function ensurePlaygroundBuilt(): void {
  execFileSync(process.execPath, ['scripts/build-playground.ts'], {
    cwd: new URL('../../', import.meta.url),
    stdio: 'pipe',
  });
}

/** The playground's tabs on the full sandbox, in order: the timeline first, a session tab per provider, the start, the watch. */
export const EXPECTED_TABS = [
  'SessionTimeline',
  'Providers',
  'VeratadSession',
  'DiditSession',
  'VerifaSession',
  'OnfidoSession',
  'PersonaSession',
  'SumsubSession',
  'StartVerification',
  'WatchSession',
];
