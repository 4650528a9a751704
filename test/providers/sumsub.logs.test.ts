import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * What the Sumsub adapter writes to the process log, read from a real child process's stdout (the logger is silent
 * under vitest). It fetches the RED scenarios (whose clientComment is a private note), their details, an applicant
 * signed with the wrong secret, and one against a simulator whose clock is 5 minutes ahead.
 */
const SCRIPT = `
import { logger } from './src/logger.ts';
import { SumsubAdapter } from './src/providers/sumsub/client.ts';
import { SUMSUB_IDS } from './src/providers/sumsub/sandbox/scenarios.ts';
import { SUMSUB_SANDBOX_APP_TOKEN, SUMSUB_SANDBOX_SECRET_KEY, startSumsubSimulator } from './src/providers/sumsub/sandbox/simulator.ts';
const sim = await startSumsubSimulator();
const skewed = await startSumsubSimulator({ clockOffsetSeconds: 300 });
const adapter = (s, secretKey) => new SumsubAdapter({ baseUrl: s.url, appToken: SUMSUB_SANDBOX_APP_TOKEN, secretKey }, { sandbox: true });
const good = adapter(sim, SUMSUB_SANDBOX_SECRET_KEY);
const out = [];
for (const id of [SUMSUB_IDS.redretry, SUMSUB_IDS.redfinal, SUMSUB_IDS.unknownstatus, SUMSUB_IDS.badshape]) {
  out.push(await good.fetchSession(id).catch((e) => e.message));
  out.push(await good.fetchSessionDetails(id).catch((e) => e.message));
}
out.push(await adapter(sim, 'wrong-secret-key-0001').fetchSession(SUMSUB_IDS.green).catch((e) => e.message));
out.push(await adapter(skewed, SUMSUB_SANDBOX_SECRET_KEY).fetchSession(SUMSUB_IDS.green).catch((e) => e.message));
process.stderr.write(JSON.stringify(out));
await sim.close(); await skewed.close();
// Every line written before exiting: a write still in flight at exit would land after the ones flushed there.
await new Promise((resolve) => logger.flush(resolve));
process.exit(0);
`;

function run(): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.VITEST;
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { env, cwd: process.cwd() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve({ stdout, stderr }));
  });
}

describe('Sumsub logs', () => {
  it('say why Sumsub refused a signature (clock skew first), and never carry clientComment or a secret', async () => {
    const { stdout, stderr } = await run();
    const answers = JSON.parse(stderr) as unknown[];
    expect(answers.slice(-2)).toEqual([
      "Sumsub rejected Verigate's credentials (HTTP 401).",
      "Sumsub rejected Verigate's credentials (HTTP 401).",
    ]);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const refusals = lines.filter((l) => String(l.msg).startsWith('Sumsub refused the request signature'));
    expect(refusals.map((l) => [l.provider, l.status, l.errorCode, l.errorName])).toEqual([
      ['SUMSUB', 401, 4003, 'app-token-signature mismatch'],
      ['SUMSUB', 401, 4002, 'app-token-ts-invalid'],
    ]);
    expect(String(refusals[0]?.msg)).toContain('clock skew is the usual cause');
    // Lines were written (unknown status, bad payload, refusals), and none holds the private note or a secret.
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const secret of ['PRIVATE-NOTE', 'verigate-simulator-secret-key', 'wrong-secret-key-0001', 'sbx:verigate']) {
      expect([secret, stdout.includes(secret), stderr.includes(secret)]).toEqual([secret, false, false]);
    }
  });
});
