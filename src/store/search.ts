import type { Paper } from '../domain/paper.ts';
import { type Alternative, hasTextAlternative, type Query } from '../domain/query.ts';
import type { Queryable, SqlValue } from './db.ts';
import { ftsTagTerm } from './fts-tags.ts';
import { PAPER_COLUMNS, PAPER_FROM, type PaperRow, toPaper } from './paper-rows.ts';
import { searchWithDropped } from './search-dropped.ts';
import { NOT_REJECTED_BY_GROUP } from './votes.ts';

export type SearchPaging = {
  readonly limit: number;
  readonly offset: number;
  /** Only papers stored up to this pk: later pages ignore papers added after the first. */
  readonly maxPk?: number | null;
};

export type SearchPage = {
  readonly papers: readonly Paper[];
  readonly hasMore: boolean;
  /** The query as searched: the one given, or with a start day when it was too broad (`narrowed`). Later pages search this one. */
  readonly query: Query;
  readonly narrowed: boolean;
  /** `include:dropped` with words searched only this many newest papers of its dates (see search-dropped.ts). */
  readonly newestSearched?: number;
};

/**
 * Title counts most, then the TL;DR, authors, abstract — the weights of bm25() per FTS column.
 * Tags weigh 0: a filter, not text (their tokens only add to a paper's length, see fts-tags.ts).
 */
const BM25 = 'bm25(papers_fts, 10.0, 1.0, 3.0, 2.0, 0.0)';

/** A string as one FTS5 phrase: quoted, inner quotes doubled, so no input is ever FTS5 syntax. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function ftsAuthor(author: string): string {
  return `authors : ${ftsPhrase(author)}`;
}

function ftsAlternative(alternative: Alternative): string {
  if (alternative.kind === 'tag') return ftsTagTerm(alternative.value);
  return alternative.kind === 'author' ? ftsAuthor(alternative.value) : ftsPhrase(alternative.value);
}

/** An OR group, parenthesised: in FTS5, OR binds looser than AND. */
function ftsGroup(group: readonly Alternative[]): string {
  return `(${group.map(ftsAlternative).join(' OR ')})`;
}

/**
 * The words, phrases, authors and OR groups with text that a paper must match, as FTS5 (AND of
 * quoted phrases, column filters and parenthesised ORs: never the person's own syntax); null when none.
 */
export function ftsMatch(query: Query): string | null {
  const terms = [...query.words, ...query.phrases].map(ftsPhrase);
  terms.push(...query.authors.map(ftsAuthor), ...query.anyOf.filter(hasTextAlternative).map(ftsGroup));
  return terms.length ? terms.join(' AND ') : null;
}

/** The text, the tags (alone and in OR groups) and every exclusion as one FTS5 expression, so FTS5 ranks only papers that pass them. */
function ftsExpression(query: Query, match: string): string {
  const tagGroups = query.anyOf.filter((group) => !hasTextAlternative(group));
  const required = [match, ...query.tags.map(ftsTagTerm), ...tagGroups.map(ftsGroup)].join(' AND ');
  const excluded = ftsExclusions(query);
  return excluded.length ? `(${required}) NOT (${excluded.join(' OR ')})` : required;
}

function ftsExclusions(query: Query): string[] {
  return [...query.excluded.map(ftsPhrase), ...query.excludedTags.map(ftsTagTerm), ...query.excludedAuthors.map(ftsAuthor)];
}

/**
 * How a text search splits its work. `candidates`: full-text matches ranked before the date filter,
 * a page is looked for among these first. `broad`: a query without dates that matches more papers
 * than this is searched from the day of its (broad+1)-th newest match on. Tests shrink both to
 * drive every path over a small archive.
 */
export type SearchTuning = { readonly candidates: number; readonly broad: number };

/**
 * FTS5 ranks exhaustively: BM25 costs 0.6–1 µs for every match, whatever the LIMIT, so ranking is
 * held to about 5 ms. Words in more than 5,000 papers (a year and a half of a deployment's archive
 * for a word in 40 % of them, such as "memory") say little about which papers are best of all;
 * the newest of them matter most to people following the field.
 */
export const DEFAULT_TUNING: SearchTuning = { candidates: 1000, broad: 5_000 };

type Clause = { readonly sql: string; readonly params: readonly SqlValue[] };
type Scored = { pk: number; score: number; announced_on: string | null };

/**
 * Relevant papers matching a parsed query. With text: BM25 (title-weighted) first, the newest
 * announcement as tie-breaker. With only tags, dates or exclusions: no full-text ranking at all,
 * newest first straight from the indexes. Fetches one row more than asked to know if there is a
 * next page.
 */
export async function searchPapers(q: Queryable, query: Query, paging: SearchPaging, tuning: SearchTuning = DEFAULT_TUNING): Promise<SearchPage> {
  const match = ftsMatch(query);
  if (match && query.includeDropped) {
    // Dropped papers are not in the full-text index: their words are searched apart (search-dropped.ts).
    const found = await searchWithDropped(q, { fts: ftsExpression(query, match), bm25: BM25, filters: paperFilters(query, paging, false) }, paging);
    return { papers: found.rows.slice(0, paging.limit).map(toPaper), hasMore: found.rows.length > paging.limit, query, narrowed: false, ...found.window };
  }
  // Later pages carry the query as the first page searched it (a cursor from before this rule
  // carries it undated, and must not be narrowed halfway through).
  const searched = match && !query.range && paging.offset === 0 ? await narrowBroad(q, query, match, paging, tuning.broad) : query;
  const rows = match ? await rankText(q, searched, match, paging, tuning) : await listNewest(q, query, paging);
  return { papers: rows.slice(0, paging.limit).map(toPaper), hasMore: rows.length > paging.limit, query: searched, narrowed: searched !== query };
}

/**
 * A query without dates that matches more than `broad` papers, limited to the days from that of
 * its (broad+1)-th newest match on; the query itself otherwise. Finding that match walks the
 * matches newest row first without BM25, a quarter to a tenth of the cost of ranking them.
 */
async function narrowBroad(q: Queryable, query: Query, match: string, paging: SearchPaging, broad: number): Promise<Query> {
  const fts = ftsClause(query, match, paging);
  const row = await q.get<{ day: string | null }>(
    `SELECT announced_on AS day FROM papers WHERE pk = (SELECT rowid FROM papers_fts WHERE ${fts.sql} ORDER BY rowid DESC LIMIT 1 OFFSET ?)`,
    [...fts.params, broad],
  );
  if (!row?.day) return query;
  const narrowed: Query = { ...query, range: { from: row.day, to: null }, rangeLabel: null };
  return (await keepsEnough(q, ftsClause(narrowed, match, paging), fts, row.day, broad)) ? narrowed : query;
}

/**
 * Whether searching from `day` on is worth it: it must keep at least a tenth of `broad` matches and
 * leave at least a tenth out below its row bound (the rows before the first row of its days, all
 * of older days). Rows follow days where papers were stored in day order; a README imported after
 * later days, or old days backfilled, break that. The newest rows may then point at far too late a
 * day (ten papers "since" it), or at a day whose rows start so early that the bound prunes nothing
 * and only hides older papers. Such a query is ranked whole: slower, never misleading. Both counts
 * stop at a tenth; only the first joins (under a millisecond on a 100k archive).
 */
async function keepsEnough(q: Queryable, narrowed: Clause, match: Clause, day: string, broad: number): Promise<boolean> {
  const tenth = Math.ceil(broad / 10);
  const row = await q.get<{ kept: number; pruned: number }>(
    `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM (SELECT rowid AS pk FROM papers_fts WHERE ${narrowed.sql}) m
              JOIN papers p ON p.pk = m.pk WHERE p.announced_on >= ? LIMIT ?)) AS kept,
            (SELECT COUNT(*) FROM (SELECT 1 FROM papers_fts WHERE ${match.sql}
              AND rowid < (SELECT COALESCE(MIN(min_pk), 0) FROM day_rows WHERE day >= ?) LIMIT ?)) AS pruned`,
    [...narrowed.params, day, tenth, ...match.params, day, tenth],
  );
  return (row?.kept ?? 0) >= tenth && (row?.pruned ?? 0) >= tenth;
}

async function listNewest(q: Queryable, query: Query, paging: SearchPaging): Promise<PaperRow[]> {
  const filters = paperFilters(query, paging, true);
  return q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers p JOIN classifications c ON c.paper_id = p.id WHERE ${filters.sql}
     ORDER BY p.announced_on DESC, p.pk DESC LIMIT ? OFFSET ?`,
    [...filters.params, paging.limit + 1, paging.offset],
  );
}

/**
 * A text search. Joining every match with its paper and verdict costs several times the BM25
 * ranking itself, so the matches are ranked alone first (as a bare FTS5 query would be) and only
 * the best are checked against the date filter, a few at a time, until the page is certain. A
 * date filter that leaves too few of the best matches ranks among the papers in the range instead.
 */
async function rankText(q: Queryable, query: Query, match: string, paging: SearchPaging, tuning: SearchTuning): Promise<PaperRow[]> {
  const fts = ftsClause(query, match, paging);
  const need = paging.offset + paging.limit + 1;
  if (need <= tuning.candidates / 2) {
    // Ranking 200 candidates costs next to nothing over ranking 9; 1,000 costs 1–3 ms more on a
    // 100k archive, so the long list is only for filters that the short one could not satisfy.
    const filters = dateFilters(query, paging);
    const short = Math.min(Math.max(20 * need, 200), tuning.candidates);
    for (const limit of short < tuning.candidates ? [short, tuning.candidates] : [short]) {
      const page = await pageFromCandidates(q, fts, filters, need, limit);
      if (page) return fetchInOrder(q, page.slice(paging.offset));
    }
  }
  return rankAllowed(q, fts, query.range ? papersInRange(query, paging) : null, paging);
}

/**
 * The first `need` candidates that pass the filters, best first; null when the best `limit`
 * matches cannot settle it. The rows are certain once the worst row taken ranks strictly better
 * than the next unchecked candidate (a tie goes on checking), or once every match was checked.
 * Batches grow from the page size, so the usual case is one small query.
 */
async function pageFromCandidates(q: Queryable, fts: Clause, filters: Clause, need: number, limit: number): Promise<Scored[] | null> {
  const candidates = await q.all<{ pk: number; score: number }>(
    `SELECT rowid AS pk, ${BM25} AS score FROM papers_fts WHERE ${fts.sql} ORDER BY score LIMIT ?`,
    [...fts.params, limit],
  );
  const passed: Scored[] = [];
  let checked = 0;
  for (let batch = 2 * need; checked < candidates.length; batch *= 2) {
    const chunk = candidates.slice(checked, checked + batch);
    const scores = new Map(chunk.map((candidate) => [candidate.pk, candidate.score]));
    const rows = await q.all<{ pk: number; announced_on: string | null }>(
      `SELECT p.pk, p.announced_on FROM papers p JOIN classifications c ON c.paper_id = p.id
       WHERE p.pk IN (SELECT value FROM json_each(?)) AND ${filters.sql}`,
      [JSON.stringify([...scores.keys()]), ...filters.params],
    );
    for (const row of rows) passed.push({ ...row, score: scores.get(row.pk) as number });
    passed.sort(byRank);
    checked += chunk.length;
    const next = candidates[checked];
    const worstTaken = passed[need - 1];
    if (worstTaken && (!next || worstTaken.score < next.score)) return passed.slice(0, need);
    // Filters that pass few candidates: when the rate so far cannot fill the page, stop early.
    const expected = passed.length + (passed.length / checked) * (candidates.length - checked);
    if (checked >= 8 * need && candidates.length === limit && expected < need) return null;
  }
  return candidates.length < limit ? passed : null;
}

/** BM25 (lower is better in SQLite), then the newest announcement, then the newest row. */
function byRank(a: Scored, b: Scored): number {
  if (a.score !== b.score) return a.score - b.score;
  return (b.announced_on ?? '').localeCompare(a.announced_on ?? '') || b.pk - a.pk;
}

/** The full rows of a ranked page, in its order. */
async function fetchInOrder(q: Queryable, page: readonly Scored[]): Promise<PaperRow[]> {
  if (page.length === 0) return [];
  const rows = await q.all<PaperRow>(`SELECT ${PAPER_COLUMNS} FROM ${PAPER_FROM} WHERE p.pk IN (SELECT value FROM json_each(?))`, [
    JSON.stringify(page.map((row) => row.pk)),
  ]);
  const byPk = new Map(rows.map((row) => [row.pk, row]));
  return page.flatMap((row) => byPk.get(row.pk) ?? []);
}

/**
 * The full-text matches ranked, among the papers of a date range when there is one (read from the
 * date index first, so BM25 is computed only for matches in it). `+rowid` keeps SQLite from handing
 * the IN list to FTS5, which would run one MATCH per allowed paper.
 */
async function rankAllowed(q: Queryable, fts: Clause, allowed: Clause | null, paging: SearchPaging): Promise<PaperRow[]> {
  const ranked = `SELECT rowid AS pk, ${BM25} AS score FROM papers_fts WHERE ${fts.sql}`;
  const ctes = allowed
    ? `allowed AS MATERIALIZED (${allowed.sql}), ranked AS MATERIALIZED (${ranked} AND +rowid IN (SELECT pk FROM allowed))`
    : `ranked AS MATERIALIZED (${ranked})`;
  return q.all<PaperRow>(
    `WITH ${ctes}
     SELECT ${PAPER_COLUMNS} FROM ranked JOIN papers p ON p.pk = ranked.pk JOIN classifications c ON c.paper_id = p.id
     WHERE c.relevant = 1 AND ${NOT_REJECTED_BY_GROUP}
     ORDER BY ranked.score, p.announced_on DESC, p.pk DESC LIMIT ? OFFSET ?`,
    [...(allowed?.params ?? []), ...fts.params, paging.limit + 1, paging.offset],
  );
}

/** The pks of the relevant papers announced in the query's range (its rowid bounds come with the MATCH). */
function papersInRange(query: Query, paging: SearchPaging): Clause {
  const filters = dateFilters(query, paging);
  return { sql: `SELECT p.pk FROM papers p JOIN classifications c ON c.paper_id = p.id WHERE ${filters.sql}`, params: filters.params };
}

/** What a text search checks beyond its FTS5 expression (which carries the tags and exclusions): relevance, dates, pinning. */
function dateFilters(query: Query, paging: SearchPaging): Clause {
  return paperFilters({ ...query, tags: [], excludedTags: [], anyOf: [] }, paging, false);
}

/** The MATCH and the rowid bounds of a text search. */
function ftsClause(query: Query, match: string, paging: SearchPaging): Clause {
  const sql = ['papers_fts MATCH ?'];
  const params: SqlValue[] = [ftsExpression(query, match)];
  if (query.range?.from || query.range?.to) {
    // Bounds that hold every row of the range's days (a superset where days interleave), from day_rows.
    const { from, to } = query.range;
    const days = `day BETWEEN ? AND ?`;
    const between = [from ?? '0000-00-00', to ?? '9999-99-99'];
    // A range without papers bounds to nothing (BETWEEN 1 AND 0): FTS5 would ignore a NULL bound and walk every match.
    sql.push(`rowid BETWEEN (SELECT COALESCE(MIN(min_pk), 1) FROM day_rows WHERE ${days}) AND (SELECT COALESCE(MAX(max_pk), 0) FROM day_rows WHERE ${days})`);
    params.push(...between, ...between);
  }
  if (paging.maxPk) {
    sql.push('rowid <= ?');
    params.push(paging.maxPk);
  }
  return { sql: sql.join(' AND '), params };
}

/**
 * Everything but the text: relevance, dates, pinning, tags and OR groups of tags only; text and
 * author exclusions when there is no MATCH to carry them. Relevance is the filter's verdict less
 * the papers the group marked not relevant; `include:dropped` takes every classified paper.
 */
export function paperFilters(query: Query, paging: SearchPaging, withExclusions: boolean): Clause {
  const sql: string[] = [query.includeDropped ? "c.status = 'done'" : `c.relevant = 1 AND ${NOT_REJECTED_BY_GROUP}`];
  const params: SqlValue[] = [];
  const excluded = [...query.excluded.map(ftsPhrase), ...query.excludedAuthors.map(ftsAuthor)];
  if (withExclusions && excluded.length) {
    sql.push('p.pk NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)');
    params.push(excluded.join(' OR '));
  }
  if (query.range?.from) {
    sql.push('p.announced_on >= ?');
    params.push(query.range.from);
  }
  if (query.range?.to) {
    sql.push('p.announced_on <= ?');
    params.push(query.range.to);
  }
  if (paging.maxPk) {
    sql.push('p.pk <= ?');
    params.push(paging.maxPk);
  }
  for (const tag of query.tags) {
    sql.push('EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = ? AND t.paper_id = p.id)');
    params.push(tag);
  }
  for (const group of query.anyOf) {
    if (hasTextAlternative(group)) continue;
    sql.push(`EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag IN (${group.map(() => '?').join(', ')}) AND t.paper_id = p.id)`);
    params.push(...group.map((alternative) => alternative.value));
  }
  for (const tag of query.excludedTags) {
    sql.push('NOT EXISTS (SELECT 1 FROM paper_tags t WHERE t.tag = ? AND t.paper_id = p.id)');
    params.push(tag);
  }
  return { sql: sql.join(' AND '), params };
}

/** The newest stored paper, to pin later pages of a search. */
export async function newestPaperPk(q: Queryable): Promise<number | null> {
  const row = await q.get<{ pk: number | null }>('SELECT MAX(pk) AS pk FROM papers');
  return row?.pk ?? null;
}
