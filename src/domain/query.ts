import { UserError } from './errors.ts';
import { lex, normalizeChunk, searchWords, type Token } from './query-lexer.ts';
import { readTag, resolveQueryTag, STOPWORDS } from './query-synonyms.ts';
import type { TagVocabulary } from './tags.ts';
import { type DayRange, intersectRanges, readTimePhrase } from './time-phrases.ts';

export type { DayRange } from './time-phrases.ts';

/**
 * A parsed `/papers` query. Free text is kept as normalized words (letters, digits and inner
 * `'.-_`), so every string here is safe to quote for FTS5 and contains no backticks.
 */
export type Query = {
  /** Canonical tag names; a paper must carry all of them. */
  readonly tags: readonly string[];
  readonly words: readonly string[];
  /** Each phrase is its words joined by one space. */
  readonly phrases: readonly string[];
  /** Words or phrases a paper must not contain. */
  readonly excluded: readonly string[];
  /** Tags a paper must not carry (`-MoE`: a tag word excludes the tag, as a tag word selects it). */
  readonly excludedTags: readonly string[];
  readonly authors: readonly string[];
  /** Announcement days, inclusive; null when the query names no time. */
  readonly range: DayRange | null;
  /** How the time filter was written ("last week"), for explanations. */
  readonly rangeLabel: string | null;
};

export type QueryContext = {
  readonly vocabulary: TagVocabulary;
  /** Today in the caller's time zone (else the configured one), YYYY-MM-DD. */
  readonly today: string;
};

export const MAX_QUERY_CHARACTERS = 500;
export const MAX_QUERY_TERMS = 24;

export const EMPTY_QUERY: Query = { tags: [], words: [], phrases: [], excluded: [], excludedTags: [], authors: [], range: null, rangeLabel: null };

type Draft = {
  tags: string[];
  words: string[];
  phrases: string[];
  excluded: string[];
  excludedTags: string[];
  authors: string[];
  range: DayRange | null;
  labels: string[];
};

/**
 * Parses the query language: tags by name or synonym (several = all of them), time phrases, and
 * free text (`words`, `"phrases"`, `-excluded`, `not word`, `author:Name`, `tag:Name`). Pure and
 * linear in the input; a mistake the person can fix is a UserError, anything else parses.
 */
export function parseQuery(input: string, context: QueryContext): Query {
  if (input.length > MAX_QUERY_CHARACTERS) {
    throw new UserError(`That query is ${input.length.toLocaleString('en-US')} characters long; keep it under ${MAX_QUERY_CHARACTERS}.`);
  }
  const draft: Draft = { tags: [], words: [], phrases: [], excluded: [], excludedTags: [], authors: [], range: null, labels: [] };
  const tokens = lex(input);
  let run: string[] = [];
  const flush = () => {
    readChunks(run, draft, context);
    run = [];
  };
  for (const token of tokens) {
    if (token.kind === 'chunk') {
      run.push(...splitRangeMarks(token.text));
      continue;
    }
    flush();
    addToken(token, draft, context.vocabulary);
  }
  flush();
  const terms = draft.words.length + draft.phrases.length + draft.excluded.length + draft.excludedTags.length + draft.authors.length + draft.tags.length;
  if (terms > MAX_QUERY_TERMS) throw new UserError(`That query has ${terms} terms; use at most ${MAX_QUERY_TERMS}.`);
  return {
    tags: draft.tags,
    words: draft.words,
    phrases: draft.phrases,
    excluded: draft.excluded,
    excludedTags: draft.excludedTags,
    authors: draft.authors,
    range: draft.range,
    rangeLabel: draft.labels.length ? draft.labels.join(' and ') : null,
  };
}

export function isEmptyQuery(query: Query): boolean {
  return !query.tags.length && !hasText(query) && !query.excluded.length && !query.excludedTags.length && !query.range;
}

/** Whether the query needs full-text search (words, phrases or authors to match). */
export function hasText(query: Query): boolean {
  return query.words.length + query.phrases.length + query.authors.length > 0;
}

function addToken(token: Exclude<Token, { kind: 'chunk' }>, draft: Draft, vocabulary: TagVocabulary): void {
  const words = searchWords(token.text);
  if (token.kind === 'tag') {
    const tag = resolveQueryTag(vocabulary, token.text);
    if (!tag)
      throw new UserError(
        `“${words.join(' ') || token.text.replaceAll('`', '')}” is not a tag. Tags: ${vocabulary
          .names()
          .map((name) => `\`${name}\``)
          .join(' ')}`,
      );
    pushUnique(draft.tags, tag);
    return;
  }
  if (words.length === 0) {
    if (token.kind === 'author') throw new UserError('`author:` needs a name, e.g. `author:"Song Han"` or `author:Han`.');
    return;
  }
  const joined = words.join(' ');
  if (token.kind === 'author') pushUnique(draft.authors, joined);
  else if (token.kind === 'exclude') {
    if (token.quoted) pushUnique(draft.excluded, joined);
    else exclude(token.text, draft, vocabulary);
  } else pushUnique(draft.phrases, joined);
}

/** `-word` / `not word`: a tag word excludes the tag, other words exclude text. */
function exclude(chunk: string, draft: Draft, vocabulary: TagVocabulary): void {
  const tag = resolveQueryTag(vocabulary, normalizeChunk(chunk));
  if (tag) pushUnique(draft.excludedTags, tag);
  else for (const word of searchWords(chunk)) pushUnique(draft.excluded, word);
}

/** Bare chunks in a row: time phrases first, then the longest tag name or synonym, else free words. */
function readChunks(chunks: readonly string[], draft: Draft, context: QueryContext): void {
  const lower = chunks.map((chunk) => (chunk === '..' ? chunk : normalizeChunk(chunk)));
  let index = 0;
  while (index < chunks.length) {
    const time = readTimePhrase(lower, index, context.today);
    if (time) {
      addRange(draft, time.range, time.label);
      index += time.length;
      continue;
    }
    const tag = readTag(lower, index, context.vocabulary);
    if (tag) {
      pushUnique(draft.tags, tag.name);
      index += tag.length;
      continue;
    }
    if (lower[index] === 'not' && index + 1 < chunks.length) {
      exclude(chunks[index + 1] as string, draft, context.vocabulary);
      index += 2;
      continue;
    }
    for (const word of searchWords(chunks[index] as string)) {
      if (!STOPWORDS.has(word.toLowerCase())) pushUnique(draft.words, word);
    }
    index++;
  }
}

function addRange(draft: Draft, range: DayRange, label: string): void {
  const combined = draft.range ? intersectRanges(draft.range, range) : range;
  if (!combined) throw new UserError(`Those dates do not overlap: “${[...draft.labels, label].join('” and “')}”.`);
  draft.range = combined;
  draft.labels.push(label);
}

/** `2025-12-01..2025-12-15` → three chunks, so the range reads like `2025-12-01 .. 2025-12-15`. */
function splitRangeMarks(chunk: string): string[] {
  if (!chunk.includes('..')) return [chunk];
  return chunk.split(/(\.\.)/).filter(Boolean);
}

function pushUnique(list: string[], value: string): void {
  if (!list.some((item) => item.toLowerCase() === value.toLowerCase())) list.push(value);
}
