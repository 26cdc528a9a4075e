import type { Logger } from 'pino';
import { fetchQuery, rangeQuery } from '../arxiv/api.ts';
import type { ArxivClient } from '../arxiv/client.ts';
import type { SkippedEntry } from '../arxiv/parse-rss.ts';
import { parseRss } from '../arxiv/parse-rss.ts';
import {
  ARXIV_ZONE,
  addDays,
  announcementDayOnOrBefore,
  announcementDaysAfter,
  dayIn,
  isAnnouncementDay,
  submissionWindow,
  weekdayName,
} from '../domain/calendar.ts';
import type { Announcement } from '../domain/paper.ts';
import { isStopped } from '../stopping.ts';
import type { Database } from '../store/db.ts';
import { type AnnouncementOutcome, recordAnnouncement } from '../store/papers.ts';
import { completedDaysBetween, dayInArchive, lastArchivedDay, lastCompletedDay, type RunKind, recordRun } from '../store/runs.ts';

export type IngestDeps = {
  readonly db: Database;
  readonly client: ArxivClient;
  readonly log: Logger;
  readonly now: () => Date;
  readonly rssUrl: string;
  readonly apiUrl: string;
  readonly categories: readonly string[];
  readonly pageSize: number;
};

export type DayOutcome = {
  readonly day: string;
  readonly source: 'rss' | 'api' | 'calendar';
  readonly status: 'ok' | 'empty' | 'failed';
  readonly fetched: number;
  readonly new: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Entries that could not be read, plus `notHeld`. */
  readonly skipped: number;
  /** Replacements (new versions) of papers the archive never held: skipped by design. */
  readonly notHeld: number;
  readonly durationMs: number;
  readonly note?: string;
  readonly error?: string;
};

type Fetched = { day: string; source: 'rss' | 'api'; announcements: readonly Announcement[]; skipped: readonly SkippedEntry[] };

/** The newest announcement day arXiv has published by `now` (the RSS feed is rebuilt at midnight ET). */
export function latestAnnouncementDay(now: Date): string {
  return announcementDayOnOrBefore(dayIn(now, ARXIV_ZONE));
}

/**
 * Ingests one announcement day: the RSS feed when it is the day the feed carries, the export API
 * otherwise. Everything the day brings is written in one transaction with its run record, so a
 * failure leaves nothing partial; the failure itself is recorded as a failed run.
 */
export async function ingestDay(deps: IngestDeps, day: string): Promise<DayOutcome> {
  const started = deps.now();
  if (!isAnnouncementDay(day)) {
    const note = `arXiv announces nothing on ${weekdayName(day)}`;
    await recordRun(deps.db, { kind: 'ingest', day, source: 'calendar', status: 'empty', startedAt: started, finishedAt: deps.now(), stats: { note } });
    return { ...zero(day, 'calendar', 'empty', 0), note };
  }
  try {
    const fetched = await fetchDay(deps, day);
    return await store(deps, fetched, started);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const finished = deps.now();
    await recordRun(deps.db, { kind: 'ingest', day, source: null, status: 'failed', startedAt: started, finishedAt: finished, error: message });
    // A stop (SIGTERM, Ctrl-C) is no fault: the day is simply left for the next run.
    if (isStopped(error)) deps.log.info({ day }, 'ingest stopped');
    else deps.log.error({ day, err: error }, 'ingest failed');
    const source = day === latestAnnouncementDay(started) ? 'rss' : 'api';
    return { ...zero(day, source, 'failed', finished.getTime() - started.getTime()), error: message };
  }
}

export type Progress = { readonly done: number; readonly total: number; readonly papers: number; readonly last: DayOutcome };

/** Ingests days in order and stops at the first failure, so no later day is marked done before it. */
export async function ingestDays(deps: IngestDeps, days: readonly string[], onProgress?: (progress: Progress) => void): Promise<DayOutcome[]> {
  const outcomes: DayOutcome[] = [];
  let papers = 0;
  for (const day of days) {
    const outcome = await ingestDay(deps, day);
    outcomes.push(outcome);
    papers += outcome.new;
    onProgress?.({ done: outcomes.length, total: days.length, papers, last: outcome });
    if (outcome.status === 'failed') break;
  }
  return outcomes;
}

/**
 * Every announcement day after the last one a run of `kind` completed, up to the latest published,
 * at most `maxDays` back. A fresh archive starts from the latest day alone. Delivery leaves out
 * days that only a README import brought (but never the latest): posting one is asked for by name
 * (`digest --date`), and doing so must not make the next run post the imported days after it.
 */
export async function daysToCatchUp(deps: Pick<IngestDeps, 'db' | 'now'>, maxDays: number, kind: RunKind = 'ingest'): Promise<string[]> {
  const latest = latestAnnouncementDay(deps.now());
  const last = await lastCompletedDay(deps.db, kind);
  const floor = addDays(latest, -maxDays);
  const after = last && last > floor ? last : floor;
  const days = last ? announcementDaysAfter(after, latest) : announcementDaysAfter(after, latest).slice(-1);
  if (kind !== 'deliver') return days;
  const kept: string[] = [];
  for (const day of days) if (day === latest || (await dayInArchive(deps.db, day)) !== 'imported') kept.push(day);
  return kept;
}

/** What a plain `ingest` fetches, and the part of a long gap it leaves to `ingest --from`. */
export type CatchUpPlan = {
  readonly days: readonly string[];
  /** The last day the archive held before this run (ingested or imported); null when empty. */
  readonly archiveEnd: string | null;
  /** Announcement days after the archive's end and before the catch-up window, left out. */
  readonly gap: { readonly from: string; readonly to: string; readonly days: number } | null;
};

/**
 * Every announcement day after the last one the archive holds — ingested or imported — up to the
 * latest published, at most `maxDays` (calendar days) back; what lies before that window is
 * reported as the gap. An empty archive starts from the latest day alone.
 */
export async function planCatchUp(deps: Pick<IngestDeps, 'db' | 'now'>, maxDays: number): Promise<CatchUpPlan> {
  const latest = latestAnnouncementDay(deps.now());
  const end = await lastArchivedDay(deps.db);
  if (!end) return { days: [latest], archiveEnd: null, gap: null };
  const floor = addDays(latest, -maxDays);
  // YYYY-MM-DD strings order as days do.
  const days = announcementDaysAfter(end.localeCompare(floor) > 0 ? end : floor, latest);
  const left = end < floor ? announcementDaysAfter(end, floor) : [];
  const gap = left.length ? { from: left[0] as string, to: left[left.length - 1] as string, days: left.length } : null;
  return { days, archiveEnd: end, gap };
}

/**
 * The announcement days from `from` to `to` still to fetch: days an earlier run ingested are left
 * out unless `refetch`, so a long backfill that stopped continues where it stopped.
 */
export async function planRange(
  deps: Pick<IngestDeps, 'db'>,
  from: string,
  to: string,
  refetch: boolean,
): Promise<{ days: string[]; alreadyIngested: number }> {
  const all = announcementDaysAfter(addDays(from, -1), to);
  if (refetch) return { days: all, alreadyIngested: 0 };
  const done = await completedDaysBetween(deps.db, 'ingest', from, to);
  const days = all.filter((day) => !done.has(day));
  return { days, alreadyIngested: all.length - days.length };
}

async function fetchDay(deps: IngestDeps, day: string): Promise<Fetched> {
  if (day === latestAnnouncementDay(deps.now())) {
    const feed = parseRss(await deps.client.get(`${deps.rssUrl.replace(/\/$/, '')}/${deps.categories.join('+')}`));
    if (feed.day === day) return { day, source: 'rss', announcements: feed.announcements, skipped: feed.skipped };
    deps.log.info({ day, feedDay: feed.day }, 'rss feed is for another day, using the export API');
  }
  return fetchDayFromApi(deps, day);
}

/**
 * The API has no notion of announcements, so a day is rebuilt from its submission window: papers
 * submitted in it are `new` (primary category ours) or `cross`; papers updated in it to v2+ are
 * replacements.
 */
async function fetchDayFromApi(deps: IngestDeps, day: string): Promise<Fetched> {
  const { from, to } = submissionWindow(day);
  const ours = new Set(deps.categories);
  const submitted = await fetchQuery(deps.client, deps.apiUrl, rangeQuery(deps.categories, 'submittedDate', from, to), 'submittedDate', deps.pageSize);
  const updated = await fetchQuery(deps.client, deps.apiUrl, rangeQuery(deps.categories, 'lastUpdatedDate', from, to), 'lastUpdatedDate', deps.pageSize);
  const byId = new Map<string, Announcement>();
  for (const paper of submitted.entries) {
    byId.set(paper.id, { paper, type: paper.primaryCategory && ours.has(paper.primaryCategory) ? 'new' : 'cross' });
  }
  for (const paper of updated.entries) {
    if (paper.version < 2 || byId.has(paper.id)) continue;
    byId.set(paper.id, { paper, type: paper.primaryCategory && ours.has(paper.primaryCategory) ? 'replace' : 'replace-cross' });
  }
  return { day, source: 'api', announcements: [...byId.values()], skipped: [...submitted.skipped, ...updated.skipped] };
}

async function store(deps: IngestDeps, fetched: Fetched, started: Date): Promise<DayOutcome> {
  const counts: Record<AnnouncementOutcome, number> = { new: 0, updated: 0, unchanged: 0, skipped: 0 };
  for (const entry of fetched.skipped) deps.log.warn({ day: fetched.day, ref: entry.ref, reason: entry.reason }, 'arxiv entry skipped');
  const status = fetched.announcements.length === 0 ? 'empty' : 'ok';
  const note = status === 'empty' ? 'holiday or no submissions' : undefined;
  const finished = await deps.db.transaction(async (tx) => {
    const now = deps.now().toISOString();
    for (const item of fetched.announcements) counts[await recordAnnouncement(tx, fetched.day, item, fetched.source, now)]++;
    const finishedAt = deps.now();
    await recordRun(tx, {
      kind: 'ingest',
      day: fetched.day,
      source: fetched.source,
      status,
      startedAt: started,
      finishedAt,
      counts: {
        fetched: fetched.announcements.length + fetched.skipped.length,
        new: counts.new,
        updated: counts.updated,
        skipped: fetched.skipped.length + counts.skipped,
      },
      stats: { unchanged: counts.unchanged, notHeld: counts.skipped, ...(note ? { note } : {}) },
    });
    return finishedAt;
  });
  return {
    day: fetched.day,
    source: fetched.source,
    status,
    fetched: fetched.announcements.length + fetched.skipped.length,
    new: counts.new,
    updated: counts.updated,
    unchanged: counts.unchanged,
    skipped: fetched.skipped.length + counts.skipped,
    notHeld: counts.skipped,
    durationMs: finished.getTime() - started.getTime(),
    ...(note ? { note } : {}),
  };
}

function zero(day: string, source: DayOutcome['source'], status: DayOutcome['status'], durationMs: number): DayOutcome {
  return { day, source, status, fetched: 0, new: 0, updated: 0, unchanged: 0, skipped: 0, notHeld: 0, durationMs };
}
