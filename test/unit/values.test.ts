import { describe, expect, it } from 'vitest';
import { allNull, calendarDate, instant, joinName, percentToUnit, text, unit } from '../../src/model/values.ts';

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

  it('knows leap years and refuses years before 100', () => {
    expect(calendarDate('2024-02-29')).toBe('2024-02-29');
    expect(calendarDate('20000229')).toBe('2000-02-29');
    expect(calendarDate('1900-02-29')).toBeNull();
    expect(calendarDate('2023-02-29')).toBeNull();
    expect(calendarDate('2024-04-31')).toBeNull();
    expect(calendarDate('2024-00-10')).toBeNull();
    expect(calendarDate('2024-01-00')).toBeNull();
    expect(calendarDate('0099-12-31')).toBeNull();
    expect(calendarDate('0100-01-01')).toBe('0100-01-01');
    expect(calendarDate(' 1990-01-01 ')).toBe('1990-01-01');
  });

  it('reads instants as UTC ISO-8601, zone-less VX timestamps included', () => {
    expect(instant('2024-08-19 20:56:25.223174')).toBe('2024-08-19T20:56:25.223Z');
    expect(instant('2024-07-24T08:54:25.443172Z')).toBe('2024-07-24T08:54:25.443Z');
    expect(instant('2024-07-24T10:54:25+02:00')).toBe('2024-07-24T08:54:25.000Z');
    expect(instant('2024-07-20T17:53:03')).toBe('2024-07-20T17:53:03.000Z');
    expect(instant('2024-07-24T08:54:25.443Z')).toBe('2024-07-24T08:54:25.443Z');
    expect(instant('2024-07-24T08:54:25.4Z')).toBe('2024-07-24T08:54:25.400Z');
    expect(instant('2024-07-24 08:54:25.44')).toBe('2024-07-24T08:54:25.440Z');
    expect(instant('2024-07-24t08:54:25z')).toBe('2024-07-24T08:54:25.000Z');
    expect(instant(' 2024-07-24T08:54:25Z ')).toBe('2024-07-24T08:54:25.000Z');
    expect(instant('2024-07-24T08:54:25-0530')).toBe('2024-07-24T14:24:25.000Z');
    expect(instant('0050-03-01T00:00:00')).toBe('0050-03-01T00:00:00.000Z');
    expect(instant('2024-07-24T08:54:60Z')).toBeNull();
    expect(instant('2024-07-24T08:54:25.Z')).toBeNull();
    expect(instant('yesterday')).toBeNull();
  });

  it('reads instants out of range as Date does: 24:00 and 30 February roll over', () => {
    expect(instant('2024-01-01T24:00:00Z')).toBe('2024-01-02T00:00:00.000Z');
    expect(instant('2024-02-30T00:00:00')).toBe('2024-03-01T00:00:00.000Z');
    expect(instant('2024-02-29T23:59:59.999999Z')).toBe('2024-02-29T23:59:59.999Z');
    expect(instant('')).toBeNull();
  });

  it('calls a part empty when all its values are null or empty lists', () => {
    expect(allNull({ a: null, b: [] })).toBe(true);
    expect(allNull({ a: null, b: [1] })).toBe(false);
    expect(allNull({ a: null, b: 0 })).toBe(false);
    expect(allNull({ a: null, b: '' })).toBe(false);
    expect(allNull({})).toBe(true);
    expect(allNull({ a: null, b: undefined })).toBe(false);
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
