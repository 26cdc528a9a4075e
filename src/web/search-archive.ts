import { dayIn } from '../domain/calendar.ts';
import { formatQuery } from '../domain/describe-query.ts';
import type { Paper } from '../domain/paper.ts';
import { isEmptyQuery, parseQuery, type Query } from '../domain/query.ts';
import { decodeSearchCursor, encodeSearchCursor, MAX_CURSOR_OFFSET, type SearchCursor } from '../domain/search-cursor.ts';
import { newestPaperPk, type SearchPage, searchPapers } from '../store/search.ts';
import type { SimilarPage } from '../store/similar-papers.ts';
import { rejectedByGroup } from '../store/votes.ts';
import type { WebContext } from './web-context.ts';

export const WEB_PAGE_SIZE = 20;

export type ArchiveSearch = {
  /** The query as the search box should show it: what was typed, or the cursor's query written out. */
  readonly text: string;
  readonly query: Query;
  /** The query as searched: `query`, or with the start day chosen for a query that matched too many papers (`narrowed`). */
  readonly searched: Query;
  readonly narrowed: boolean;
  readonly papers: readonly Paper[];
  readonly offset: number;
  readonly next: string | null;
  /** null on the first page; the first page itself has no cursor (its plain permalink). */
  readonly previous: { readonly cursor: string | null } | null;
  /** With `include:dropped`: which shown papers the group marked not relevant. */
  readonly rejected: ReadonlySet<string>;
  /** With `include:dropped` and words: how many of the newest papers were searched, when that capped it. */
  readonly newestSearched: number | null;
  /** For `like:`: the paper the results are like, and how they were found. */
  readonly like: Pick<SimilarPage, 'source' | 'method'> | null;
};

/**
 * The `/papers` search for the page and the JSON API: the same parser, ranking and stateless
 * cursors as the slash command, with a longer page. A cursor (the next/previous link) carries the
 * query itself, so "last week" means the same week on every page; mistakes are UserErrors.
 */
export async function searchArchive(context: WebContext, text: string, cursorText: string | null): Promise<ArchiveSearch> {
  const start: SearchCursor = cursorText
    ? decodeSearchCursor(cursorText, context.vocabulary)
    : { query: parseQuery(text, { vocabulary: context.vocabulary, today: dayIn(context.now(), context.timeZone) }), offset: 0, maxPk: null };
  const { query, offset } = start;
  const paging = { limit: WEB_PAGE_SIZE, offset, maxPk: start.maxPk };
  const similar = query.like ? await context.similar.find(query, paging) : null;
  const page: SearchPage = similar ?? (await searchPapers(context.db, query, paging));
  const maxPk = start.maxPk ?? (page.hasMore ? await newestPaperPk(context.db) : null);
  const nextOffset = offset + WEB_PAGE_SIZE;
  const searched = page.query;
  const next = page.hasMore && nextOffset <= MAX_CURSOR_OFFSET ? encodeSearchCursor({ query: searched, offset: nextOffset, maxPk }) : null;
  const previousOffset = Math.max(0, offset - WEB_PAGE_SIZE);
  const previous = offset > 0 ? { cursor: previousOffset > 0 ? encodeSearchCursor({ query: searched, offset: previousOffset, maxPk }) : null } : null;
  const shown = cursorText ? formatQuery(query) : text.trim();
  const rejected = query.includeDropped
    ? await rejectedByGroup(
        context.db,
        page.papers.map((paper) => paper.id),
      )
    : new Set<string>();
  const like = similar ? { source: similar.source, method: similar.method } : null;
  return {
    text: shown,
    query,
    searched,
    narrowed: page.narrowed,
    papers: page.papers,
    offset,
    next,
    previous,
    rejected,
    newestSearched: page.newestSearched ?? null,
    like,
  };
}

export function isBlankSearch(search: ArchiveSearch): boolean {
  return isEmptyQuery(search.query);
}
