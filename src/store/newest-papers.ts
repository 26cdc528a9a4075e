import type { Paper } from '../domain/paper.ts';
import { hasText, type Query } from '../domain/query.ts';
import type { Queryable } from './db.ts';
import { PAPER_COLUMNS, type PaperRow, toPaper } from './paper-rows.ts';
import { ftsMatch, paperFilters, searchPapers } from './search.ts';

/**
 * The newest relevant papers matching a query, whatever their rank: what a feed of that query
 * shows (a feed reader wants what is new, not what matches best). Without text this is the
 * search's own newest-first listing; with text, the full-text matches are taken as a set and
 * ordered by day.
 */
export async function newestMatching(q: Queryable, query: Query, limit: number): Promise<Paper[]> {
  if (!hasText(query)) return [...(await searchPapers(q, query, { limit, offset: 0 })).papers];
  const filters = paperFilters(query, { limit, offset: 0 }, true);
  const rows = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers p JOIN classifications c ON c.paper_id = p.id
     WHERE ${filters.sql} AND p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)
     ORDER BY p.announced_on DESC, p.pk DESC LIMIT ?`,
    [...filters.params, ftsMatch(query) as string, limit],
  );
  return rows.map(toPaper);
}
