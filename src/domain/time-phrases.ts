import { addDays, isDay, weekday } from './calendar.ts';
import { UserError } from './errors.ts';

/** Inclusive announcement days; null = open on that side. */
export type DayRange = { readonly from: string | null; readonly to: string | null };

export type TimePhrase = { readonly range: DayRange; readonly length: number; readonly label: string };

type Span = { readonly from: string; readonly to: string; readonly length: number };

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};
const NUMBERS: Readonly<Record<string, number>> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const UNITS: Readonly<Record<string, 'day' | 'week' | 'month' | 'year'>> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};
const RANGE_JOINERS = new Set(['..', 'to', '-', '–', '—']);
/** arXiv opened in 1991; a bare number outside [1991, this year] is text ("2048 GPUs"). */
const FIRST_YEAR = 1991;
const MAX_LOOKBACK_DAYS = 100 * 366;

/**
 * Stands for a token that is not a bare chunk (a quoted phrase, `tag:`, `author:`, `-word`) in the
 * words given to readTimePhrase: no phrase reads across it, and a range mark before it ends there.
 */
export const TOKEN_BOUNDARY = '\u0000';

/**
 * Reads a time phrase at `words[index]` (lower-case chunks, `..` kept as its own chunk), relative to
 * `today` in the caller's zone. Returns null when no phrase starts there; throws UserError for a
 * phrase that is clearly meant as a date but is not one (`2025-13`, `2025-02-30`) or that reaches
 * outside the years 0000–9999 (`after 9999-12-31`).
 */
export function readTimePhrase(words: readonly string[], index: number, today: string): TimePhrase | null {
  const phrase = readPhrase(words, index, today);
  if (!phrase) return null;
  const { from, to } = phrase.range;
  if ((from !== null && !isDay(from)) || (to !== null && !isDay(to))) {
    throw new UserError(`“${phrase.label}” reaches outside the calendar I can search: days from 0000-01-01 to 9999-12-31.`);
  }
  return phrase;
}

function readPhrase(words: readonly string[], index: number, today: string): TimePhrase | null {
  const first = words[index];
  if (first === undefined) return null;
  const label = (length: number) => words.slice(index, index + length).join(' ');
  const bounded = readBound(words, index, today);
  if (bounded) return { ...bounded, label: label(bounded.length) };
  if (first === '..') {
    // `..2025-12-01`: a range open at the start, the same as `until 2025-12-01`.
    const end = readSpan(words, index + 1, today, true);
    if (end) return { range: { from: null, to: end.to }, length: end.length + 1, label: `until ${label(end.length + 1).slice(3)}` };
    return null;
  }
  if (first === 'from') {
    const range = readSpanRange(words, index + 1, today, true);
    if (range) return withLabel(range, 1, label);
  }
  const rolling = readRolling(words, index, today);
  if (rolling) return { range: { from: rolling.from, to: rolling.to }, length: rolling.length, label: label(rolling.length) };
  const range = readSpanRange(words, index, today, false);
  return range ? withLabel(range, 0, label) : null;
}

/** The label of a range read after `skip` leading words; an open range is labelled as `since` would be. */
function withLabel(range: RangeRead, skip: number, label: (length: number) => string): TimePhrase {
  const length = range.length + skip;
  return { range: range.range, length, label: range.open ? `since ${label(length - 1).replace(/^from /, '')}` : label(length) };
}

function readBound(words: readonly string[], index: number, today: string): { range: DayRange; length: number } | null {
  const word = words[index];
  if (word !== 'since' && word !== 'after' && word !== 'before' && word !== 'until' && word !== 'till') return null;
  const span = readSpan(words, index + 1, today, true);
  if (!span) return null;
  const length = span.length + 1;
  if (word === 'since') return { range: { from: span.from, to: null }, length };
  if (word === 'after') return { range: { from: addDays(span.to, 1), to: null }, length };
  if (word === 'before') return { range: { from: null, to: addDays(span.from, -1) }, length };
  return { range: { from: null, to: span.to }, length };
}

type RangeRead = { readonly range: DayRange; readonly length: number; readonly open: boolean };

/**
 * A span, or `A..B` / `A to B` between two spans (reversed ends are swapped). A range mark with no
 * date after it leaves the range open at the end (`2025-12-01..` = since): always for `..`, for
 * `to` and dashes after `from` or at the end of the words (elsewhere `to` may be an ordinary word).
 */
function readSpanRange(words: readonly string[], index: number, today: string, afterFrom: boolean): RangeRead | null {
  const start = readSpan(words, index, today, afterFrom || words[index + 1] === '..');
  if (!start) return null;
  const single: RangeRead = { range: { from: start.from, to: start.to }, length: start.length, open: false };
  const joiner = words[index + start.length];
  if (joiner === undefined || !RANGE_JOINERS.has(joiner)) return single;
  const after = index + start.length + 1;
  const end = readSpan(words, after, today, joiner === '..' || afterFrom);
  if (!end) {
    const ends = words[after] === undefined || words[after] === TOKEN_BOUNDARY;
    return joiner === '..' || afterFrom || ends ? { range: { from: start.from, to: null }, length: start.length + 1, open: true } : single;
  }
  // ISO days sort as text; reversed ends (`2025-12-15..2025-12-01`) are read the right way round.
  const [from] = [start.from, end.from].sort();
  const [, to] = [start.to, end.to].sort();
  return { range: { from: from as string, to: to as string }, length: start.length + 1 + end.length, open: false };
}

/** `past 3 days`, `last 2 weeks`, `past week`: rolling windows that end today. */
function readRolling(words: readonly string[], index: number, today: string): Span | null {
  const first = words[index];
  if (first !== 'past' && first !== 'last') return null;
  const second = words[index + 1] ?? '';
  const count = /^\d{1,6}$/.test(second) ? Number(second) : NUMBERS[second];
  if (count !== undefined) {
    const unit = UNITS[words[index + 2] ?? ''];
    if (!unit) return null;
    return { ...rollingWindow(count, unit, today, words.slice(index, index + 3).join(' ')), length: 3 };
  }
  const unit = UNITS[second];
  // `last week` / `last month` are calendar periods (read as spans); `past week` is the last 7 days.
  if (!unit || first !== 'past') return null;
  return { ...rollingWindow(1, unit, today, `past ${second}`), length: 2 };
}

function rollingWindow(count: number, unit: 'day' | 'week' | 'month' | 'year', today: string, phrase: string): { from: string; to: string } {
  if (count < 1) throw new UserError(`“${phrase}” is an empty period; try \`past 3 days\` or \`last 2 weeks\`.`);
  const days = unit === 'day' ? count : unit === 'week' ? count * 7 : unit === 'month' ? count * 31 : count * 366;
  if (days > MAX_LOOKBACK_DAYS) throw new UserError(`“${phrase}” reaches back further than the archive; try \`since 2024-01-01\`.`);
  if (unit === 'day' || unit === 'week') return { from: addDays(today, 1 - days), to: today };
  const months = unit === 'month' ? count : count * 12;
  return { from: addDays(addMonths(today, -months), 1), to: today };
}

/**
 * One date-like expression: a day, a month, a year, or a named period. `anyYear`: a bare 4-digit
 * number is a year whatever its value (after since/after/before/until, at either end of `from … to`,
 * next to `..`); elsewhere only years from 1991 to this one are, so that `2048 GPUs` stays text.
 */
function readSpan(words: readonly string[], index: number, today: string, anyYear = false): Span | null {
  const word = words[index];
  if (word === undefined) return null;
  if (word === 'today') return { from: today, to: today, length: 1 };
  if (word === 'yesterday') return { ...single(addDays(today, -1)), length: 1 };
  const next = words[index + 1];
  if ((word === 'this' || word === 'last') && next !== undefined) {
    const period = namedPeriod(word, next, today);
    return period ? { ...period, length: 2 } : null;
  }
  const month = MONTHS[word];
  if (month !== undefined && next !== undefined && /^\d{4}$/.test(next)) return { ...monthSpan(Number(next), month, `${word} ${next}`), length: 2 };
  return readNumericDate(word, today, anyYear);
}

function namedPeriod(which: 'this' | 'last', unit: string, today: string): { from: string; to: string } | null {
  const [year, month] = today.split('-').map(Number) as [number, number];
  if (unit === 'week') {
    const monday = addDays(today, -((weekday(today) + 6) % 7));
    return which === 'this' ? { from: monday, to: today } : { from: addDays(monday, -7), to: addDays(monday, -1) };
  }
  if (unit === 'month') {
    if (which === 'this') return { from: `${year}-${pad(month)}-01`, to: today };
    return month === 1 ? monthSpan(year - 1, 12, '') : monthSpan(year, month - 1, '');
  }
  if (unit === 'year') return which === 'this' ? { from: `${year}-01-01`, to: today } : { from: `${year - 1}-01-01`, to: `${year - 1}-12-31` };
  return null;
}

function readNumericDate(word: string, today: string, anyYear: boolean): Span | null {
  const day = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(word);
  if (day) {
    const text = `${day[1]}-${pad(Number(day[2]))}-${pad(Number(day[3]))}`;
    if (!isDay(text)) throw new UserError(`“${word}” is not a date; write days as \`2025-12-01\`.`);
    return { ...single(text), length: 1 };
  }
  const month = /^(\d{4})-(\d{1,2})$/.exec(word);
  if (month) return { ...monthSpan(Number(month[1]), Number(month[2]), word), length: 1 };
  if (/^\d{4}$/.test(word)) {
    const year = Number(word);
    if (!anyYear && (year < FIRST_YEAR || year > Number(today.slice(0, 4)))) return null;
    return { from: `${word}-01-01`, to: `${word}-12-31`, length: 1 };
  }
  return null;
}

function monthSpan(year: number, month: number, typed: string): { from: string; to: string } {
  if (month < 1 || month > 12) throw new UserError(`“${typed}” is not a month; write months as \`2025-12\` or \`dec 2025\`.`);
  const prefix = `${String(year).padStart(4, '0')}-${pad(month)}`;
  return { from: `${prefix}-01`, to: `${prefix}-${pad(daysInMonth(year, month))}` };
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return [4, 6, 9, 11].includes(month) ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

function single(day: string): { from: string; to: string } {
  return { from: day, to: day };
}

/** The same day of the month `count` months later (earlier when negative), clamped to the month's end. */
export function addMonths(day: string, count: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + count;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const last = Number(monthSpan(targetYear, targetMonth, '').to.slice(8));
  return `${targetYear}-${pad(targetMonth)}-${pad(Math.min(date, last))}`;
}

/** Both filters at once: the overlap of two ranges; null when they do not overlap. */
export function intersectRanges(a: DayRange, b: DayRange): DayRange | null {
  const from = a.from === null ? b.from : b.from === null ? a.from : [a.from, b.from].sort()[1];
  const to = a.to === null ? b.to : b.to === null ? a.to : [a.to, b.to].sort()[0];
  if (from != null && to != null && from > to) return null;
  return { from: from ?? null, to: to ?? null };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
