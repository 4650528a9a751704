import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../src/config/index.ts';
import { toGlobalId } from '../src/graphql/ids.ts';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

const SECRET = 'test-jwt-secret-that-is-long-enough-0001';
const ISSUER = 'https://app-backend.example';
const AUDIENCE = 'verigate';
const JWT_ENV = { JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };

const now = () => Math.floor(Date.now() / 1000);

/** Mints a token the way an app backend would: HS256, this issuer and audience, 5 minutes (-1: leave the claim out). */
function mint(
  claims: JWTPayload,
  options: { secret?: string; exp?: number; iat?: number; iss?: string; aud?: string } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE);
  if (options.iat !== -1) jwt.setIssuedAt(options.iat ?? now());
  if (options.exp !== -1) jwt.setExpirationTime(options.exp ?? now() + 300);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const STATUS = (id: string) => `{ session(provider: VERIFA, id: "${id}") { status } }`;
const unauthenticated = (message: string) => ({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });

describe('API keys configured as SHA-256 hashes', () => {
  const PLAIN = 'a-key-only-its-owner-knows-0042';
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      GATEWAY_API_KEYS: JSON.stringify([
        { name: 'hashed', sha256: createHash('sha256').update(PLAIN).digest('hex'), scopes: ['sessions:read'] },
        { name: 'plain', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
      ]),
    });
  });
  afterAll(() => gw.close());

  it('accepts the key whose hash is configured, with that entry’s scopes', async () => {
    const res = await gw.query(
      '{ session(provider: VERIFA, id: "ses_approved") { status kyc { documentNumber } } }',
      undefined,
      PLAIN,
    );
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: '****4567' } } } });
  });

  it('refuses the hash itself sent as a key, and a near miss', async () => {
    const hash = createHash('sha256').update(PLAIN).digest('hex');
    for (const key of [hash, `${PLAIN}x`, PLAIN.slice(0, -1)]) {
      const res = await gw.query(STATUS('ses_approved'), undefined, key);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthenticated('The API key is not valid.'));
    }
  });

  it('still accepts plain keys beside hashed ones', async () => {
    const res = await gw.query(STATUS('ses_approved'));
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });
});

describe('API key configuration', () => {
  const problems = (keys: unknown[]) => {
    try {
      loadConfig({ GATEWAY_API_KEYS: JSON.stringify(keys) });
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('takes exactly one of key and sha256, and a sha256 of 64 hex characters', () => {
    expect(problems([{ name: 'a', scopes: ['pii:read'] }])).toEqual([
      'GATEWAY_API_KEYS.0: give exactly one of "key" and "sha256"',
    ]);
    expect(problems([{ name: 'a', key: 'k'.repeat(16), sha256: 'a'.repeat(64), scopes: ['pii:read'] }])).toEqual([
      'GATEWAY_API_KEYS.0: give exactly one of "key" and "sha256"',
    ]);
    expect(problems([{ name: 'a', sha256: 'xyz', scopes: ['pii:read'] }])).toEqual([
      'GATEWAY_API_KEYS.0.sha256: sha256 must be 64 hex characters (the SHA-256 of the key)',
    ]);
  });

  it('reports a key listed twice, once plain and once as its hash', () => {
    const key = 'the-same-key-twice-000';
    const hash = createHash('sha256').update(key).digest('hex').toUpperCase();
    expect(
      problems([
        { name: 'a', key, scopes: ['pii:read'] },
        { name: 'b', sha256: hash, scopes: ['pii:read'] },
      ]),
    ).toEqual(['GATEWAY_API_KEYS.1: duplicate key']);
  });
});

describe('JWT configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('needs an issuer and an audience, and one way to verify', () => {
    expect(problems({ JWT_SECRET: SECRET })).toEqual([
      'JWT_ISSUER: required when JWT_SECRET or JWT_JWKS_URL is set',
      'JWT_AUDIENCE: required when JWT_SECRET or JWT_JWKS_URL is set',
    ]);
    expect(problems({ ...JWT_ENV, JWT_JWKS_URL: 'https://issuer.example/jwks.json' })).toEqual([
      'JWT_SECRET and JWT_JWKS_URL: set together; configure one way to verify tokens',
    ]);
    expect(problems({ JWT_ISSUER: ISSUER })).toEqual(['JWT_ISSUER: set, but neither JWT_SECRET nor JWT_JWKS_URL is']);
    expect(problems({ ...JWT_ENV, JWT_SECRET: 'short' })).toContain('JWT_SECRET: must be at least 32 characters');
  });

  it('lets production start with JWT alone, and wants its JWKS over https', () => {
    const config = loadConfig({ NODE_ENV: 'production', ...JWT_ENV });
    expect(config.apiKeys).toBeNull();
    expect(config.jwt).toMatchObject({ issuer: ISSUER, audience: AUDIENCE, maxTtlSeconds: 3600 });
    expect(
      problems({
        NODE_ENV: 'production',
        JWT_JWKS_URL: 'http://issuer.example/jwks.json',
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    ).toEqual(['JWT_JWKS_URL: must be https in production']);
  });
});

describe('JWT bearer tokens with a shared secret', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(JWT_ENV);
  });
  afterAll(() => gw.close());

  it('serves a token with both scopes like a full-access key', async () => {
    const token = await mint({ scope: 'sessions:read pii:read', client_id: 'mobile-backend' });
    const res = await gw.query(
      '{ session(provider: VERIFA, id: "ses_approved") { status kyc { documentNumber } } }',
      undefined,
      token,
    );
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: 'D81234567' } } } });
  });

  it('reads scopes from an `scp` array too, and masks without pii:read', async () => {
    const token = await mint({ scp: ['sessions:read', 'some:other-scope'] });
    const res = await gw.query(
      '{ session(provider: VERIFA, id: "ses_approved") { kyc { documentNumber } } }',
      undefined,
      token,
    );
    expect(res.body).toEqual({ data: { session: { kyc: { documentNumber: '****4567' } } } });
  });

  it('answers FORBIDDEN for a token without sessions:read, before any vendor call', async () => {
    const sim = gw.simulator('VERIFA');
    sim.resetCount();
    const res = await gw.query(STATUS('ses_approved'), undefined, await mint({ scope: 'pii:read' }));
    expect(res.body).toEqual({
      data: { session: null },
      errors: [
        {
          message: 'This token lacks the "sessions:read" scope.',
          locations: [{ line: 1, column: 3 }],
          path: ['session'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(sim.requestCount()).toBe(0);
  });

  describe('bound to its user’s sessions', () => {
    const mine = 'ses_abc123';
    const bound = () =>
      mint({ scope: 'sessions:read', sessions: [`VERIFA:${mine}`, 'didit:11111111-2222-3333-4444-555555555555'] });

    it('reads the sessions it names (provider names are case-insensitive)', async () => {
      const token = await bound();
      const res = await gw.query(
        `{ a: session(provider: VERIFA, id: "${mine}") { status }
           b: session(provider: DIDIT, id: "11111111-2222-3333-4444-555555555555") { status } }`,
        undefined,
        token,
      );
      expect(res.body).toEqual({ data: { a: { status: 'IN_REVIEW' }, b: { status: 'DECLINED' } } });
    });

    it('answers FORBIDDEN for any other session, by session, node or sessions, without calling the vendor', async () => {
      const token = await bound();
      const verifa = gw.simulator('VERIFA');
      const veratad = gw.simulator('VERATAD');
      verifa.resetCount();
      veratad.resetCount();
      const other = toGlobalId({ provider: 'VERIFA', id: 'ses_approved' });
      const res = await gw.query(
        `{ one: session(provider: VERIFA, id: "ses_approved") { status }
           vx: session(provider: VERATAD, id: "19fe3b9e-384e-41d1-bded-8de9ef3abacb") { status }
           node(id: "${other}") { id }
           many: sessions(refs: [{ provider: VERIFA, id: "${mine}" }, { provider: VERIFA, id: "ses_rejected" }]) { status } }`,
        undefined,
        token,
      );
      const forbidden = (path: Array<string | number>, provider: string, line: number, column: number) => ({
        message: `This token does not grant access to that ${provider} session.`,
        locations: [{ line, column }],
        path,
        extensions: { code: 'FORBIDDEN', provider: provider === 'Verifa' ? 'VERIFA' : 'VERATAD' },
      });
      expect(res.body).toEqual({
        data: { one: null, vx: null, node: null, many: [{ status: 'IN_REVIEW' }, null] },
        errors: [
          forbidden(['one'], 'Verifa', 1, 3),
          forbidden(['vx'], 'Veratad VX', 2, 12),
          forbidden(['node'], 'Verifa', 3, 12),
          forbidden(['many', 1], 'Verifa', 4, 12),
        ],
      });
      // Only the session the token names was fetched: one result call for ses_abc123.
      expect(verifa.requestCount('ses_approved')).toBe(0);
      expect(verifa.requestCount('ses_rejected')).toBe(0);
      expect(verifa.requestCount(mine)).toBeGreaterThan(0);
      expect(veratad.requestCount()).toBe(0);
    });

    it('reads a case-insensitive vendor’s session under either spelling, whichever the token names; Verifa ids stay exact', async () => {
      const didit = 'd1d10200-0000-4000-8000-000000000003'; // the sandbox's Approved session
      const upper = await mint({
        scope: 'sessions:read',
        sessions: [`DIDIT:${didit.toUpperCase()}`, `VERIFA:${mine}`],
      });
      const res = await gw.query(
        `{ a: session(provider: DIDIT, id: "${didit}") { providerSessionId status }
           b: session(provider: DIDIT, id: "${didit.toUpperCase()}") { providerSessionId status }
           c: session(provider: VERIFA, id: "${mine.toUpperCase()}") { status } }`,
        undefined,
        upper,
      );
      const approved = { providerSessionId: didit, status: 'APPROVED' };
      expect(res.body).toEqual({
        data: { a: approved, b: approved, c: null },
        errors: [
          {
            message: 'This token does not grant access to that Verifa session.',
            locations: [{ line: 3, column: 12 }],
            path: ['c'],
            extensions: { code: 'FORBIDDEN', provider: 'VERIFA' },
          },
        ],
      });
    });

    it('reads nothing with an empty list', async () => {
      const token = await mint({ scope: 'sessions:read', sessions: [] });
      const res = await gw.query(STATUS(mine), undefined, token);
      expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', provider: 'VERIFA' });
    });
  });

  it('answers 401 for expired, foreign, forged, unsigned, eternal and malformed tokens, never calling a vendor', async () => {
    const sim = gw.simulator('VERIFA');
    sim.resetCount();
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: now() + 300, scope: 'sessions:read' }),
    ).toString('base64url');
    const cases: Array<[string, string]> = [
      [await mint({ scope: 'sessions:read' }, { exp: now() - 60, iat: now() - 120 }), 'The token has expired.'],
      [
        await mint({ scope: 'sessions:read' }, { aud: 'another-api' }),
        'The token is not valid for this gateway (claim "aud").',
      ],
      [
        await mint({ scope: 'sessions:read' }, { iss: 'https://evil.example' }),
        'The token is not valid for this gateway (claim "iss").',
      ],
      [await mint({ scope: 'sessions:read' }, { exp: -1 }), 'The token is not valid for this gateway (claim "exp").'],
      [await mint({ scope: 'sessions:read' }, { iat: -1 }), 'The token is not valid for this gateway (claim "iat").'],
      [
        await mint({ scope: 'sessions:read' }, { secret: 'another-secret-that-is-long-enough-999' }),
        'The token is not valid.',
      ],
      [`${header('none')}.${body}.`, 'The API key or token is not valid.'],
      [`${header('none')}.${body}.c2ln`, 'The token is not valid.'],
      [`${header('HS256')}.${body}.${'A'.repeat(43)}`, 'The token is not valid.'],
      [
        await mint({ scope: 'sessions:read' }, { exp: now() + 7200 }),
        'The token lives longer than 3600 s; mint short-lived tokens for Verigate.',
      ],
      [
        await mint({ scope: 'sessions:read', sessions: ['ACME:123'] }),
        'The token carries malformed Verigate claims (scope, sessions).',
      ],
      [
        await mint({ scope: 'sessions:read', sessions: 'VERIFA:ses_abc123' }),
        'The token carries malformed Verigate claims (scope, sessions).',
      ],
    ];
    for (const [token, message] of cases) {
      const res = await gw.query(STATUS('ses_approved'), undefined, token);
      expect({ status: res.status, body: res.body }, message).toEqual({
        status: 401,
        body: unauthenticated(message),
      });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect(sim.requestCount()).toBe(0);
  });

  it('keeps API keys working beside tokens', async () => {
    const res = await gw.query(STATUS('ses_approved'));
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  describe('lifetime counted from the earlier of `iat` and now', () => {
    const FULL_SESSION = '{ session(provider: VERIFA, id: "ses_approved") { status kyc { documentNumber } } }';
    const PII = { scope: 'sessions:read pii:read' };

    it('refuses a ten-year token whose `iat` claims it was minted a minute before it expires', async () => {
      const sim = gw.simulator('VERIFA');
      sim.resetCount();
      const exp = now() + 10 * 365 * 86_400;
      const res = await gw.query(FULL_SESSION, undefined, await mint(PII, { exp, iat: exp - 60 }));
      expect({ status: res.status, body: res.body }).toEqual({
        status: 401,
        body: unauthenticated('The token was issued in the future ("iat"); check the issuer’s clock.'),
      });
      expect(sim.requestCount()).toBe(0);
    });

    it('accepts an `iat` a few seconds ahead, within the clock tolerance', async () => {
      const res = await gw.query(FULL_SESSION, undefined, await mint(PII, { iat: now() + 3, exp: now() + 300 }));
      expect(res.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: 'D81234567' } } } });
    });

    it('refuses a token that, counted from now, outlives the limit although `exp − iat` does not', async () => {
      // iat 4 s ahead (tolerated), exp − iat exactly 3600 s: from now the token would live 3604 s.
      const iat = now() + 4;
      const res = await gw.query(FULL_SESSION, undefined, await mint(PII, { iat, exp: iat + 3600 }));
      expect({ status: res.status, body: res.body }).toEqual({
        status: 401,
        body: unauthenticated('The token lives longer than 3600 s; mint short-lived tokens for Verigate.'),
      });
    });
  });
});

describe('JWT bearer tokens verified with the issuer’s JWKS', () => {
  let gw: TestGateway;
  let jwks: Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let down = false;
  let jwksUrl = '';
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      if (down) return res.destroy();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    gw = await startTestGateway({ JWT_JWKS_URL: jwksUrl, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (key: typeof privateKey, kid = 'k1') =>
    new SignJWT({ scope: 'sessions:read', sessions: ['VERIFA:ses_approved'] })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  it('accepts a token signed by a key in the JWKS', async () => {
    const res = await gw.query(STATUS('ses_approved'), undefined, await sign(privateKey));
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const stranger = await generateKeyPair('ES256');
    for (const kid of ['k1', 'k2']) {
      const res = await gw.query(STATUS('ses_approved'), undefined, await sign(stranger.privateKey, kid));
      expect(res.status).toBe(401);
      expect(res.body).toEqual(unauthenticated('The token is not valid.'));
    }
  });

  it('answers 503 UPSTREAM_UNAVAILABLE while the JWKS cannot be fetched', async () => {
    down = true;
    // A gateway that has not fetched the JWKS yet (a running one keeps its copy and refetches at most every 30 s).
    const fresh = await startTestGateway({ JWT_JWKS_URL: jwksUrl, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
    try {
      const res = await fresh.query(STATUS('ses_approved'), undefined, await sign(privateKey));
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        errors: [
          {
            message: 'The token cannot be verified right now; retry shortly.',
            extensions: { code: 'UPSTREAM_UNAVAILABLE' },
          },
        ],
      });
    } finally {
      down = false;
      await fresh.close();
    }
  });
});
