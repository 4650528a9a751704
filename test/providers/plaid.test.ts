import { createHash, createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlaidAdapter } from '../../src/providers/plaid/client.ts';
import {
  PLAID_KEY_REFETCH_INTERVAL_MS,
  type PlaidKeyServer,
  type PlaidWebhookConfig,
} from '../../src/providers/plaid/config.ts';
import { plaidModule } from '../../src/providers/plaid/index.ts';
import { PlaidKeyCache } from '../../src/providers/plaid/keys.ts';
import {
  PLAID_SANDBOX_CLIENT_ID,
  PLAID_SANDBOX_SECRET,
  type PlaidSimulator,
  startPlaidSimulator,
} from '../../src/providers/plaid/sandbox/simulator.ts';
import { plaidWebhookBody, signPlaidDelivery } from '../../src/providers/plaid/sandbox/webhookSender.ts';
import { plaidVerificationStatus } from '../../src/providers/plaid/status.ts';
import { plaidWebhook, verifyPlaidWebhook } from '../../src/providers/plaid/webhook.ts';
import { mapStatus } from '../../src/providers/status.ts';

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const sOf = (sig: Buffer) => BigInt(`0x${sig.subarray(32).toString('hex')}`);
const withS = (sig: Buffer, s: bigint) =>
  Buffer.concat([sig.subarray(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex')]).toString('base64url');
/** The JWS with its signature's `s` in low form (what the delivery id is computed over). */
function lowS(jws: string): string {
  const [h, p, sig] = jws.split('.') as [string, string, string];
  const bytes = Buffer.from(sig, 'base64url');
  const s = sOf(bytes);
  return `${h}.${p}.${s > N / 2n ? withS(bytes, N - s) : sig}`;
}
/** The same JWS with `s` → `n - s`: a second valid ECDSA signature of the same input. */
function highSTwin(jws: string): string {
  const [h, p, sig] = jws.split('.') as [string, string, string];
  const bytes = Buffer.from(sig, 'base64url');
  return `${h}.${p}.${withS(bytes, N - sOf(bytes))}`;
}

describe('Plaid configuration section', () => {
  const section = plaidModule.config;
  const run = (env: Record<string, string>, production = false) => {
    const problems: string[] = [];
    const values = z.object(section.env).safeParse(env);
    if (!values.success) return { invalid: values.error.issues.map((i) => i.path.join('.')) };
    const mode = section.mode(values.data, { production }, problems);
    const webhook = section.webhook?.(values.data, mode, problems) ?? null;
    return { mode, webhook, problems };
  };
  const KEYS = { PLAID_CLIENT_ID: 'client-123', PLAID_SECRET: 'secret-456' };

  it('is live on Plaid’s sandbox with the keys alone, and verifies webhooks with the same keys', () => {
    expect(run(KEYS)).toEqual({
      mode: {
        mode: 'live',
        live: {
          baseUrl: 'https://sandbox.plaid.com',
          clientId: 'client-123',
          secret: 'secret-456',
          environment: 'sandbox',
        },
      },
      webhook: {
        keyServer: { baseUrl: 'https://sandbox.plaid.com', clientId: 'client-123', secret: 'secret-456' },
        keyRefetchIntervalMs: PLAID_KEY_REFETCH_INTERVAL_MS,
        sandbox: false,
        signer: null,
      },
      problems: [],
    });
  });

  it('reaches production with PLAID_ENV=production, and PLAID_BASE_URL replaces the origin', () => {
    const production = run({ ...KEYS, PLAID_ENV: 'production' });
    expect(production.mode).toEqual({
      mode: 'live',
      live: {
        baseUrl: 'https://production.plaid.com',
        clientId: 'client-123',
        secret: 'secret-456',
        environment: 'production',
      },
    });
    const proxied = run({ ...KEYS, PLAID_ENV: 'production', PLAID_BASE_URL: 'http://127.0.0.1:9' });
    expect(proxied.mode).toEqual({
      mode: 'live',
      live: { baseUrl: 'http://127.0.0.1:9', clientId: 'client-123', secret: 'secret-456', environment: 'production' },
    });
  });

  it('runs on the simulator when nothing is set, with a generated signing key and keys; off in production', () => {
    const sandbox = run({});
    expect(sandbox.mode).toEqual({ mode: 'sandbox' });
    expect(sandbox.problems).toEqual([]);
    const hook = sandbox.webhook as PlaidWebhookConfig;
    expect(hook.sandbox).toBe(true);
    expect(hook.keyServer.baseUrl).toBeNull();
    expect(hook.signer?.kid).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.signer?.privateKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(run({}, true)).toEqual({ mode: { mode: 'off' }, webhook: null, problems: [] });
  });

  it('refuses a half-configured provider', () => {
    expect(run({ PLAID_CLIENT_ID: 'client-123' })).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: ['PLAID_SECRET: required when PLAID_CLIENT_ID is set'],
    });
    expect(run({ PLAID_ENV: 'production', PLAID_BASE_URL: 'http://127.0.0.1:9' })).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: [
        'PLAID_CLIENT_ID: required when PLAID_ENV, PLAID_BASE_URL are set',
        'PLAID_SECRET: required when PLAID_ENV, PLAID_BASE_URL are set',
      ],
    });
  });

  it('refuses an environment and a base URL that are not ones', () => {
    expect(run({ ...KEYS, PLAID_ENV: 'development' })).toEqual({ invalid: ['PLAID_ENV'] });
    expect(run({ ...KEYS, PLAID_BASE_URL: 'sandbox.plaid.com' })).toEqual({ invalid: ['PLAID_BASE_URL'] });
  });

  it('documents the rate limit of /identity_verification/get (500 a minute per client)', () => {
    expect(section.documentedRatePerMinute).toBe(500);
  });
});

describe('Plaid status table', () => {
  it.each([
    ['active', 'IN_PROGRESS'],
    ['success', 'APPROVED'],
    ['failed', 'DECLINED'],
    ['expired', 'EXPIRED'],
    ['canceled', 'ABANDONED'],
    ['pending_review', 'IN_REVIEW'],
    ['archived', 'UNKNOWN'],
  ])('%s → %s', (word, status) => {
    expect(mapStatus(plaidVerificationStatus, word)).toBe(status);
  });

  it('has exactly the rows of DESIGN §8', () => {
    expect(plaidVerificationStatus.rows.map((r) => [r.value, r.status])).toEqual([
      ['active', 'IN_PROGRESS'],
      ['success', 'APPROVED'],
      ['failed', 'DECLINED'],
      ['expired', 'EXPIRED'],
      ['canceled', 'ABANDONED'],
      ['pending_review', 'IN_REVIEW'],
    ]);
  });
});

describe('Plaid webhook bodies', () => {
  const hook = plaidWebhook({
    keyServer: { baseUrl: null, clientId: 'c', secret: 's' },
    keyRefetchIntervalMs: 5_000,
    sandbox: false,
    signer: null,
  });
  it.each([
    [
      {
        webhook_type: 'IDENTITY_VERIFICATION',
        webhook_code: 'STATUS_UPDATED',
        identity_verification_id: 'idv_52xR9LKo77r1Np',
        environment: 'production',
      },
      { kind: 'session', event: 'IDENTITY_VERIFICATION.STATUS_UPDATED', sessionId: 'idv_52xR9LKo77r1Np' },
    ],
    [
      {
        webhook_type: 'IDENTITY_VERIFICATION',
        webhook_code: 'STEP_UPDATED',
        identity_verification_id: 'idv_A1',
        environment: 'sandbox',
      },
      { kind: 'session', event: 'IDENTITY_VERIFICATION.STEP_UPDATED', sessionId: 'idv_A1' },
    ],
    [
      {
        webhook_type: 'IDENTITY_VERIFICATION',
        webhook_code: 'RETRIED',
        identity_verification_id: 'idv_A1',
        environment: 'sandbox',
      },
      { kind: 'session', event: 'IDENTITY_VERIFICATION.RETRIED', sessionId: 'idv_A1' },
    ],
    [
      { webhook_type: 'ITEM', webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED', item_id: 'x', environment: 'sandbox' },
      { kind: 'ignored', event: 'ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED' },
    ],
    [
      { webhook_type: 'IDENTITY_VERIFICATION', webhook_code: 'SOMETHING_NEW', identity_verification_id: 'idv_A1' },
      { kind: 'ignored', event: 'IDENTITY_VERIFICATION.SOMETHING_NEW' },
    ],
    [
      { webhook_type: 'IDENTITY_VERIFICATION', webhook_code: 'STATUS_UPDATED', identity_verification_id: 'scr_A1' },
      { kind: 'invalid', reason: 'invalid_payload' },
    ],
    [
      { webhook_type: 'identity verification', webhook_code: 'STATUS_UPDATED' },
      { kind: 'invalid', reason: 'unknown_event' },
    ],
    [{ webhook_code: 'STATUS_UPDATED' }, { kind: 'invalid', reason: 'invalid_payload' }],
  ])('reads %j', (body, reading) => {
    expect(hook.read(body, 0)).toEqual(reading);
  });
});

/** A fresh simulator per group, so its key endpoint's count is this group's alone. */
describe('Plaid webhook signatures', () => {
  let sim: PlaidSimulator;
  const server = (): PlaidKeyServer => ({
    baseUrl: sim.url,
    clientId: PLAID_SANDBOX_CLIENT_ID,
    secret: PLAID_SANDBOX_SECRET,
  });
  const keyFetches = () => sim.requestCount('/webhook_verification_key/get');
  const body = plaidWebhookBody('STATUS_UPDATED', 'idv_52xR9LKo77r1Np');
  const now = () => Math.floor(Date.now() / 1000);
  const token = (d: { headers: Record<string, string> }) => d.headers['plaid-verification'] as string;

  beforeAll(async () => {
    sim = await startPlaidSimulator({ timelineStepMs: 60_000 });
  });
  afterAll(() => sim?.close());

  it('verifies the simulator’s JWT with the key fetched by kid, once, and names the delivery by what was signed', async () => {
    const keys = new PlaidKeyCache(server(), () => 5_000);
    const delivery = signPlaidDelivery(sim.signer, body);
    const id = `jws=${createHash('sha256')
      .update(lowS(token(delivery)))
      .digest('hex')}`;
    sim.resetCount();
    expect(await verifyPlaidWebhook(token(delivery), Buffer.from(body), keys, now())).toEqual({
      ok: true,
      deliveryId: id,
      scheme: 'ES256',
    });
    expect(
      await verifyPlaidWebhook(token(signPlaidDelivery(sim.signer, body)), Buffer.from(body), keys, now()),
    ).toMatchObject({ ok: true });
    expect(keyFetches()).toBe(1);
  });

  it('names two signings of one payload apart, and a signature turned into its high-S twin as the same delivery', async () => {
    const keys = new PlaidKeyCache(server(), () => 5_000);
    const iat = now();
    const first = token(signPlaidDelivery(sim.signer, body, iat));
    const second = token(signPlaidDelivery(sim.signer, body, iat));
    const twin = highSTwin(first);
    const ids = await Promise.all(
      [first, second, twin].map(async (t) => {
        const v = await verifyPlaidWebhook(t, Buffer.from(body), keys, now());
        return v.ok ? v.deliveryId : v.reason;
      }),
    );
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[2]).toBe(ids[0]);
  });

  it('refuses alg none, HS256 with the public key as its secret, a changed body and a stale iat, fetching no key', async () => {
    const keys = new PlaidKeyCache(server(), () => 0);
    const digest = createHash('sha256').update(body).digest('hex');
    const payload = b64(JSON.stringify({ iat: now(), request_body_sha256: digest }));
    const none = `${b64(JSON.stringify({ alg: 'none', kid: sim.signer.kid }))}.${payload}.`;
    const pem = sim.signer.publicKey.export({ format: 'pem', type: 'spki' });
    const hsHeader = b64(JSON.stringify({ alg: 'HS256', kid: sim.signer.kid, typ: 'JWT' }));
    const hs = `${hsHeader}.${payload}.${b64(createHmac('sha256', pem).update(`${hsHeader}.${payload}`).digest())}`;
    const changed = Buffer.from(body.replace('STATUS_UPDATED', 'STEP_UPDATED'));
    const stale = token(signPlaidDelivery(sim.signer, body, now() - 301));
    sim.resetCount();
    expect(await verifyPlaidWebhook(none, Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyPlaidWebhook(hs, Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyPlaidWebhook(token(signPlaidDelivery(sim.signer, body)), changed, keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyPlaidWebhook(stale, Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(await verifyPlaidWebhook('not a jwt', Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(keyFetches()).toBe(0);
  });

  it('refuses a signature by another key under Plaid’s kid, and a key Plaid marks expired', async () => {
    const keys = new PlaidKeyCache(server(), () => 0);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = signPlaidDelivery({ kid: sim.signer.kid, privateKey, publicKey }, body);
    expect(await verifyPlaidWebhook(token(forged), Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const expired = sim.addKey(now() - 60);
    const byExpired = signPlaidDelivery(expired, body);
    expect(await verifyPlaidWebhook(token(byExpired), Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const rotatedLater = sim.addKey(now() + 3_600);
    expect(
      await verifyPlaidWebhook(token(signPlaidDelivery(rotatedLater, body)), Buffer.from(body), keys, now()),
    ).toMatchObject({
      ok: true,
    });
  });

  it('lets one delivery wait for the next fetch slot: a genuine new key right after a made-up kid verifies', async () => {
    const keys = new PlaidKeyCache(server(), () => 300);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const madeUp = token(signPlaidDelivery({ kid: 'made-up-kid', privateKey, publicKey }, body));
    const rotated = sim.addKey(null);
    sim.resetCount();
    expect(await verifyPlaidWebhook(madeUp, Buffer.from(body), keys, now())).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const another = token(signPlaidDelivery({ kid: 'another-made-up-kid', privateKey, publicKey }, body));
    const [genuine, refused] = await Promise.all([
      verifyPlaidWebhook(token(signPlaidDelivery(rotated, body)), Buffer.from(body), keys, now()),
      verifyPlaidWebhook(another, Buffer.from(body), keys, now()),
    ]);
    expect([genuine.ok, refused]).toEqual([true, { ok: false, reason: 'bad_signature' }]);
    expect(keyFetches()).toBe(2);
  });

  it('fetches at most one unknown kid per interval, however many arrive at once', async () => {
    const keys = new PlaidKeyCache(server(), () => 60_000);
    sim.resetCount();
    const flood = Array.from({ length: 50 }, (_, i) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return token(signPlaidDelivery({ kid: `random-kid-${i}`, privateKey, publicKey }, body));
    });
    const results = await Promise.all(flood.map((t) => verifyPlaidWebhook(t, Buffer.from(body), keys, now())));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(keyFetches()).toBe(1);
    // The real key, unknown to this cache and inside the interval, is refused too (Plaid retries it later).
    expect(
      await verifyPlaidWebhook(token(signPlaidDelivery(sim.signer, body)), Buffer.from(body), keys, now()),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(keyFetches()).toBe(1);
  });
});

describe('Plaid simulator credentials', () => {
  let sim: PlaidSimulator;
  beforeAll(async () => {
    sim = await startPlaidSimulator({ timelineStepMs: 60_000 });
  });
  afterAll(() => sim?.close());
  const adapter = (secret: string) =>
    new PlaidAdapter(
      { baseUrl: sim.url, clientId: PLAID_SANDBOX_CLIENT_ID, secret, environment: 'production' },
      { sandbox: false },
    );

  it('answers HTTP 400 INVALID_API_KEYS to a wrong secret, which is UPSTREAM_AUTH_FAILED', async () => {
    const wrong = adapter('not-the-secret');
    await expect(wrong.fetchSession('idv_52xR9LKo77r1Np')).rejects.toMatchObject({
      code: 'UPSTREAM_AUTH_FAILED',
      message: "Plaid rejected Verigate's credentials (HTTP 400).",
    });
    await wrong.close();
  });

  it('reads a production verification as not sandbox data, and an unknown id as NOT_FOUND', async () => {
    const right = adapter(PLAID_SANDBOX_SECRET);
    expect((await right.fetchSession('idv_52xR9LKo77r1Np')).sandbox).toBe(false);
    await expect(right.fetchSession('idv_NoSuchOne')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(right.fetchSession('idv_UnknownId')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await right.close();
  });
});
