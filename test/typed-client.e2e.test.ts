import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/model/session.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const MAIN = 'examples/typed-client/src/main.ts';

/** What the example prints on the sandbox: every line is what a frontend would render from typed data. */
const EXPECTED = `Providers:
${PROVIDERS.map((p) => `  ${p}: sandbox, healthy, circuit CLOSED`).join('\n')}
One session at a time:
  VERATAD 19fe3b9e-384e-41d1-bded-8de9ef3abacb: approved (APPROVED, final; provider status "PASS"); John Doe
  DIDIT 11111111-2222-3333-4444-555555555555: declined (DECLINED, final; provider status "Declined"); reason POSSIBLE_MATCH_FOUND; Sergey Kozlov; Passport from ESP; face match 0.9799 (passed)
  VERIFA ses_abc123: waiting for a reviewer (IN_REVIEW; provider status "needs_review"); Jane Sample; drivers_license from US; face match 0.91 (passed)
A batch, one of them missing (its error does not fail the others):
  [0] VERIFA ses_approved: approved (APPROVED, final; provider status "approved"); Jane Sample; drivers_license from US; face match 0.962 (passed)
  [1] VERIFA ses_missing: null, NOT_FOUND Verifa has no such session.
  [2] DIDIT d1d10200-0000-4000-8000-000000000005: waiting for a reviewer (IN_REVIEW; provider status "In Review"); reason POSSIBLE_MATCH_FOUND; Lucía Ortega Vidal; Passport from ESP; face match 0.9125 (passed)
Watching VERIFA ses_approved until it is final:
  VERIFA ses_approved: approved (APPROVED, final; provider status "approved"); Jane Sample; drivers_license from US; face match 0.962 (passed)
  (the stream completed after the final status)
`;

describe('the typed-client example', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('queries a running gateway with its generated documents and prints what a frontend shows', async () => {
    const { stdout, stderr } = await run(process.execPath, [MAIN], {
      cwd: root,
      env: { ...process.env, VERIGATE_URL: gw.gateway.url, VERIGATE_API_KEY: FULL_KEY },
    });
    expect(stderr).toBe('');
    expect(stdout).toBe(EXPECTED);
  });

  it('exits non-zero when the sessions cannot be read', async () => {
    const failed = run(process.execPath, [MAIN], {
      cwd: root,
      env: { ...process.env, VERIGATE_URL: gw.gateway.url, VERIGATE_API_KEY: 'not-a-valid-key-at-all' },
    });
    await expect(failed).rejects.toMatchObject({ code: 1 });
  });

  it('runs with a key that lacks pii:read, still typed, with personal fields masked by the gateway', async () => {
    const { stdout } = await run(process.execPath, [MAIN], {
      cwd: root,
      env: { ...process.env, VERIGATE_URL: gw.gateway.url, VERIGATE_API_KEY: READ_ONLY_KEY },
    });
    // The names printed are masked to initials; no other field the schema marks @pii is printed.
    const initials: Record<string, string> = {
      'John Doe': 'J. D.',
      'Sergey Kozlov': 'S. K.',
      'Jane Sample': 'J. S.',
      'Lucía Ortega Vidal': 'L. O. V.',
    };
    expect(stdout).toBe(
      EXPECTED.replace(/John Doe|Sergey Kozlov|Jane Sample|Lucía Ortega Vidal/g, (name) => initials[name] ?? name),
    );
  });

  it('runs as `npm run example:typed-client` does: its own sandbox gateway, then the program', async () => {
    const { stdout } = await run(process.execPath, ['examples/typed-client/sandbox.ts'], { cwd: root });
    expect(stdout).toBe(EXPECTED);
  }, 30_000);
});
