import type { Paper } from '../domain/paper.ts';
import type { Query } from '../domain/query.ts';
import type { Queryable, SqlValue } from './db.ts';
import { PAPER_COLUMNS, type PaperRow, toPaper } from './paper-rows.ts';

export type SearchPaging = {
  readonly limit: number;
  readonly offset: number;
  /** Only papers stored up to this pk: later pages ignore papers added after the first. */
  readonly maxPk?: number | null;
};

export type SearchPage = { readonly papers: readonly Paper[]; readonly hasMore: boolean };

/** Title counts most, then the TL;DR, authors, abstract — the weights of bm25() per FTS column. */
const BM25 = 'bm25(papers_fts, 10.0, 1.0, 3.0, 2.0)';

/** A string as one FTS5 phrase: quoted, inner quotes doubled, so no input is ever FTS5 syntax. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The words, phrases and authors a paper must match, as FTS5 (implicit AND); null when none. */
export function ftsMatch(query: Query): string | null {
  const terms = [...query.words, ...query.phrases].map(ftsPhrase);
  for (const author of query.authors) terms.push(`authors : ${ftsPhrase(author)}`);
  return terms.length ? terms.join(' AND ') : null;
}

/**
 * Relevant papers matching a parsed query. With text: BM25 (title-weighted) first, the newest
 * announcement as tie-breaker. With only tags, dates or exclusions: no full-text ranking at all,
 * newest first straight from the indexes. Fetches one row more than asked to know if there is a
 * next page.
 */
export async function searchPapers(q: Queryable, query: Query, paging: SearchPaging): Promise<SearchPage> {
  const match = ftsMatch(query);
  const where: string[] = ['c.relevant = 1'];
  const params: SqlValue[] = [];
  if (match) {
    where.unshift('papers_fts MATCH ?');
    params.push(query.excluded.length ? `(${match}) NOT (${query.excluded.map(ftsPhrase).join(' OR ')})` : match);
  } else if (query.excluded.length) {
    where.push('p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
    params.push(query.excluded.map(ftsPhrase).join(' OR '));
  }
  if (query.range?.from) {
    where.push('p.announced_on >= ?');
    params.push(query.range.from);
  }
  if (query.range?.to) {
    where.push('p.announced_on <= ?');
    params.push(query.range.to);
  }
  if (paging.maxPk) {
    where.push('p.pk <= ?');
    params.push(paging.maxPk);
  }
  for (const tag of query.tags) {
    where.push('EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = ? AND t.paper_id = p.id)');
    params.push(tag);
  }
  for (const tag of query.excludedTags) {
    where.push('NOT EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = ? AND t.paper_id = p.id)');
    params.push(tag);
  }
  const from = match
    ? 'papers_fts JOIN papers p ON p.pk = papers_fts.rowid JOIN classifications c ON c.paper_id = p.id'
    : 'papers p JOIN classifications c ON c.paper_id = p.id';
  const order = match ? `${BM25}, p.announced_on DESC, p.pk DESC` : 'p.announced_on DESC, p.pk DESC';
  const rows = await q.all<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...params,
    paging.limit + 1,
    paging.offset,
  ]);
  return { papers: rows.slice(0, paging.limit).map(toPaper), hasMore: rows.length > paging.limit };
}

/** The newest stored paper, to pin later pages of a search. */
export async function newestPaperPk(q: Queryable): Promise<number | null> {
  const row = await q.get<{ pk: number | null }>('SELECT MAX(pk) AS pk FROM papers');
  return row?.pk ?? null;
}
