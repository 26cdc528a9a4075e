import type { Alternative, DayRange, Query } from './query.ts';

/**
 * A query in words, for reply headers and empty results:
 * "`MoE` papers from 2025-12-08 to 2025-12-14 (last week) matching “disaggregated”".
 * Tag names go in code spans; everything the person typed stays plain text.
 */
export function describeQuery(query: Query): string {
  const parts = [query.tags.length ? `${query.tags.map((tag) => `\`${tag}\``).join(' + ')} papers` : 'papers'];
  if (query.like) parts.push(`like ${query.like}`);
  if (query.anyOf.length) parts.push(`with ${query.anyOf.map((group) => group.map(describeAlternative).join(' or ')).join(' and with ')}`);
  if (query.authors.length) parts.push(`by ${query.authors.map((author) => `‘${author}’`).join(' and ')}`);
  if (query.range) parts.push(describeRange(query.range, query.rangeLabel));
  const text = [...query.words, ...query.phrases.map((phrase) => `"${phrase}"`)];
  if (text.length) parts.push(`matching “${text.join(' ')}”`);
  const without = [
    ...query.excludedTags.map((tag) => `\`${tag}\``),
    ...query.excluded.map((text) => `“${text}”`),
    ...query.excludedAuthors.map((author) => `author ‘${author}’`),
  ];
  if (without.length) parts.push(`without ${without.join(', ')}`);
  if (query.includeDropped) parts.push('including those the filter dropped or the group turned down');
  return parts.join(' ');
}

function describeAlternative(alternative: Alternative): string {
  if (alternative.kind === 'tag') return `\`${alternative.value}\``;
  if (alternative.kind === 'author') return `author ‘${alternative.value}’`;
  return alternative.value.includes(' ') ? `“"${alternative.value}"”` : `“${alternative.value}”`;
}

export function describeRange(range: DayRange, label: string | null): string {
  const dates =
    range.from && range.to
      ? range.from === range.to
        ? `on ${range.from}`
        : `from ${range.from} to ${range.to}`
      : range.from
        ? `since ${range.from}`
        : range.to
          ? `until ${range.to}`
          : 'at any time';
  const typed = label && !/^[\d\s.-]+$/.test(label) && !dates.includes(label) ? ` (${label})` : '';
  return `${dates}${typed}`;
}

/**
 * The query as text that parses back to the same filters (dates as absolute days), for
 * suggestions a person can copy. Free words come last so a tag never swallows a neighbouring word.
 */
export function formatQuery(query: Query): string {
  const parts: string[] = [...(query.like ? [`like:${query.like}`] : []), ...query.tags];
  // Text in an OR is quoted, so that it reads back as one side of the OR and never merges with a neighbour into a tag.
  for (const group of query.anyOf) parts.push(group.map(formatAlternative).join(' OR '));
  for (const author of query.authors) parts.push(formatAuthor(author));
  if (query.range) parts.push(formatRange(query.range));
  for (const phrase of query.phrases) parts.push(`"${phrase}"`);
  for (const tag of query.excludedTags) parts.push(`-${tag}`);
  for (const excluded of query.excluded) parts.push(excluded.includes(' ') ? `-"${excluded}"` : `-${excluded}`);
  for (const author of query.excludedAuthors) parts.push(`-${formatAuthor(author)}`);
  if (query.includeDropped) parts.push('include:dropped');
  parts.push(...query.words);
  return parts.join(' ');
}

function formatAlternative(alternative: Alternative): string {
  if (alternative.kind === 'tag') return alternative.value;
  if (alternative.kind === 'author') return formatAuthor(alternative.value);
  return `"${alternative.value}"`;
}

function formatAuthor(author: string): string {
  return author.includes(' ') ? `author:"${author}"` : `author:${author}`;
}

/**
 * Why a query that matched too many papers shows only the recent ones (`searched` is the query
 * with the start day the search chose), and how to reach older papers.
 */
export function describeNarrowing(searched: Query, broad: number): string {
  const from = searched.range?.from ?? '';
  const earlier = `${Number(from.slice(0, 4)) - 1}-01-01`;
  return (
    `More than ${broad.toLocaleString('en-US')} papers match, too many to rank them all: these are the best since ${from}. ` +
    `Add a word or a tag to narrow the search, or a date such as \`since ${earlier}\` to search older papers too.`
  );
}

function formatRange(range: DayRange): string {
  if (range.from && range.to) return range.from === range.to ? range.from : `${range.from}..${range.to}`;
  if (range.from) return `since ${range.from}`;
  return range.to ? `until ${range.to}` : '';
}

/**
 * Broader queries to suggest when nothing matched, most useful first: without the dates, without
 * the exclusions, with fewer tags, with the words only, with the tags only.
 */
export function broaderQueries(query: Query): Query[] {
  const candidates: Query[] = [];
  if (query.range) candidates.push({ ...query, range: null, rangeLabel: null });
  if (query.excluded.length || query.excludedTags.length || query.excludedAuthors.length) {
    candidates.push({ ...query, excluded: [], excludedTags: [], excludedAuthors: [] });
  }
  // Without the OR groups: the papers that match the rest.
  if (query.anyOf.length) candidates.push({ ...query, anyOf: [] });
  if (query.tags.length > 1) for (const tag of query.tags) candidates.push({ ...query, tags: query.tags.filter((other) => other !== tag) });
  if (query.tags.length && (query.words.length || query.phrases.length)) candidates.push({ ...query, tags: [] });
  if (query.words.length > 1) candidates.push({ ...query, words: query.words.slice(0, -1) });
  if (query.phrases.length) candidates.push({ ...query, phrases: [], words: [...query.words, ...query.phrases.flatMap((phrase) => phrase.split(' '))] });
  if (query.authors.length && query.range) candidates.push({ ...query, range: null, rangeLabel: null, words: [], phrases: [], tags: [] });
  if (query.like && (query.tags.length || query.anyOf.length || query.excludedTags.length)) {
    candidates.push({ ...query, range: null, rangeLabel: null, tags: [], anyOf: [], excludedTags: [] });
  }
  const seen = new Set<string>([formatQuery(query)]);
  return candidates.filter((candidate) => {
    const text = formatQuery(candidate);
    if (seen.has(text) || !text) return false;
    seen.add(text);
    return true;
  });
}

/** How `like:` neighbours were found: the distinctive words they share (tf-idf), or embeddings. */
export type SimilarMethod = 'words' | 'embeddings';

/** The method in words, for reply headers and pages. */
export function describeSimilarMethod(method: SimilarMethod): string {
  return method === 'words' ? 'by the distinctive words of their titles, TL;DRs and abstracts' : 'by embeddings of their titles, TL;DRs and abstracts';
}
