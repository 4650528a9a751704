/**
 * Suites that need a binary the README does not ask a developer for (redis-server, Chromium) skip with one line
 * when it is missing; CI sets `VERIGATE_REQUIRE_OPTIONAL_SUITES=1` (.ci/run) or `CI`, and then a missing binary fails
 * the run instead, so a CI image without it cannot pass by skipping.
 */
export const OPTIONAL_SUITES_REQUIRED = Boolean(process.env.CI) || process.env.VERIGATE_REQUIRE_OPTIONAL_SUITES === '1';

/** Throws under CI; otherwise prints the one line saying what was skipped and how to run it. */
export function skipOptionalSuite(what: string, missing: string, install: string): void {
  if (OPTIONAL_SUITES_REQUIRED) throw new Error(`${missing} is missing; .ci/run installs it (${install})`);
  console.warn(`Skipping ${what}: ${missing} is missing (${install}).`);
}
