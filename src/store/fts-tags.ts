/**
 * Tags are in the full-text index too (column `tags`, weight 0 in BM25), so a search for tags and
 * words is one FTS5 expression: FTS5 intersects the tag's rows with the words' rows and computes
 * BM25 only for papers that carry the tags, instead of ranking every paper with the words and
 * dropping most of them afterwards.
 *
 * Each tag is one opaque token, "tag" + the hex of its name + "x": no word of an abstract collides
 * with it, a multi-word tag stays one token, and the porter stemmer leaves it whole (no English
 * suffix ends in x). A weight of 0 makes its BM25 term exactly 0, so scores are those of the text.
 */
export function ftsTagToken(tag: string): string {
  return `tag${Buffer.from(tag, 'utf8').toString('hex')}x`;
}

/** The same tokens built in SQL from a JSON array of tag names (SQLite's hex() is upper-case). */
export function ftsTagTokensSql(jsonArray: string): string {
  return `(SELECT group_concat('tag' || lower(hex(value)) || 'x', ' ') FROM (SELECT DISTINCT value FROM json_each(${jsonArray})))`;
}

/** The `tags` column's content for a paper's tags. */
export function ftsTagsText(tags: readonly string[]): string {
  return [...new Set(tags)].map(ftsTagToken).join(' ');
}

/** The FTS5 term "carries this tag". */
export function ftsTagTerm(tag: string): string {
  return `tags : ${ftsTagToken(tag)}`;
}
