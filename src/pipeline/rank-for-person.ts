import type { LinearModel } from '../domain/linear-model.ts';
import { orderNearTies, type Ranked } from '../domain/near-ties.ts';
import type { Paper } from '../domain/paper.ts';
import { personalFeatures, personalScore } from '../domain/personal-model.ts';
import type { Query } from '../domain/query.ts';
import type { Queryable } from '../store/db.ts';
import { votedPaperIds } from '../store/person-models.ts';
import { type SearchPage, type SearchPaging, searchPapers } from '../store/search.ts';
import type { Voter } from '../store/votes.ts';
import { paperText } from './refresh-person-model.ts';

/**
 * Near-ties are ordered within fixed windows of the query's order (results 1–24, 25–48, …; three
 * pages each), so a page reads at most to the end of its window and scores at most the window's
 * tied papers — reading a paper's words costs 0.1–0.3 ms, and a band of near-ties can run to
 * hundreds (a day's papers, a one-word query) — while a paper can still rise from the third page
 * to the first. Fixed windows keep every page cut from the same order: nothing repeats or is skipped.
 */
export const PERSONAL_WINDOW = 24;

/** A page of a search in the person's order: the query's order, with near-ties (near-ties.ts) by the person's model. */
export async function searchInPersonalOrder(q: Queryable, query: Query, paging: SearchPaging, model: LinearModel): Promise<SearchPage> {
  const count = paging.offset + paging.limit;
  const first = Math.floor(paging.offset / PERSONAL_WINDOW) * PERSONAL_WINDOW;
  const end = Math.ceil(count / PERSONAL_WINDOW) * PERSONAL_WINDOW;
  const page = await searchPapers(q, query, { limit: end, offset: 0, maxPk: paging.maxPk ?? null });
  const scores = page.scores;
  const ranked = page.papers.map((paper, index) => ({ paper, bm25: scores ? (scores[index] ?? null) : null, day: paper.announcedOn }));
  const ordered: (Ranked & { paper: Paper })[] = ranked.slice(0, first);
  for (let start = first; start < ranked.length; start += PERSONAL_WINDOW) {
    ordered.push(...orderNearTies(ranked.slice(start, start + PERSONAL_WINDOW), (item) => personalScore(model, personalFeatures(paperText(item.paper)))));
  }
  return {
    papers: ordered.slice(paging.offset, count).map((item) => item.paper),
    hasMore: page.hasMore || ranked.length > count,
    query: page.query,
    narrowed: page.narrowed,
    ...(page.newestSearched === undefined ? {} : { newestSearched: page.newestSearched }),
  };
}

/** `/papers for me` ranks at most this many papers of the period (the query's best, or the newest). */
export const MAX_FOR_ME = 1000;

export type BestForPerson = {
  readonly papers: readonly Paper[];
  /** The papers of the period ranked (voted ones left out), and how many of them are on later pages. */
  readonly ranked: number;
  readonly hasMore: boolean;
  /** More papers matched than were ranked (MAX_FOR_ME). */
  readonly capped: boolean;
};

/**
 * The papers of a query (a period, perhaps tags or words) the person's model scores best, best
 * first, leaving out those they voted on (they have seen them). Read up to MAX_FOR_ME.
 */
export async function bestForPerson(q: Queryable, query: Query, paging: SearchPaging, model: LinearModel, voter: Voter): Promise<BestForPerson> {
  const found = await searchPapers(q, query, { limit: MAX_FOR_ME, offset: 0, maxPk: paging.maxPk ?? null });
  const voted = await votedPaperIds(q, voter);
  const scored = found.papers
    .filter((paper) => !voted.has(paper.id))
    .map((paper, index) => ({ paper, index, score: personalScore(model, personalFeatures(paperText(paper))) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const count = paging.offset + paging.limit;
  return { papers: scored.slice(paging.offset, count).map(({ paper }) => paper), ranked: scored.length, hasMore: scored.length > count, capped: found.hasMore };
}
