import { Database, type Queryable, type SqlValue } from './db.ts';
import { ftsTagsText } from './fts-tags.ts';
import type { PaperRow } from './paper-rows.ts';
import { PAPER_COLUMNS } from './paper-rows.ts';
import { FTS_TOKENIZER } from './text-match.ts';

/**
 * How many papers `include:dropped` searches by words: the newest of the query's dates (all dates
 * without any). About a week and a half of cs.DC, cs.OS and cs.LG announcements.
 */
export const DROPPED_SEARCH_WINDOW = 5000;

type Clause = { readonly sql: string; readonly params: readonly SqlValue[] };
type Paging = { readonly limit: number; readonly offset: number };

/**
 * Words searched among every classified paper, kept or dropped. The archive's full-text index holds
 * relevant papers only (see `reindex`), so this takes the newest `window` papers that pass the
 * other filters, indexes them in a private in-memory FTS5 table (the same tokenizer and columns as
 * `papers_fts`; the caller's FTS5 expression and BM25 weights) and ranks them there. It costs a few hundred milliseconds, for a
 * search people ask for on purpose; `window` is reported when the cap was reached.
 */
export async function searchWithDropped(
  q: Queryable,
  search: { readonly fts: string; readonly bm25: string; readonly filters: Clause },
  paging: Paging,
  window = DROPPED_SEARCH_WINDOW,
): Promise<{ rows: PaperRow[]; window?: { newestSearched: number } }> {
  const { filters } = search;
  const candidates = await q.all<PaperRow>(
    `SELECT ${PAPER_COLUMNS} FROM papers p JOIN classifications c ON c.paper_id = p.id WHERE ${filters.sql} ORDER BY p.pk DESC LIMIT ?`,
    [...filters.params, window],
  );
  if (candidates.length === 0) return { rows: [] };
  const ranked = await rankInMemory(candidates, search, paging);
  const byPk = new Map(candidates.map((row) => [row.pk, row]));
  const rows = ranked.flatMap((pk) => byPk.get(pk) ?? []);
  return candidates.length === window ? { rows, window: { newestSearched: window } } : { rows };
}

async function rankInMemory(rows: readonly PaperRow[], search: { readonly fts: string; readonly bm25: string }, paging: Paging): Promise<number[]> {
  const db = await Database.open('sqlite://:memory:');
  try {
    await db.exec(`CREATE VIRTUAL TABLE temp.papers_fts USING fts5 (title, abstract, tldr, authors, tags, tokenize = '${FTS_TOKENIZER}')`);
    await db.transaction(async (tx) => {
      for (let start = 0; start < rows.length; start += 100) {
        const batch = rows.slice(start, start + 100);
        await tx.run(
          `INSERT INTO papers_fts (rowid, title, abstract, tldr, authors, tags) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          batch.flatMap((row) => [
            row.pk,
            row.title,
            row.abstract,
            row.tldr ?? '',
            (JSON.parse(row.authors) as string[]).join(', '),
            ftsTagsText(JSON.parse(row.tags ?? '[]') as string[]),
          ]),
        );
      }
    });
    const ranked = await db.all<{ pk: number }>(
      `SELECT rowid AS pk FROM papers_fts WHERE papers_fts MATCH ? ORDER BY ${search.bm25}, rowid DESC LIMIT ? OFFSET ?`,
      [search.fts, paging.limit + 1, paging.offset],
    );
    return ranked.map((row) => row.pk);
  } finally {
    await db.close();
  }
}
