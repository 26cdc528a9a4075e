import { dayIn, isAnnouncementDay, isDay, weekdayName } from '../domain/calendar.ts';
import type { Paper } from '../domain/paper.ts';
import { latestRelevantDay, nextRelevantDay, papersAnnouncedOn, previousRelevantDay } from '../store/days.ts';
import { papersAnnouncedOn as listAnnounced, relevantPapersBetween } from '../store/papers.ts';
import { isDayCompleted } from '../store/runs.ts';
import { rejectedByGroup } from '../store/votes.ts';
import type { WebContext } from './web-context.ts';

/** An announcement day the archive holds (its relevant papers may be none of the day's `announced`). */
export type HeldDay = {
  readonly kind: 'held';
  readonly day: string;
  /** The day's relevant papers, less those the group marked not relevant. */
  readonly papers: readonly Paper[];
  /** The day's other classified papers: dropped by the filter, or marked not relevant by the group (in `rejected`). */
  readonly leftOut: readonly Paper[];
  readonly rejected: ReadonlySet<string>;
  readonly announced: number;
  readonly previous: string | null;
  readonly next: string | null;
};

/** A day the archive holds no announcement of, or no day at all: why, and the days with papers around it. */
export type MissingDay = {
  readonly kind: 'missing';
  readonly why: string;
  readonly previous: string | null;
  readonly next: string | null;
  /** The closer of `previous` and `next` (the earlier on a tie); the newest day for a malformed one. */
  readonly nearest: string | null;
};

/**
 * What `/day/<asked>` and `/api/days/<asked>` show. A day is held when the archive has papers
 * announced on it, relevant or not; anything else is missing, with the reason a person would want
 * (not a date, in the future, a weekend, before or after the archive, no announcement that day).
 */
export async function archiveDay(context: WebContext, asked: string): Promise<HeldDay | MissingDay> {
  if (!isDay(asked)) {
    const latest = await latestRelevantDay(context.db);
    return { kind: 'missing', why: `“${asked}” is not a day: write days as YYYY-MM-DD.`, previous: null, next: null, nearest: latest };
  }
  const [relevant, listed, announced, previous, next] = await Promise.all([
    relevantPapersBetween(context.db, asked, asked),
    listAnnounced(context.db, asked),
    papersAnnouncedOn(context.db, asked),
    previousRelevantDay(context.db, asked),
    nextRelevantDay(context.db, asked),
  ]);
  if (relevant.length > 0 || announced > 0) {
    const rejected = await rejectedByGroup(
      context.db,
      relevant.map((paper) => paper.id),
    );
    const dropped = listed
      .map((listing) => listing.paper)
      .filter((paper) => paper.announcedOn === asked && paper.classification.status === 'done' && paper.classification.relevant === false);
    const papers = relevant.filter((paper) => !rejected.has(paper.id));
    return {
      kind: 'held',
      day: asked,
      papers,
      leftOut: [...relevant.filter((paper) => rejected.has(paper.id)), ...dropped],
      rejected,
      announced,
      previous,
      next,
    };
  }
  return { kind: 'missing', why: await whyMissing(context, asked, previous, next), previous, next, nearest: nearest(asked, previous, next) };
}

async function whyMissing(context: WebContext, day: string, previous: string | null, next: string | null): Promise<string> {
  if (day > dayIn(context.now(), context.timeZone)) return `${day} is still to come: nothing has been announced for it yet.`;
  if (!isAnnouncementDay(day)) return `arXiv announces nothing on ${weekdayName(day)}s: there is no announcement on ${day}.`;
  if (!previous && !next) return 'The archive is empty: nothing has been imported or ingested yet.';
  if (!previous) return `The archive starts on ${next}: it holds nothing from ${day}.`;
  if (await isDayCompleted(context.db, 'ingest', day)) return `arXiv made no announcement on ${day} (a holiday).`;
  if (!next) return `The archive ends on ${previous}: ${day} has not been fetched yet.`;
  return `The archive holds no announcement of ${day}: an arXiv holiday, or a day that was never fetched.`;
}

function nearest(day: string, previous: string | null, next: string | null): string | null {
  if (!previous || !next) return previous ?? next;
  return distance(previous, day) <= distance(day, next) ? previous : next;
}

function distance(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}
