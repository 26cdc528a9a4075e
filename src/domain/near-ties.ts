/**
 * A person's own order among results the query cannot tell apart. Results stay in the query's
 * order (BM25, or newest first) band by band; inside a band of near-ties they go by the person's
 * score. A band starts at the best result not yet placed and holds every following result tied
 * with that first one:
 * - text searches: BM25 scores within 5 % of the band's first (SQLite's BM25 is negative, lower
 *   is better). On the labelled days, papers with a one-word query's word once in their title
 *   differ by less than that (by their lengths alone), while a second or third occurrence, or a
 *   second query word, moves a paper by more;
 * - searches without text (newest first): the same announcement day.
 * Bands are fixed by the query's order alone (and cut into windows by the caller), so every page
 * of a search is cut from the same order.
 */
export const NEAR_TIE = 0.05;

export type Ranked = { readonly bm25: number | null; readonly day: string | null };

export function nearTied(lead: Ranked, other: Ranked): boolean {
  if (lead.bm25 === null || other.bm25 === null) return lead.day === other.day;
  return Math.abs(other.bm25 - lead.bm25) <= NEAR_TIE * Math.abs(lead.bm25);
}

/** The index after the end of the band that starts at `start`. */
export function bandEnd(items: readonly Ranked[], start: number): number {
  const lead = items[start];
  let end = start + 1;
  while (lead && end < items.length && nearTied(lead, items[end] as Ranked)) end++;
  return end;
}

/**
 * The first `limit` items (all by default) in the query's bands, each band by descending score
 * (a stable sort: equal scores keep the query's order). Only bands of two or more are scored.
 */
export function orderNearTies<T extends Ranked>(items: readonly T[], score: (item: T) => number, limit = items.length): T[] {
  const ordered: T[] = [];
  let start = 0;
  while (start < items.length && ordered.length < limit) {
    const end = bandEnd(items, start);
    const band = items.slice(start, end);
    if (band.length === 1) ordered.push(band[0] as T);
    else {
      const scored = band.map((item) => ({ item, score: score(item) }));
      scored.sort((a, b) => b.score - a.score);
      ordered.push(...scored.map(({ item }) => item));
    }
    start = end;
  }
  return ordered.slice(0, limit);
}
