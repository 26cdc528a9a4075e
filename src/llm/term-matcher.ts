/**
 * Keyword terms as people write them in the rule files: case-insensitive whole words, a trailing `*`
 * matches any ending (`quantiz*`), a space also matches a hyphen (`kv cache` finds `KV-cache`).
 */
export type TermMatcher = {
  /** The terms found in `text`, in the order they were listed. */
  matches(text: string): string[];
  test(text: string): boolean;
};

export function createTermMatcher(terms: readonly string[]): TermMatcher {
  const compiled = terms.map((term) => ({ term, pattern: compileTerm(term) }));
  return {
    matches: (text) => compiled.filter(({ pattern }) => pattern.test(text)).map(({ term }) => term),
    test: (text) => compiled.some(({ pattern }) => pattern.test(text)),
  };
}

function compileTerm(term: string): RegExp {
  const trimmed = term.trim().toLowerCase();
  const open = trimmed.endsWith('*');
  const words = (open ? trimmed.slice(0, -1) : trimmed)
    .split(/[\s-]+/)
    .filter(Boolean)
    .map(escapeRegExp);
  const body = words.join('[\\s-]+');
  // Letters and digits bound a word; `/` and `.` stay inside terms such as `i/o`.
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${open ? '[\\p{L}\\p{N}-]*' : ''}(?![\\p{L}\\p{N}])`, 'iu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
