/**
 * Tags are in the full-text index too (column `tags`, weight 0 in BM25), so a search for tags and
 * words is one FTS5 expression: FTS5 intersects the tag's rows with the words' rows and computes
 * BM25 only for papers that carry the tags, instead of ranking every paper with the words and
 * dropping most of them afterwards.
 *
 * Each tag is one opaque token, "tag" + the hex of its name + "x": no word of an abstract collides
 * with it, a multi-word tag stays one token, and the porter stemmer leaves it whole (no English
 * suffix ends in x). A weight of 0 makes a tag's own BM25 term 0, but FTS5 normalises by a row's
 * tokens in all columns, so each tag counts as one more word of length (1–3 on ~250): papers with
 * identical text and more tags score a hair lower, and near-ties can swap. Accepted for ranking
 * only the papers that carry a searched tag.
 */
export function ftsTagToken(tag: string): string {
  return `tag${Buffer.from(tag, 'utf8').toString('hex')}x`;
}

/**
 * Fills the full-text index with every relevant paper, as `reindex` writes one: tags as the same
 * tokens built in SQL (SQLite's hex() is upper-case). For tools that build an archive in bulk.
 */
export const FTS_REBUILD = `INSERT INTO papers_fts (rowid, title, abstract, tldr, authors, tags)
  SELECT p.pk, p.title, p.abstract, COALESCE(c.tldr, ''), (SELECT group_concat(value, ', ') FROM json_each(p.authors)),
    (SELECT group_concat('tag' || lower(hex(value)) || 'x', ' ') FROM (SELECT DISTINCT value FROM json_each(c.tags)))
  FROM papers p JOIN classifications c ON c.paper_id = p.id WHERE c.relevant = 1`;

/** The `tags` column's content for a paper's tags. */
export function ftsTagsText(tags: readonly string[]): string {
  return [...new Set(tags)].map(ftsTagToken).join(' ');
}

/** The FTS5 term "carries this tag". */
export function ftsTagTerm(tag: string): string {
  return `tags : ${ftsTagToken(tag)}`;
}
