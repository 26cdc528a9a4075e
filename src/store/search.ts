import type { Paper } from '../domain/paper.ts';
import type { Queryable } from './db.ts';
import { PAPER_COLUMNS, type PaperRow, toPaper } from './paper-rows.ts';

/**
 * Free text → an FTS5 query that cannot be a syntax error: every word becomes a quoted string
 * (quotes inside doubled), joined by implicit AND. Returns null when no word remains.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}_'.-]*/gu) ?? [];
  const terms = words.map((word) => word.replace(/[.'-]+$/, '')).filter(Boolean);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ');
}

/** Relevant papers matching `text`, best BM25 match first, newest first among equals. */
export async function searchRelevant(q: Queryable, text: string, limit: number, offset = 0): Promise<Paper[]> {
  const match = toFtsQuery(text);
  if (!match) return [];
  const rows = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers_fts f JOIN papers p ON p.pk = f.rowid LEFT JOIN classifications c ON c.paper_id = p.id
     WHERE papers_fts MATCH ? AND c.relevant = 1
     ORDER BY bm25(papers_fts, 10.0, 1.0, 3.0, 2.0), p.announced_on DESC LIMIT ? OFFSET ?`,
    [match, limit, offset],
  );
  return rows.map(toPaper);
}
