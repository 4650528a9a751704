import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { fromGlobalId, toGlobalId } from '../../src/graphql/ids.ts';
import { maskValue } from '../../src/graphql/pii.ts';
import { parseRetryAfter } from '../../src/upstream/errors.ts';
import { TokenCache } from '../../src/upstream/tokenCache.ts';

describe('config', () => {
  it('defaults to port 4000 and every provider on its simulator outside production', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.nodeEnv).toBe('development');
    expect(config.apiKeys).toBeNull();
    expect(config.providers.verifa).toEqual({ mode: 'sandbox' });
  });

  it('turns providers without a base URL off in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      GATEWAY_API_KEYS: '[{"name":"a","key":"0123456789abcdef","scopes":["sessions:read"]}]',
    });
    expect(config.providers.verifa).toEqual({ mode: 'off' });
  });

  it('requires the key of a live provider and reports credentials without a base URL', () => {
    const error = (() => {
      try {
        loadConfig({ VERIFA_BASE_URL: 'https://api.withverifa.com/', VERATAD_CLIENT_ID: 'id' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems).toEqual([
      'VERATAD_CLIENT_ID: set, but VERATAD_BASE_URL is not (set it too, or unset them)',
      'VERIFA_API_KEY: required when VERIFA_BASE_URL is set',
    ]);
  });

  it('reads a live Verifa with its version', () => {
    const config = loadConfig({
      VERIFA_BASE_URL: 'https://api.withverifa.com',
      VERIFA_API_KEY: 'vk_live_x',
      VERIFA_VERSION: '2026-01-01',
    });
    expect(config.providers.verifa).toEqual({
      mode: 'live',
      live: { baseUrl: 'https://api.withverifa.com', apiKey: 'vk_live_x', version: '2026-01-01' },
    });
  });

  it('rejects GATEWAY_API_KEYS that are not JSON, without echoing them', () => {
    expect(() => loadConfig({ GATEWAY_API_KEYS: 'secret-value' })).toThrowError(
      /GATEWAY_API_KEYS: must be a JSON array/,
    );
    try {
      loadConfig({ GATEWAY_API_KEYS: 'secret-value' });
    } catch (e) {
      expect(String(e)).not.toContain('secret-value');
    }
  });
});

describe('cache and upstream config', () => {
  const prod = {
    NODE_ENV: 'production',
    GATEWAY_API_KEYS: '[{"name":"a","key":"0123456789abcdef","scopes":["sessions:read"]}]',
  };

  it('refuses a Redis cache without an encryption key in production', () => {
    expect(() => loadConfig({ ...prod, REDIS_URL: 'redis://cache:6379' })).toThrowError(
      /CACHE_ENCRYPTION_KEY: required in production when REDIS_URL is set/,
    );
    const key = Buffer.alloc(32, 1);
    expect(
      loadConfig({ ...prod, REDIS_URL: 'redis://cache:6379', CACHE_ENCRYPTION_KEY: key.toString('hex') }).cache
        .encryptionKey,
    ).toEqual(key);
    expect(
      loadConfig({ ...prod, REDIS_URL: 'redis://cache:6379', CACHE_ENCRYPTION_KEY: key.toString('base64') }).cache
        .encryptionKey,
    ).toEqual(key);
  });

  it('rejects an encryption key that is not 32 bytes', () => {
    expect(() => loadConfig({ CACHE_ENCRYPTION_KEY: 'abcd' })).toThrowError(/CACHE_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('reads the request deadline and body rate floor, and refuses them out of range', () => {
    const { server } = loadConfig({});
    expect([server.requestTimeoutMs, server.bodyMinBytesPerSecond]).toEqual([30_000, 1_024]);
    const set = loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '60', HTTP_BODY_MIN_BYTES_PER_SECOND: '0' }).server;
    expect([set.requestTimeoutMs, set.bodyMinBytesPerSecond]).toEqual([60_000, 0]);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '5' })).toThrowError(
      /HTTP_REQUEST_TIMEOUT_SECONDS: must be between 10 and 3600/,
    );
    expect(() => loadConfig({ HTTP_BODY_MIN_BYTES_PER_SECOND: '-1' })).toThrowError(
      /HTTP_BODY_MIN_BYTES_PER_SECOND: must be between 0 and 1000000000/,
    );
  });

  it('takes the vendors documented limits for live providers, none for simulators, and 0 as off', () => {
    const live = loadConfig({ VERIFA_BASE_URL: 'https://api.withverifa.com', VERIFA_API_KEY: 'vk_live_x' });
    // Only Verifa is live: every simulator has no budget unless one is set.
    expect(live.upstream.ratePerMinute).toEqual({
      veratad: null,
      didit: null,
      verifa: 300,
      onfido: null,
      persona: null,
      sumsub: null,
      plaid: null,
    });
    const didit = loadConfig({ DIDIT_BASE_URL: 'https://verification.didit.me', DIDIT_API_KEY: 'key' });
    expect(didit.upstream.ratePerMinute.didit).toBe(100);
    expect(loadConfig({ VERIFA_RATE_LIMIT_PER_MINUTE: '1000' }).upstream.ratePerMinute.verifa).toBe(1000);
    expect(loadConfig({ VERIFA_RATE_LIMIT_PER_MINUTE: '0' }).upstream.ratePerMinute.verifa).toBeNull();
  });
});

describe('global ids', () => {
  it('round-trips, including ids with colons', () => {
    for (const id of ['ses_abc123', '11111111-2222-3333-4444-555555555555', 'a:b:c']) {
      expect(fromGlobalId(toGlobalId({ provider: 'DIDIT', id }))).toEqual({ provider: 'DIDIT', id });
    }
  });
  it('rejects non-canonical encodings and foreign types', () => {
    expect(fromGlobalId('')).toBeNull();
    expect(fromGlobalId(`${toGlobalId({ provider: 'VERIFA', id: 'x' })}=`)).toBeNull();
    expect(fromGlobalId(Buffer.from('Other:VERIFA:x').toString('base64url'))).toBeNull();
  });
});

describe('masking', () => {
  it('masks the last four with a fixed-length mask: the length of the value does not show', () => {
    expect(maskValue('D1234567', 'LAST4')).toBe('****4567');
    expect(maskValue('D81234567', 'LAST4')).toBe('****4567');
    expect(maskValue('+34600111222', 'LAST4')).toBe('****1222');
    // Fewer than four hidden characters would show most of the value: nothing of it is shown.
    expect(['', '1', '1234', '1234567'].map((v) => maskValue(v, 'LAST4'))).toEqual(Array(4).fill('********'));
  });

  it('masks by kind', () => {
    expect(maskValue('BK123456', 'LAST4')).toBe('****3456');
    expect(maskValue('123', 'LAST4')).toBe('********');
    expect(maskValue('johndoe@example.com', 'EMAIL')).toBe('j***@example.com');
    expect(maskValue('not-an-email', 'EMAIL')).toBeNull();
    expect(maskValue('1990-01-01', 'REDACT')).toBeNull();
    expect(maskValue(null, 'LAST4')).toBeNull();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, with a fallback', () => {
    expect(parseRetryAfter('12', 60)).toBe(12);
    expect(parseRetryAfter('0', 60)).toBe(1);
    expect(parseRetryAfter(undefined, 60)).toBe(60);
    expect(parseRetryAfter('soon', 60)).toBe(60);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), 5, Date.UTC(2030, 0, 1))).toBe(30);
  });
});

describe('TokenCache', () => {
  it('makes one token request however many callers wait, and refreshes before expiry', async () => {
    let now = 0;
    let issued = 0;
    const cache = new TokenCache(
      async () => {
        issued += 1;
        await new Promise((r) => setTimeout(r, 10));
        return { accessToken: `t${issued}`, expiresInSeconds: 3600 };
      },
      { now: () => now },
    );
    const tokens = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(cache.fetchCount).toBe(1);
    now = 3600_000 - 61_000;
    expect(await cache.get()).toBe('t1');
    now = 3600_000 - 59_000;
    expect(await cache.get()).toBe('t2');
  });

  it('does not cache a failed refresh, and invalidates only the token it was told about', async () => {
    let fail = true;
    let n = 0;
    const cache = new TokenCache(async () => {
      n += 1;
      if (fail) throw new Error('down');
      return { accessToken: `t${n}`, expiresInSeconds: 60 };
    });
    await expect(cache.get()).rejects.toThrow('down');
    fail = false;
    expect(await cache.get()).toBe('t2');
    cache.invalidate('other');
    expect(await cache.get()).toBe('t2');
    cache.invalidate('t2');
    expect(await cache.get()).toBe('t3');
  });
});
