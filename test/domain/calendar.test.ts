import { describe, expect, it } from 'vitest';
import { addDays, announcementDayOnOrBefore, announcementDaysAfter, dayIn, isDay, submissionWindow, zonedInstant } from '../../src/domain/calendar.ts';

describe('calendar', () => {
  it.each([
    ['2025-12-18', true],
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-01', false],
    ['2025-1-01', false],
    ['yesterday', false],
  ])('GIVEN %s THEN isDay is %s', (text, expected) => {
    expect(isDay(text)).toBe(expected);
  });

  it('GIVEN month and year ends THEN day arithmetic rolls over', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('GIVEN an instant THEN its calendar day depends on the zone', () => {
    const instant = new Date('2025-12-18T02:00:00Z');
    expect(dayIn(instant, 'Asia/Shanghai')).toBe('2025-12-18');
    expect(dayIn(instant, 'America/New_York')).toBe('2025-12-17');
  });

  it('GIVEN wall-clock times on both sides of a DST change THEN the UTC instants use the right offset', () => {
    expect(zonedInstant('2025-07-01', 14, 0, 'America/New_York').toISOString()).toBe('2025-07-01T18:00:00.000Z');
    expect(zonedInstant('2025-12-01', 14, 0, 'America/New_York').toISOString()).toBe('2025-12-01T19:00:00.000Z');
    expect(zonedInstant('2025-11-02', 14, 0, 'America/New_York').toISOString()).toBe('2025-11-02T19:00:00.000Z');
  });

  it('GIVEN a weekend or a weekday THEN the latest announcement day is the last weekday', () => {
    expect(announcementDayOnOrBefore('2025-12-20')).toBe('2025-12-19');
    expect(announcementDayOnOrBefore('2025-12-21')).toBe('2025-12-19');
    expect(announcementDayOnOrBefore('2025-12-22')).toBe('2025-12-22');
  });

  it('GIVEN a Friday to the next Wednesday THEN the days in between are Monday to Wednesday', () => {
    expect(announcementDaysAfter('2025-12-19', '2025-12-24')).toEqual(['2025-12-22', '2025-12-23', '2025-12-24']);
  });

  it.each([
    ['2025-12-15', '2025-12-11T19:00:00.000Z', '2025-12-12T19:00:00.000Z'], // Monday lists Thursday→Friday
    ['2025-12-16', '2025-12-12T19:00:00.000Z', '2025-12-15T19:00:00.000Z'], // Tuesday lists Friday→Monday
    ['2025-12-18', '2025-12-16T19:00:00.000Z', '2025-12-17T19:00:00.000Z'],
  ])('GIVEN announcement day %s THEN it lists submissions from %s to %s', (day, from, to) => {
    const window = submissionWindow(day);
    expect(window.from.toISOString()).toBe(from);
    expect(window.to.toISOString()).toBe(to);
  });
});
