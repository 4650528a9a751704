import { describe, expect, it } from 'vitest';
import { inputHash, validateStartInput } from '../../src/start/input.ts';
import { vendorKey } from '../../src/start/service.ts';
import type { GatewayError } from '../../src/upstream/errors.ts';

/** startVerification's input rules that need no gateway: production's https rule, canonical forms, the hash. */

const base = { subjectRef: 'user-1', idempotencyKey: 'idem-0001-abcd' };
const fieldOf = (run: () => unknown): unknown => {
  try {
    run();
    return null;
  } catch (error) {
    return (error as GatewayError).extensions.field;
  }
};

describe('validateStartInput', () => {
  it('refuses http://localhost in production, accepts it outside', () => {
    const input = { ...base, returnUrl: 'http://localhost:3000/done' };
    expect(fieldOf(() => validateStartInput(input, { production: true }))).toBe('returnUrl');
    expect(fieldOf(() => validateStartInput(input, { production: false }))).toBeNull();
  });

  it('refuses a URL carrying credentials', () => {
    const input = { ...base, returnUrl: 'https://user:pass@app.example.com/done' };
    expect(fieldOf(() => validateStartInput(input, { production: false }))).toBe('returnUrl');
  });

  it('canonicalises country and locale', () => {
    const out = validateStartInput({ ...base, country: 'de', locale: 'pt-br' }, { production: false });
    expect([out.country, out.locale]).toEqual(['DE', 'pt-BR']);
  });

  it('refuses a date of birth after today (as of the given clock)', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const at = (dateOfBirth: string) =>
      fieldOf(() => validateStartInput({ ...base, prefill: { dateOfBirth } }, { production: false, now }));
    expect(at('2026-03-02')).toBe('prefill.dateOfBirth');
    expect(at('2026-03-01')).toBeNull();
    expect(at('1899-12-31')).toBe('prefill.dateOfBirth');
  });
});

describe('inputHash and vendorKey', () => {
  it('hashes the input without its idempotency key, absent and null alike', () => {
    const a = validateStartInput({ ...base, country: null }, { production: false });
    const b = validateStartInput({ ...base, idempotencyKey: 'another-key-0002' }, { production: false });
    expect(inputHash(a)).toBe(inputHash(b));
    const c = validateStartInput({ ...base, country: 'US' }, { production: false });
    expect(inputHash(c)).not.toBe(inputHash(a));
  });

  it('derives one vendor key per (API key, idempotency key, provider)', () => {
    const key = { apiKey: 'app', idempotencyKey: 'idem-0001-abcd' };
    expect(vendorKey(key, 'VERIFA')).toBe(vendorKey({ ...key }, 'VERIFA'));
    expect(vendorKey(key, 'VERIFA')).not.toBe(vendorKey(key, 'DIDIT'));
    expect(vendorKey(key, 'VERIFA')).not.toBe(vendorKey({ ...key, apiKey: 'other' }, 'VERIFA'));
    expect(vendorKey(key, 'VERIFA')).toMatch(/^vg_[A-Za-z0-9_-]{40}$/);
  });
});
