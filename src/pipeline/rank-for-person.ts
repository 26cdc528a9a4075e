import type { LinearModel } from '../domain/linear-model.ts';
import { orderNearTies, type Ranked, settled } from '../domain/near-ties.ts';
import type { Paper } from '../domain/paper.ts';
import { personalFeatures, personalScore } from '../domain/personal-model.ts';
import type { Query } from '../domain/query.ts';
import type { Queryable } from '../store/db.ts';
import { votedPaperIds } from '../store/person-models.ts';
import { type SearchPage, type SearchPaging, searchPapers } from '../store/search.ts';
import type { Voter } from '../store/votes.ts';
import { paperText } from './refresh-person-model.ts';

/** Results read past the page to see where its last band of near-ties ends: a few more, doubled while it goes on, up to this many. */
const LOOK_AHEAD = 16;
const MAX_READ = 256;

/**
 * A page of a search in the person's order: the query's order, with near-ties (near-ties.ts) by
 * the person's model. Every page is cut from the same order, read from the first result, so
 * paging neither repeats nor skips a paper. A band longer than the results read (over 256) is
 * ordered among those read.
 */
export async function searchInPersonalOrder(q: Queryable, query: Query, paging: SearchPaging, model: LinearModel): Promise<SearchPage> {
  const count = paging.offset + paging.limit;
  let read = count + LOOK_AHEAD;
  let page: SearchPage;
  let ranked: (Ranked & { paper: Paper })[];
  for (;;) {
    page = await searchPapers(q, query, { limit: read, offset: 0, maxPk: paging.maxPk ?? null });
    const scores = page.scores;
    ranked = page.papers.map((paper, index) => ({ paper, bm25: scores ? (scores[index] ?? null) : null, day: paper.announcedOn }));
    if (settled(ranked, count, page.hasMore) || read >= MAX_READ) break;
    read = Math.min(2 * read, MAX_READ);
  }
  const ordered = orderNearTies(ranked, (item) => personalScore(model, personalFeatures(paperText(item.paper))), count);
  return {
    papers: ordered.slice(paging.offset).map((item) => item.paper),
    hasMore: page.hasMore || ranked.length > count,
    query: page.query,
    narrowed: page.narrowed,
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
