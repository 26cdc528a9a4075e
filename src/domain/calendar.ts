/**
 * Day arithmetic on `YYYY-MM-DD` strings and arXiv's announcement calendar. arXiv closes submissions
 * at 14:00 US Eastern and mails at 20:00 ET Sunday–Thursday; the RSS feed dated day D (Monday–Friday)
 * carries the mailing of the evening before. So day D lists what was submitted between the 14:00 ET
 * cut-offs of the two weekdays before it (Monday's covers Thursday→Friday, Tuesday's Friday→Monday).
 * Holidays are not modelled: a holiday shows up as an empty feed.
 */
export const ARXIV_ZONE = 'America/New_York';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function addDays(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function weekdayName(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
}

/** Inclusive list of days from `from` to `to`; empty when from > to. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The calendar date of `instant` in `zone`. */
export function dayIn(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The instant at which the wall clock in `zone` shows `day` `hh:mm`. */
export function zonedInstant(day: string, hour: number, minute: number, zone: string): Date {
  const guess = new Date(`${day}T${pad(hour)}:${pad(minute)}:00Z`);
  // Two passes settle the offset even when the guess lands across a DST change.
  let instant = guess;
  for (let pass = 0; pass < 2; pass++) instant = new Date(guess.getTime() - offsetMs(instant, zone));
  return instant;
}

export function isAnnouncementDay(day: string): boolean {
  const dow = weekday(day);
  return dow >= 1 && dow <= 5;
}

/** The latest announcement day on or before `day`. */
export function announcementDayOnOrBefore(day: string): string {
  let current = day;
  while (!isAnnouncementDay(current)) current = addDays(current, -1);
  return current;
}

/** Announcement days after `after` (exclusive) up to `to` (inclusive). */
export function announcementDaysAfter(after: string, to: string): string[] {
  return daysBetween(addDays(after, 1), to).filter(isAnnouncementDay);
}

/** The submission window [from, to) that announcement day `day` lists as new. */
export function submissionWindow(day: string): { from: Date; to: Date } {
  const closing = previousWeekday(day);
  const opening = previousWeekday(closing);
  return { from: zonedInstant(opening, 14, 0, ARXIV_ZONE), to: zonedInstant(closing, 14, 0, ARXIV_ZONE) };
}

function previousWeekday(day: string): string {
  let current = addDays(day, -1);
  while (weekday(current) === 0 || weekday(current) === 6) current = addDays(current, -1);
  return current;
}

function offsetMs(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
