import type { Queryable } from './db.ts';
import { parseTags } from './paper-facets.ts';
import { type TermIndex, TermIndexBuilder } from './term-index.ts';

/** Rows read per query: bounded memory, and the event loop gets a turn between chunks. */
const CHUNK = 500;

type TextRow = { pk: number; day: string | null; tags: string; title: string; abstract: string; tldr: string | null };

/**
 * Builds the tf-idf index of every relevant paper, reading the archive a chunk of rows at a time
 * in pk order (each chunk a fresh range query, so no statement stays open across the whole build
 * and other queries interleave with it).
 */
export async function loadTermIndex(q: Queryable): Promise<TermIndex> {
  const builder = new TermIndexBuilder();
  for (let after = 0; ; ) {
    const rows = await q.all<TextRow>(
      `SELECT p.pk, p.announced_on AS day, c.tags, p.title, p.abstract, c.tldr
       FROM papers p JOIN classifications c ON c.paper_id = p.id
       WHERE p.pk > ? AND c.relevant = 1 ORDER BY p.pk LIMIT ?`,
      [after, CHUNK],
    );
    for (const row of rows) {
      builder.add({ pk: row.pk, day: row.day, tags: parseTags(row.tags), text: { title: row.title, abstract: row.abstract, tldr: row.tldr } });
    }
    if (rows.length < CHUNK) break;
    after = (rows.at(-1) as TextRow).pk;
  }
  return builder.build();
}
