import { describe, expect, it } from 'vitest';
import { calendarDate, instant, joinName, percentToUnit, text, unit } from '../../src/model/values.ts';

describe('value rules', () => {
  it('turns empty and blank strings into null and trims the rest', () => {
    expect(text('')).toBeNull();
    expect(text('   ')).toBeNull();
    expect(text(null)).toBeNull();
    expect(text(undefined)).toBeNull();
    expect(text(' Jane ')).toBe('Jane');
  });

  it('joins names, skipping empty parts', () => {
    expect(joinName('Jane', '', 'Sample')).toBe('Jane Sample');
    expect(joinName('', null)).toBeNull();
  });

  it('reads YYYY-MM-DD and VX YYYYMMDD dates and rejects impossible ones', () => {
    expect(calendarDate('19900101')).toBe('1990-01-01');
    expect(calendarDate('1990-01-01')).toBe('1990-01-01');
    expect(calendarDate('1990-02-30')).toBeNull();
    expect(calendarDate('19901301')).toBeNull();
    expect(calendarDate('01/01/1990')).toBeNull();
    expect(calendarDate('')).toBeNull();
  });

  it('reads instants as UTC ISO-8601, zone-less VX timestamps included', () => {
    expect(instant('2024-08-19 20:56:25.223174')).toBe('2024-08-19T20:56:25.223Z');
    expect(instant('2024-07-24T08:54:25.443172Z')).toBe('2024-07-24T08:54:25.443Z');
    expect(instant('2024-07-24T10:54:25+02:00')).toBe('2024-07-24T08:54:25.000Z');
    expect(instant('2024-07-20T17:53:03')).toBe('2024-07-20T17:53:03.000Z');
    expect(instant('yesterday')).toBeNull();
    expect(instant('')).toBeNull();
  });

  it('brings 0..100 scores to 0..1 without float noise', () => {
    expect(percentToUnit(97.99)).toBe(0.9799);
    expect(percentToUnit(70.35)).toBe(0.7035);
    expect(percentToUnit(100)).toBe(1);
    expect(percentToUnit(null)).toBeNull();
    expect(percentToUnit(Number.NaN)).toBeNull();
    expect(unit(0.5)).toBe(0.5);
    expect(unit(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
