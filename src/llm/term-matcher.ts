/**
 * Keyword terms as people write them in the rule files: case-insensitive whole words, a trailing `*`
 * matches any ending (`quantiz*`), a space also matches a hyphen (`kv cache` finds `KV-cache`).
 */
export type TermMatcher = {
  /** The terms found in `text`, in the order they were listed. */
  matches(text: string): string[];
  test(text: string): boolean;
  /** How many places in `text` one of the terms occurs (one count per place, the longest term winning). */
  count(text: string): number;
};

// Letters and digits bound a word; `/` and `.` stay inside terms such as `i/o`.
const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';

export function createTermMatcher(terms: readonly string[]): TermMatcher {
  const compiled = terms.map((term) => ({ term, pattern: new RegExp(`${BEFORE}${termBody(term)}${AFTER}`, 'iu') }));
  // One alternation for counting: a scan per text rather than one per term (rules hold hundreds).
  const bodies = [...new Set(terms.map(termBody))].sort((a, b) => b.length - a.length);
  const all = bodies.length ? new RegExp(`${BEFORE}(?:${bodies.join('|')})${AFTER}`, 'giu') : null;
  return {
    matches: (text) => compiled.filter(({ pattern }) => pattern.test(text)).map(({ term }) => term),
    test: (text) => compiled.some(({ pattern }) => pattern.test(text)),
    count: (text) => (all ? (text.match(all)?.length ?? 0) : 0),
  };
}

function termBody(term: string): string {
  const trimmed = term.trim().toLowerCase();
  const open = trimmed.endsWith('*');
  const words = (open ? trimmed.slice(0, -1) : trimmed)
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  return `${words.join('[\\s-]+')}${open ? '[\\p{L}\\p{N}-]*' : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
