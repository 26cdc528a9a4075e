import { Database } from './db.ts';

/** The text of a paper that keyword and phrase subscriptions look at. */
export type MatchDocument = { readonly title: string; readonly abstract: string; readonly tldr: string | null };

/**
 * Must stay the tokenizer of `papers_fts` (migration 1): a keyword subscription matches exactly the
 * papers a search for it finds. A test compares the two definitions.
 */
export const FTS_TOKENIZER = 'porter unicode61 remove_diacritics 2';

const DOCUMENT_BATCH = 100;
const QUERY_BATCH = 300;

/**
 * For each FTS5 query, the indexes of the documents it matches — using SQLite's own tokenizer, so
 * stemming, case folding, diacritics and phrases behave exactly as in search. Runs on a private
 * in-memory connection: the archive's connection stays free for slash commands meanwhile, and all
 * queries run in one statement (a join of the queries against a temporary FTS5 table).
 */
export async function matchDocuments(documents: readonly MatchDocument[], queries: readonly string[]): Promise<number[][]> {
  const matches: number[][] = queries.map(() => []);
  if (documents.length === 0 || queries.length === 0) return matches;
  const db = await Database.open('sqlite://:memory:');
  try {
    await db.exec(`CREATE VIRTUAL TABLE temp.match_documents USING fts5 (title, abstract, tldr, tokenize = '${FTS_TOKENIZER}');
      CREATE TEMP TABLE match_queries (id INTEGER PRIMARY KEY, fts TEXT NOT NULL)`);
    await db.transaction(async (tx) => {
      for (let start = 0; start < documents.length; start += DOCUMENT_BATCH) {
        const batch = documents.slice(start, start + DOCUMENT_BATCH);
        await tx.run(
          `INSERT INTO match_documents (rowid, title, abstract, tldr) VALUES ${batch.map(() => '(?, ?, ?, ?)').join(', ')}`,
          batch.flatMap((document, offset) => [start + offset, document.title, document.abstract, document.tldr ?? '']),
        );
      }
      for (let start = 0; start < queries.length; start += QUERY_BATCH) {
        const batch = queries.slice(start, start + QUERY_BATCH);
        await tx.run(
          `INSERT INTO match_queries (id, fts) VALUES ${batch.map(() => '(?, ?)').join(', ')}`,
          batch.flatMap((query, offset) => [start + offset, query]),
        );
      }
    });
    const pairs = await db.all<{ query: number; document: number }>(
      'SELECT q.id AS query, d.rowid AS document FROM match_queries q, match_documents d WHERE match_documents MATCH q.fts',
    );
    for (const pair of pairs) matches[pair.query]?.push(pair.document);
    return matches;
  } finally {
    await db.close();
  }
}
